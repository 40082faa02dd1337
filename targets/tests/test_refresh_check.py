"""The nightly full refresh as a check of the incremental one: after a series of changes
through the apps' services — each refreshing only the towns and months it touched — a full
refresh of every indicator finds nothing to change (`Refreshed.changed`)."""

import datetime

from canlian.records import record_create, record_void
from care.models import CaseFollowUp, WatchIssue
from care.services.cases import followup_void
from outreach.models import HomeVisit
from targets.indicators import INDICATORS
from targets.models import IndicatorValue
from targets.services import indicator_refresh
from targets.tests.test_seed_figures import YEAR, data_set  # noqa: F401 (the fixture)

DISTRICT, BAISHA, HETANG = "440703000000", "440703002000", "440703102000"


def value(key: str, area: str, month: int) -> int | None:
    row = IndicatorValue.objects.filter(indicator=key, year=YEAR, area_code=area, month=month).first()
    return None if row is None else row.value


def test_after_incremental_changes_the_full_refresh_changes_nothing(
    data_set,  # noqa: F811
    users,
    django_capture_on_commit_callbacks,
):
    admin = users["admin"]
    a, b, c = data_set["a"], data_set["b"], data_set["c"]
    with django_capture_on_commit_callbacks(execute=True):
        # A new visit of 陈建国 (白沙) in June; 李秀英's February visit voided (荷塘).
        record_create(model=HomeVisit, user=admin, person=a, visited_on=datetime.date(YEAR, 6, 5))
        record_void(record=HomeVisit.objects.get(person=b, voided_at__isnull=True), user=admin, reason="重复")
    with django_capture_on_commit_callbacks(execute=True):
        # 王小明's watch of February voided (it followed him to 荷塘).
        record_void(record=WatchIssue.objects.get(person=c), user=admin, reason="录入错误")
    with django_capture_on_commit_callbacks(execute=True):
        # The January follow-up of 李秀英's case voided.
        followup_void(user=admin, follow_up=CaseFollowUp.objects.get(followed_on__month=1), reason="录入错误")
    # Each change is in its figures already.
    assert value("outreach_households_visited", BAISHA, 6) == value("outreach_households_visited", DISTRICT, 6) == 1
    assert value("outreach_households_visited", HETANG, 2) is None
    assert value("outreach_households_visited", DISTRICT, 0) == 2  # 陈建国, 王小明; not 李秀英 any more
    assert value("care_watches_issued", HETANG, 0) is None and value("care_watches_issued", DISTRICT, 0) == 1
    assert value("care_follow_ups", DISTRICT, 1) is None and value("care_follow_ups", HETANG, 0) == 1
    changed = {key: indicator_refresh(indicator, YEAR).changed for key, indicator in INDICATORS.items()}
    assert {key: n for key, n in changed.items() if n} == {}
