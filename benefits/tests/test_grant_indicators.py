"""Known answers of the one-off grants' figures — `hardship_grants` (临时困难救助人次),
`house_repair_grants` (危房改造资助人次), `home_adaptation_grants` (居家无障碍改造资助人次):
the payments (person-times) of the year's approved batches, by the batch's month, in the
town each payment was made in (the person's town when the batch was generated; payments
made keep it when the person moves).

Last year:

- hardship: 陈建国 (白沙) is paid by the approved batches of January and December (and by
  those of December the year before and January of this year: neither counts last
  year); 李秀英's (荷塘) March batch is left a draft, not approved: not counted;
- house repair: 王小明 (白沙) moves to 荷塘 before his May batch is generated: paid in
  荷塘; 李秀英 (荷塘) is paid in June and moves to 白沙 afterwards: still 荷塘's;
- home adaptation: 陈建国 and 李秀英 (now of 白沙) in one July batch, at their projects'
  budgets: both 白沙's.
"""

import datetime

import pytest
from django.utils import timezone

from benefits.grants import grant_batch_approve, grant_batch_generate
from benefits.models import Application, Award, GrantProject, Rate, Scheme
from conftest import make_person
from registry.services import person_update
from targets.models import WHOLE_YEAR
from targets.services import indicators_refresh
from targets.testing import BAISHA, DISTRICT, HETANG, stored_figures

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1
KEYS = ["hardship_grants", "house_repair_grants", "home_adaptation_grants"]


def month(number: int, year: int = YEAR) -> datetime.date:
    return datetime.date(year, number, 1)


def figures() -> dict[str, dict[tuple[str, int], int]]:
    return stored_figures(KEYS, YEAR)


@pytest.fixture
def grants(users, areas, person, other_person):
    make_grants(users, areas, person, other_person)


@pytest.fixture
def grants_refreshed_on_commit(users, areas, person, other_person, django_capture_on_commit_callbacks):
    """The same records, each write's own refresh run on commit (as in the app)."""
    with django_capture_on_commit_callbacks(execute=True):
        make_grants(users, areas, person, other_person)


def make_grants(users, areas, person, other_person):
    preparer, reviewer = users["admin"], users["reviewer"]
    schemes = {code: Scheme.objects.get(code=code) for code in ("hardship", "house_repair", "home_adaptation")}
    for scheme in schemes.values():
        Rate.objects.create(scheme=scheme, valid_from=datetime.date(2020, 1, 1), amount_fen=80000)
    moved = make_person(areas["baisha_b"], name="王小明", sequence=125, category=5, grade=1)

    def award(who, code, start, *, budget=None):
        application = None
        if budget is not None:
            application = Application.objects.create(
                person=who,
                scheme=schemes[code],
                area_code=who.area_id,
                applied_on=start,
                applicant=Application.Applicant.SELF,
                state=Application.State.APPROVED,
                submitted_by=users["officer"],
            )
            GrantProject.objects.create(
                application=application, kind=code, description="改造", budget_fen=budget, created_by=preparer
            )
        Award.objects.create(
            person=who,
            scheme=schemes[code],
            area_code=who.area_id,
            start_month=start,
            source=Award.Source.IMPORT,
            application=application,
        )

    def batch(code, on, *, approve=True):
        made = grant_batch_generate(schemes[code], on, preparer)
        assert made.months.exists()
        if approve:
            grant_batch_approve(batch=made, user=reviewer, version=made.version)

    for on in (month(12, YEAR - 1), month(1), month(12), month(1, YEAR + 1)):
        award(person, "hardship", on)
        batch("hardship", on)
    award(other_person, "hardship", month(3))
    batch("hardship", month(3), approve=False)

    award(moved, "house_repair", month(5))
    person_update(user=preparer, person=moved, data={"area": areas["hetang_b"]})
    batch("house_repair", month(5))
    award(other_person, "house_repair", month(6))
    batch("house_repair", month(6))
    person_update(user=preparer, person=other_person, data={"area": areas["baisha_b"]})

    award(person, "home_adaptation", month(7), budget=1500000)
    award(other_person, "home_adaptation", month(7), budget=900000)
    batch("home_adaptation", month(7))


EXPECTED = {
    # 陈建国 in January and December: two person-times; the draft of March not.
    "hardship_grants": {
        (BAISHA, WHOLE_YEAR): 2,
        (BAISHA, 1): 1,
        (BAISHA, 12): 1,
        (DISTRICT, WHOLE_YEAR): 2,
        (DISTRICT, 1): 1,
        (DISTRICT, 12): 1,
    },
    # Both paid in 荷塘: 王小明 had moved there, 李秀英 moved away after.
    "house_repair_grants": {
        (HETANG, WHOLE_YEAR): 2,
        (HETANG, 5): 1,
        (HETANG, 6): 1,
        (DISTRICT, WHOLE_YEAR): 2,
        (DISTRICT, 5): 1,
        (DISTRICT, 6): 1,
    },
    # Both in 白沙, where 李秀英 lives since June.
    "home_adaptation_grants": {
        (BAISHA, WHOLE_YEAR): 2,
        (BAISHA, 7): 2,
        (DISTRICT, WHOLE_YEAR): 2,
        (DISTRICT, 7): 2,
    },
}


def test_the_one_off_grants_count_approved_payments_by_batch_month_and_town_paid(grants):
    indicators_refresh(year=YEAR, keys=KEYS)
    assert figures() == EXPECTED
    assert [r.changed for r in indicators_refresh(year=YEAR, keys=KEYS)] == [0, 0, 0]


def test_the_refreshes_on_commit_leave_nothing_for_the_nightly_full_refresh(grants_refreshed_on_commit):
    assert figures() == EXPECTED
    assert [r.changed for r in indicators_refresh(year=YEAR, keys=KEYS)] == [0, 0, 0]
