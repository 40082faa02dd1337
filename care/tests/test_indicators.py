"""The care indicators (targets): members at month end per town, attendance days, and the
attendance rate — present days over the member-days on which the institution was open, a
day not taken counting as not attended. Run on PostgreSQL and SQLite (the member-day view)."""

import datetime

from care.services.attendance import Mark, attendance_save
from care.services.membership import enrolment_end
from care.tests.conftest import make_centre, open_day
from targets.indicators import INDICATORS, indicators_of
from targets.models import WHOLE_YEAR, IndicatorRefresh, IndicatorValue
from targets.services import indicators_refresh

TODAY = datetime.date.today()
DISTRICT, BAISHA, HETANG = "440703000000", "440703002000", "440703102000"
SINCE = TODAY - datetime.timedelta(days=20)
# The year of the last open day (this year but on 1 January, or a Monday 2 January).
YEAR = open_day(1).year


def values(key: str, year: int = YEAR) -> dict[tuple[str, int], tuple[int, int | None]]:
    rows = IndicatorValue.objects.filter(indicator=key, year=year)
    return {(v.area_code, v.month): (v.value, v.base) for v in rows}


def weekdays_in_year(open_days: int = 0b0011111) -> int:
    """The institution's open days from SINCE to yesterday that fall in YEAR."""
    day, count = SINCE, 0
    while day < TODAY:
        count += day.year == YEAR and bool(open_days & (1 << day.weekday()))
        day += datetime.timedelta(days=1)
    return count


def test_attendance_days_and_rate_per_town(users, person, other_person, centre, other_centre, enrol):
    home = enrol(person, centre, started_on=SINCE)
    enrol(other_person, other_centre, started_on=SINCE)
    # The home member: present on the last open day, absent on the one before (perhaps
    # last year); the other member's days are never taken.
    attendance_save(user=users["centre"], institution=centre, day=open_day(1), marks={home.person_id: Mark(True)})
    attendance_save(user=users["centre"], institution=centre, day=open_day(2), marks={home.person_id: Mark(False)})
    indicators_refresh(year=YEAR, keys=["care_attendance_days", "care_attendance_rate"])
    member_days = weekdays_in_year()
    attended = values("care_attendance_days")
    assert attended[(BAISHA, WHOLE_YEAR)] == attended[(DISTRICT, WHOLE_YEAR)] == (1, None)
    assert (HETANG, WHOLE_YEAR) not in attended
    rate = values("care_attendance_rate")
    assert rate[(BAISHA, WHOLE_YEAR)] == (1, member_days)
    assert rate[(HETANG, WHOLE_YEAR)] == (0, member_days)
    assert rate[(DISTRICT, WHOLE_YEAR)] == (1, 2 * member_days)
    assert rate[(BAISHA, open_day(1).month)][0] == 1


def test_a_closed_day_is_no_member_day(users, person, other_person, areas, enrol):
    every_day = make_centre(areas["baisha"], code="KY0109", name="白沙全周康园中心", open_days=0b1111111)
    weekdays = make_centre(areas["baisha"], code="KY0108", name="白沙平日康园中心")
    enrol(person, every_day, started_on=SINCE)
    enrol(other_person, weekdays, started_on=SINCE)
    indicators_refresh(year=YEAR, keys=["care_attendance_rate"])
    rate = values("care_attendance_rate")
    assert rate[(BAISHA, WHOLE_YEAR)] == (0, weekdays_in_year(0b1111111))
    assert rate[(HETANG, WHOLE_YEAR)] == (0, weekdays_in_year())


def test_today_counts_once_it_is_taken(users, person, areas, enrol):
    every_day = make_centre(areas["baisha"], code="KY0109", name="白沙全周康园中心", open_days=0b1111111)
    enrolment = enrol(person, every_day, started_on=TODAY)
    rate = INDICATORS["care_attendance_rate"].measure(TODAY.year).rows
    assert rate.count() == 0
    attendance_save(user=users["admin"], institution=every_day, day=TODAY, marks={enrolment.person_id: Mark(True)})
    assert rate.count() == 1


def test_members_today_per_town_and_not_those_who_left(users, person, other_person, centre, other_centre, enrol):
    enrol(person, centre, started_on=SINCE)
    leaving = enrol(other_person, other_centre, started_on=SINCE)
    enrolment_end(user=users["admin"], enrolment=leaving, ended_on=TODAY - datetime.timedelta(days=1), reason="family")
    indicators_refresh(year=TODAY.year, keys=["care_members"])
    members = values("care_members", TODAY.year)
    assert members[(BAISHA, TODAY.month)] == members[(DISTRICT, TODAY.month)] == (1, None)
    assert (HETANG, TODAY.month) not in members


def test_members_at_the_start_of_a_day_for_a_month_no_refresh_ran_in(person, centre, enrol):
    enrol(person, centre, started_on=SINCE)
    indicator = INDICATORS["care_members"]
    assert indicator.measure_on(SINCE).rows.count() == 0  # enrolled during that day
    assert indicator.measure_on(SINCE + datetime.timedelta(days=1)).rows.count() == 1


def test_a_saved_day_refreshes_the_care_indicators_after_commit(
    users, person, centre, enrol, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = enrol(person, centre, started_on=SINCE)
        attendance_save(
            user=users["centre"], institution=centre, day=open_day(1), marks={enrolment.person_id: Mark(True)}
        )
    refreshed = set(IndicatorRefresh.objects.filter(year=YEAR).values_list("indicator", flat=True))
    assert refreshed >= {i.key for i in indicators_of("care")} == {
        "care_members", "care_attendance_days", "care_attendance_rate", "care_centres", "care_boarding_placed",
        "care_home_placed", "care_cases_open", "care_cases_overdue", "care_follow_ups", "care_watches_issued",
        "care_watches_worn",
    }  # fmt: skip
    assert values("care_attendance_days")[(DISTRICT, WHOLE_YEAR)] == (1, None)


def test_a_district_level_centre_counts_in_the_district_and_in_no_town(areas, centre, other_centre):
    """A centre registered at the district itself (440703000000): the district's figure is
    its towns' centres and its own; no town gets it, and no second row of the district."""
    make_centre(areas["district"], code="KY0001", name="区康园中心")
    indicators_refresh(year=TODAY.year, keys=["care_centres"])
    centres = values("care_centres", TODAY.year)
    assert centres[(DISTRICT, TODAY.month)] == centres[(DISTRICT, WHOLE_YEAR)] == (3, None)
    assert centres[(BAISHA, TODAY.month)] == centres[(HETANG, TODAY.month)] == (1, None)
    assert set(centres) == {(code, month) for code in (DISTRICT, BAISHA, HETANG) for month in (TODAY.month, 0)}
    # A change of the district's own centre: a partial refresh of the district alone.
    from targets.services import indicator_refresh_part

    indicator_refresh_part(INDICATORS["care_centres"], TODAY.year, towns={DISTRICT})
    assert values("care_centres", TODAY.year) == centres
