"""Known answers of `employment_placed` (新就业安置的持证残疾人): persons placed in a job
in the year, by the month they started, in the town of the placement (which follows a
person who moves, `JobPlacement.follows_person`).

Last year:

- 陈建国 (白沙): placed on 1 January (a placement of 31 December the year before ends on
  that day and is not counted last year); a placement on 31 December of last year counts
  in December; a placement on 1 January of this year does not count last year;
- 李秀英 (荷塘): a placement on 10 March, voided: not counted;
- 王小明 (白沙): placed on 5 May, then moves to 荷塘 on 1 July: counted in 荷塘 (the
  placement follows him), not in 白沙.
"""

import datetime

import pytest
from django.utils import timezone

from conftest import make_person
from employment import services
from employment.models import ServicePoint
from registry.services import person_update
from targets.models import WHOLE_YEAR
from targets.services import indicators_refresh
from targets.testing import BAISHA, DISTRICT, HETANG, stored_figures

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1
KEY = "employment_placed"


def day(month: int, number: int, year: int = YEAR) -> datetime.date:
    return datetime.date(year, month, number)


def figures() -> dict[tuple[str, int], int]:
    return stored_figures([KEY], YEAR)[KEY]


@pytest.fixture
def placed(users, areas, person, other_person, django_capture_on_commit_callbacks):
    """The records, each write's own refresh run on commit (as in the app)."""
    with django_capture_on_commit_callbacks(execute=True):
        record(users, areas, person, other_person)


def record(users, areas, person, other_person):
    officer = users["admin"]
    point = ServicePoint.objects.get(code="JY01")
    employer = services.employer_create(user=officer, name="江门市益杯咖啡有限公司", kind="enterprise",
                                        area=areas["baisha"])  # fmt: skip
    moved = make_person(areas["baisha_b"], name="王小明", sequence=125, category=5, grade=1)

    def place(who, on, title="咖啡师"):
        return services.placement_create(
            user=officer, person=who, employer=employer, job_title=title, started_on=on, wage_fen=300000, point=point
        )

    before = place(person, day(12, 31, YEAR - 1))
    services.placement_end(user=officer, placement=before, ended_on=day(1, 1), reason="合同到期")
    first = place(person, day(1, 1))
    services.placement_end(user=officer, placement=first, ended_on=day(12, 30), reason="合同到期")
    last = place(person, day(12, 31))
    services.placement_end(user=officer, placement=last, ended_on=day(12, 31), reason="合同到期")
    place(person, day(1, 1, YEAR + 1))
    voided = place(other_person, day(3, 10))
    services.record_discard(user=officer, record=voided, reason="录入错误")
    place(moved, day(5, 5))
    person_update(user=officer, person=moved, data={"area": areas["hetang_b"]})


EXPECTED = {
    # 白沙: 陈建国 once in the year (January and December are one person).
    (BAISHA, WHOLE_YEAR): 1,
    (BAISHA, 1): 1,
    (BAISHA, 12): 1,
    # 荷塘: 王小明, placed in 白沙 in May, moved since; 李秀英's voided placement not.
    (HETANG, WHOLE_YEAR): 1,
    (HETANG, 5): 1,
    (DISTRICT, WHOLE_YEAR): 2,
    (DISTRICT, 1): 1,
    (DISTRICT, 5): 1,
    (DISTRICT, 12): 1,
}


def test_placed_persons_by_town_and_month(placed):
    indicators_refresh(year=YEAR, keys=[KEY])
    assert figures() == EXPECTED
    assert [r.changed for r in indicators_refresh(year=YEAR, keys=[KEY])] == [0]


def test_the_refreshes_on_commit_leave_nothing_for_the_nightly_full_refresh(placed):
    assert figures() == EXPECTED
    assert [r.changed for r in indicators_refresh(year=YEAR, keys=[KEY])] == [0]
