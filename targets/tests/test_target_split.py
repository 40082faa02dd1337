"""A district target split among the towns by their share of certified persons: counts
add up to the district's exactly (largest remainders), a share is the same everywhere, a
town with nobody gets a zero target (and the dashboard divides by nothing); a split
target changed by hand is "adjusted"; only the district administrator splits."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from conftest import make_person
from targets.models import Basis, Target
from targets.services import split_by_share, targets_set, targets_split

YEAR = 2026
DISTRICT, BAISHA, HETANG, CHAOLIAN = "440703000000", "440703002000", "440703102000", "440703005000"


def test_the_largest_remainders_make_the_parts_add_up():
    parts = split_by_share(Decimal(10), {"a": 1, "b": 1, "c": 1}, step=Decimal(1))
    assert sorted(parts.values()) == [Decimal(3), Decimal(3), Decimal(4)] and sum(parts.values()) == 10
    assert split_by_share(Decimal(9100), {"a": 2, "b": 1, "c": 0}, step=Decimal(1)) == {
        "a": Decimal(6067),
        "b": Decimal(3033),
        "c": Decimal(0),
    }
    money = split_by_share(Decimal("100.00"), {"a": 1, "b": 2}, step=Decimal("0.01"))
    assert money == {"a": Decimal("33.33"), "b": Decimal("66.67")}
    assert split_by_share(Decimal(5), {"a": 0, "b": 0}, step=Decimal(1)) == {"a": Decimal(0), "b": Decimal(0)}


@pytest.fixture
def three_to_one(areas, person, other_person):
    """白沙 has three certified persons, 荷塘 one (and a dead one, not counted)."""
    make_person(areas["baisha_a"], name="甲", sequence=131)
    make_person(areas["baisha_b"], name="乙", sequence=133)
    make_person(areas["hetang_b"], name="丙", sequence=135, status="dead", status_date=datetime.date(2026, 3, 1))
    return areas


def test_split_shares_the_district_target_by_certified_persons(three_to_one, users):
    admin = users["admin"]
    targets_set(
        user=admin,
        year=YEAR,
        values={("rehab_person_times", DISTRICT): Decimal(1800), ("rehab_coverage", DISTRICT): Decimal(90)},
    )
    changed = targets_split(user=admin, year=YEAR, keys=["rehab_person_times", "rehab_coverage"])
    times = {t.area_id: t for t in Target.objects.filter(year=YEAR, indicator="rehab_person_times")}
    assert times[BAISHA].value == 1350 and times[HETANG].value == 450
    # Towns with no certified person: a zero target.
    assert times[CHAOLIAN].value == 0
    assert sum(t.value for code, t in times.items() if code != DISTRICT) == 1800
    assert times[BAISHA].basis == Basis.SPLIT and "3 人" in times[BAISHA].note
    assert times[DISTRICT].basis == Basis.MANUAL
    coverage = {t.area_id: t.value for t in Target.objects.filter(year=YEAR, indicator="rehab_coverage")}
    assert coverage[BAISHA] == coverage[HETANG] == coverage[CHAOLIAN] == 90
    assert changed == 2 * 6  # six current towns, two indicators
    # Again: nothing changes.
    assert targets_split(user=admin, year=YEAR, keys=["rehab_person_times"]) == 0
    # Adjusted by hand afterwards.
    targets_set(user=admin, year=YEAR, values={("rehab_person_times", BAISHA): Decimal(1300)})
    adjusted = Target.objects.get(year=YEAR, indicator="rehab_person_times", area_id=BAISHA)
    assert adjusted.value == 1300 and adjusted.basis == Basis.ADJUSTED


def test_a_town_with_a_zero_target_shows_no_achievement_and_no_light(three_to_one, users, login):
    from targets import selectors

    admin = users["admin"]
    targets_set(user=admin, year=YEAR, values={("rehab_person_times", DISTRICT): Decimal(1800)})
    targets_split(user=admin, year=YEAR, keys=["rehab_person_times"])
    board = selectors.board(admin, YEAR, today=datetime.date(YEAR, 6, 15))
    town = next(a for a in board.areas if a.code == CHAOLIAN)
    figure = board.figure(next(i for i in board.indicators if i.key == "rehab_person_times"), town)
    assert figure.target == 0 and figure.achievement is None and figure.light is None and figure.progress is None
    page = login(admin).get(reverse("targets:dashboard"), {"year": YEAR})
    assert page.status_code == 200


def test_split_needs_a_district_target_and_a_district_administrator(three_to_one, users):
    with pytest.raises(ValidationError, match="尚未设置全区目标"):
        targets_split(user=users["admin"], year=YEAR, keys=["fuel_recipients"])
    targets_set(user=users["admin"], year=YEAR, values={("fuel_recipients", DISTRICT): Decimal(152)})
    for who in ("officer", "leader", "reviewer"):
        with pytest.raises(PermissionDenied):
            targets_split(user=users[who], year=YEAR, keys=["fuel_recipients"])
    assert not Target.objects.filter(indicator="fuel_recipients").exclude(area_id=DISTRICT).exists()


def test_the_page_splits_and_refuses_with_a_chinese_message(three_to_one, users, login):
    targets_set(user=users["admin"], year=YEAR, values={("fuel_recipients", DISTRICT): Decimal(152)})
    client = login(users["admin"])
    page = client.get(reverse("targets:targets_edit"), {"year": YEAR})
    assert 'id="split-fuel_recipients"' in page.content.decode()
    url = reverse("targets:targets_split")
    response = client.post(url, {"year": YEAR, "indicator": ["fuel_recipients"]}, follow=True)
    assert "已按持证残疾人数占比分解" in response.content.decode()
    assert Target.objects.get(year=YEAR, indicator="fuel_recipients", area_id=BAISHA).value == 114
    response = client.post(url, {"year": YEAR, "indicator": ["education_students"]}, follow=True)
    assert "教育资助学生人数尚未设置全区目标" in response.content.decode()
    assert not Target.objects.filter(indicator="education_students").exists()
    assert login(users["officer"]).post(url, {"year": YEAR, "indicator": ["fuel_recipients"]}).status_code == 403
