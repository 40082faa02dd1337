"""The certified persons by category (7) and by grade (4), on a hand-built registry with
known answers: today's figures from the counters, each month-end of last year read back
from the event chains — a grade changed on 31 December counts in December's end, not in
November's; a death on 1 January still counts at the end of the December before; a dead
person is not counted after; the district is the sum of its towns."""

import datetime

import pytest
from django.utils import timezone

from conftest import make_person
from registry.services import person_event_record
from targets.models import IndicatorValue
from targets.services import indicators_refresh, stock_month_ends_record

pytestmark = pytest.mark.django_db

THIS = timezone.localdate().year  # the app's year (Asia/Shanghai)
LAST = THIS - 1
BAISHA, HETANG, DISTRICT = "440703002000", "440703102000", "440703000000"
KEYS = [f"certified_category_{c}" for c in range(1, 8)] + [f"certified_grade_{g}" for g in range(1, 5)]


@pytest.fixture
def registry(users, areas):
    """白沙: categories 1, 2, 4 (dies on 1 January this year), 7; 荷塘: 3, 4, 5, 6."""
    spec = [
        ("baisha_a", 1, 1, 301),
        ("baisha_a", 2, 2, 302),  # grade 2 → 3 on 31 December last year
        ("baisha_b", 4, 3, 303),  # dies on 1 January this year
        ("baisha_b", 7, 4, 304),
        ("hetang_a", 3, 1, 305),
        ("hetang_a", 4, 2, 306),
        ("hetang_b", 6, 4, 307),
        ("hetang_b", 5, 3, 308),
    ]
    made = [
        make_person(areas[area], name=f"测试{n}", sequence=n, category=category, grade=grade)
        for area, category, grade, n in spec
    ]
    admin = users["admin"]
    person_event_record(user=admin, person=made[1], kind="grade", date=datetime.date(LAST, 12, 31), value=3)
    person_event_record(user=admin, person=made[2], kind="death", date=datetime.date(THIS, 1, 1))
    return made


def figures(year: int, month: int) -> dict[tuple[str, str], int]:
    rows = IndicatorValue.objects.filter(indicator__in=KEYS, year=year, month=month).exclude(value=0)
    return {(v.indicator, v.area_code): int(v.value) for v in rows}


def by_town(baisha: dict[str, int], hetang: dict[str, int]) -> dict[tuple[str, str], int]:
    """The expected rows: each town's, and the district's as their sum."""
    expected = {(k, BAISHA): n for k, n in baisha.items()} | {(k, HETANG): n for k, n in hetang.items()}
    for key in {*baisha, *hetang}:
        expected[(key, DISTRICT)] = baisha.get(key, 0) + hetang.get(key, 0)
    return expected


def test_todays_figures_count_the_living_by_their_category_and_grade(registry):
    indicators_refresh(year=THIS, keys=KEYS)
    assert figures(THIS, 0) == by_town(
        {"certified_category_1": 1, "certified_category_2": 1, "certified_category_7": 1}
        | {"certified_grade_1": 1, "certified_grade_3": 1, "certified_grade_4": 1},
        {"certified_category_3": 1, "certified_category_4": 1, "certified_category_5": 1, "certified_category_6": 1}
        | {"certified_grade_1": 1, "certified_grade_2": 1, "certified_grade_3": 1, "certified_grade_4": 1},
    )
    assert [r.changed for r in indicators_refresh(year=THIS, keys=KEYS)] == [0] * len(KEYS)


def test_last_years_month_ends_are_read_back_from_the_events(registry):
    stock_month_ends_record(year=LAST, today=datetime.date(THIS, 1, 15))
    hetang = {"certified_category_3": 1, "certified_category_4": 1, "certified_category_5": 1}
    hetang |= {"certified_category_6": 1, "certified_grade_1": 1, "certified_grade_2": 1}
    hetang |= {"certified_grade_3": 1, "certified_grade_4": 1}
    baisha = {"certified_category_1": 1, "certified_category_2": 1, "certified_category_4": 1}
    baisha |= {"certified_category_7": 1, "certified_grade_1": 1, "certified_grade_4": 1}
    # November's end: the grade still 2 (the change is dated 31 December); the woman who
    # dies on 1 January counted, of grade 3.
    assert figures(LAST, 11) == by_town(baisha | {"certified_grade_2": 1, "certified_grade_3": 1}, hetang)
    # December's end: the grade change of its last day counted; she is still alive then.
    assert figures(LAST, 12) == by_town(baisha | {"certified_grade_3": 2}, hetang)
