"""The dashboard's rehabilitation indicators (targets): person-times by the town and month
that served, voided records left out; coverage of the persons assessed with a need, a share
with its base; both refreshed after a service, a void or an assessment commits."""

import datetime

from rehab.services import need_assess, service_record_void
from targets.indicators import indicators_of
from targets.models import WHOLE_YEAR, IndicatorRefresh, IndicatorValue
from targets.services import indicators_refresh

TODAY = datetime.date.today()
DISTRICT, BAISHA, HETANG = "440703000000", "440703002000", "440703102000"


def values(key: str) -> dict[tuple[str, int], tuple[int, int | None]]:
    rows = IndicatorValue.objects.filter(indicator=key, year=TODAY.year)
    return {(v.area_code, v.month): (v.value, v.base) for v in rows}


def _assess(users, person, by="officer"):
    need_assess(user=users[by], person=person, year=TODAY.year, has_need=True, kinds=["physical"], assessed_on=TODAY)


def test_person_times_and_coverage_per_town(users, person, other_person, record_for, other_item):
    _assess(users, person)
    _assess(users, other_person, by="other_officer")
    record_for(person, days_ago=0)
    record_for(person, days_ago=0, item=other_item)
    voided = record_for(other_person, days_ago=0, by="other_officer")
    service_record_void(user=users["other_officer"], record=voided, reason="录错人员")
    indicators_refresh(year=TODAY.year, keys=["rehab_person_times", "rehab_coverage"])
    times, coverage = values("rehab_person_times"), values("rehab_coverage")
    assert times[(BAISHA, TODAY.month)] == times[(DISTRICT, WHOLE_YEAR)] == (2, None)
    assert (HETANG, WHOLE_YEAR) not in times
    assert coverage[(BAISHA, WHOLE_YEAR)] == (1, 1)
    assert coverage[(HETANG, WHOLE_YEAR)] == (0, 1)
    assert coverage[(DISTRICT, WHOLE_YEAR)] == (1, 2)


def test_a_service_refreshes_the_rehab_indicators_after_commit(
    users, person, record_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record_for(person, days_ago=0)
    refreshed = set(IndicatorRefresh.objects.filter(year=TODAY.year).values_list("indicator", flat=True))
    assert (
        refreshed
        == {i.key for i in indicators_of("rehab")}
        == {
            "rehab_person_times",
            "rehab_coverage",
            "child_rehab_children",
            "child_rehab_amount",
        }
    )
    assert values("rehab_person_times")[(DISTRICT, WHOLE_YEAR)] == (1, None)
