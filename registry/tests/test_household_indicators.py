"""Known answers of `households_with_disabled` (households with an active disabled member)
and `households_multi_disabled` (一户多残: two or more), both a stock counted as of now, by
the household's community (`Household.area`, which is its members' own).

- 白沙 紫沙 0020010001: 陈建国 and 陈小红, both active: 一户多残;
- 白沙 紫沙 0020010002: 张三 and 张四; 张四 died on 31 December of last year: one active
  member, not 一户多残;
- 白沙 丰乐 0020020001: 王小明 and 王小华; 王小明 then moves to 荷塘 and joins 王大's
  household 荷塘 禾冈 1022020001 (leaving his old one): 0020020001 counts in 白沙 with one
  member, 1022020001 in 荷塘 with two, 一户多残;
- 荷塘 塔岗 1022010001: 李秀英 alone;
- 荷塘 塔岗 1022010002: 李四 joined and left it, 李五 died on 1 January of this year: no
  active member, not counted.

A stock has no figure for last year: refreshing last year writes none.
"""

import datetime

import pytest
from django.utils import timezone

from conftest import make_person
from registry.households import household_create, person_household_leave, person_household_set
from registry.models import EventKind
from registry.services import person_event_record, person_update
from targets.models import WHOLE_YEAR
from targets.services import indicators_refresh
from targets.testing import BAISHA, DISTRICT, HETANG, stored_figures

pytestmark = pytest.mark.django_db

# A stock is computed for the current year only (in the app's time zone), as of today.
TODAY = timezone.localdate()
YEAR = TODAY.year
KEYS = ["households_with_disabled", "households_multi_disabled"]


def figures(year: int = YEAR) -> dict[str, dict[tuple[str, int], int]]:
    return stored_figures(KEYS, year)


@pytest.fixture
def households(users, areas, person, other_person):
    make_households(users, areas, person, other_person)


@pytest.fixture
def households_refreshed_on_commit(users, areas, person, other_person, django_capture_on_commit_callbacks):
    """The same records, each write's own refresh run on commit (as in the app)."""
    with django_capture_on_commit_callbacks(execute=True):
        make_households(users, areas, person, other_person)


def make_households(users, areas, person, other_person):
    admin = users["admin"]

    def household(number, area, *members):
        made = household_create(user=admin, number=number, area=areas[area])
        for member, relation in members:
            person_household_set(user=admin, person=member, household=made, relationship=relation)
        return made

    def new(area, name, sequence):
        return make_person(areas[area], name=name, sequence=sequence, category=5, grade=2)

    household("0020010001", "baisha_a", (person, "户主"), (new("baisha_a", "陈小红", 222), "子女"))
    zhang_si = new("baisha_a", "张四", 302)
    household("0020010002", "baisha_a", (new("baisha_a", "张三", 301), "户主"), (zhang_si, "配偶"))
    person_event_record(user=admin, person=zhang_si, kind=EventKind.DEATH, date=datetime.date(YEAR - 1, 12, 31))
    wang = new("baisha_b", "王小明", 125)
    household("0020020001", "baisha_b", (wang, "户主"), (new("baisha_b", "王小华", 126), "子女"))
    person_update(user=admin, person=wang, data={"area": areas["hetang_b"]})
    household("1022020001", "hetang_b", (new("hetang_b", "王大", 127), "户主"), (wang, "子女"))
    household("1022010001", "hetang_a", (other_person, "户主"))
    li_si, li_wu = new("hetang_a", "李四", 401), new("hetang_a", "李五", 402)
    household("1022010002", "hetang_a", (li_si, "户主"), (li_wu, "配偶"))
    person_household_leave(user=admin, person=li_si)
    person_event_record(user=admin, person=li_wu, kind=EventKind.DEATH, date=datetime.date(YEAR, 1, 1))


# The whole year and the current month hold the same figure, as of today.
AT = (WHOLE_YEAR, TODAY.month)
EXPECTED = {
    "households_with_disabled": {
        **{(BAISHA, m): 3 for m in AT},
        **{(HETANG, m): 2 for m in AT},
        **{(DISTRICT, m): 5 for m in AT},
    },
    "households_multi_disabled": {
        **{(BAISHA, m): 1 for m in AT},
        **{(HETANG, m): 1 for m in AT},
        **{(DISTRICT, m): 2 for m in AT},
    },
}


def test_households_with_one_and_with_two_or_more_disabled_members(households):
    indicators_refresh(year=YEAR, keys=KEYS)
    assert figures() == EXPECTED
    assert [r.changed for r in indicators_refresh(year=YEAR, keys=KEYS)] == [0, 0]


def test_the_refreshes_on_commit_leave_nothing_for_the_nightly_full_refresh(households_refreshed_on_commit):
    assert figures() == EXPECTED
    assert [r.changed for r in indicators_refresh(year=YEAR, keys=KEYS)] == [0, 0]


def test_last_year_gets_no_figure_of_todays_stock(households):
    assert [r.rows for r in indicators_refresh(year=YEAR - 1, keys=KEYS)] == [0, 0]
    assert figures(YEAR - 1) == {key: {} for key in KEYS}
