"""The dashboard's activity indicators (targets): participations (人次) and persons by the
participant's town and month, the activities they went to (each once for the district),
the persons with any of the five ones and those with all five (in the month of the fifth);
voided records count nowhere, and a write refreshes them after its commit."""

import datetime

from activities.declaration import declaration
from activities.services import five_one_record, participation_void
from targets.indicators import indicators_of
from targets.models import WHOLE_YEAR, IndicatorRefresh, IndicatorValue
from targets.services import indicators_refresh

from .conftest import TODAY

DISTRICT, BAISHA, HETANG = "440703000000", "440703002000", "440703102000"
KEYS = ["activity_person_times", "activity_persons", "activities_reaching", "five_ones_persons", "five_ones_complete"]
FIRST_OF_YEAR = datetime.date(TODAY.year, 1, 1)


def values(key: str) -> dict[tuple[str, int], int]:
    rows = IndicatorValue.objects.filter(indicator=key, year=TODAY.year)
    return {(v.area_code, v.month): v.value for v in rows}


def test_participations_per_town_and_the_district(
    make_activity, district_activity, person, neighbour, other_person, join, users
):
    home = make_activity(starts_on=FIRST_OF_YEAR)
    join(district_activity, person)
    join(district_activity, other_person, by="other_officer")
    join(home, person)
    voided = join(home, neighbour)
    participation_void(user=users["officer"], record=voided, reason="录错人员")
    indicators_refresh(year=TODAY.year, keys=KEYS[:3])
    times, persons, reaching = (values(key) for key in KEYS[:3])
    assert (times[(BAISHA, WHOLE_YEAR)], times[(HETANG, WHOLE_YEAR)], times[(DISTRICT, WHOLE_YEAR)]) == (2, 1, 3)
    assert times[(BAISHA, 1)] == 1 + (district_activity.starts_on.month == 1)
    assert (persons[(BAISHA, WHOLE_YEAR)], persons[(DISTRICT, WHOLE_YEAR)]) == (1, 2)
    # The district's activity counts in both towns, once for the district.
    assert (reaching[(BAISHA, WHOLE_YEAR)], reaching[(HETANG, WHOLE_YEAR)], reaching[(DISTRICT, WHOLE_YEAR)]) == (
        2,
        1,
        2,
    )


def test_all_five_count_once_in_the_month_of_the_fifth(users, person, neighbour):
    for month, item in enumerate(["book", "film", "park", "exhibition", "culture"], start=1):
        day = datetime.date(TODAY.year, min(month, TODAY.month), 1)
        five_one_record(user=users["officer"], person=person, item=item, done_on=day)
    five_one_record(user=users["officer"], person=neighbour, item="book", done_on=FIRST_OF_YEAR)
    indicators_refresh(year=TODAY.year, keys=KEYS[3:])
    any_of, complete = values("five_ones_persons"), values("five_ones_complete")
    assert (any_of[(BAISHA, WHOLE_YEAR)], any_of[(DISTRICT, WHOLE_YEAR)]) == (2, 2)
    assert complete == {
        (BAISHA, min(5, TODAY.month)): 1,
        (BAISHA, WHOLE_YEAR): 1,
        (DISTRICT, min(5, TODAY.month)): 1,
        (DISTRICT, WHOLE_YEAR): 1,
    }


def test_a_participation_refreshes_the_activity_indicators_after_commit(
    district_activity, person, join, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        join(district_activity, person)
    refreshed = set(
        IndicatorRefresh.objects.filter(year=district_activity.starts_on.year).values_list("indicator", flat=True)
    )
    assert refreshed == {i.key for i in indicators_of("activities")} == set(KEYS)
    assert values("activity_person_times")[(DISTRICT, WHOLE_YEAR)] == 1


def test_the_dashboard_offers_the_years_of_activities_and_five_ones(make_activity, users, person):
    make_activity(starts_on=datetime.date(2019, 5, 19))
    five_one_record(user=users["officer"], person=person, item="book", done_on=datetime.date(2021, 3, 1))
    assert declaration.record_years() == {2019, 2021}
