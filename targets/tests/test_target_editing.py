"""Only the district administrator sets the year's targets (the page and the service); a
target is a number in the indicator's unit, never negative; blank removes it."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from targets.models import Target
from targets.services import targets_set

YEAR = 2026
URL = reverse("targets:targets_edit")


def field(key: str, code: str) -> str:
    return f"t_{key}_{code}"


def test_the_administrator_sets_district_and_town_targets(login, users, areas):
    client = login(users["admin"])
    page = client.get(URL, {"year": YEAR})
    assert page.status_code == 200 and "持证残疾人数" in page.content.decode()
    data = {
        "year": YEAR,
        field("certified_persons", "440703000000"): "9100",
        field("fuel_recipients", "440703002000"): "30",
        "note": "年初计划",
    }
    response = client.post(URL, data)
    assert response.status_code == 302
    got = {(t.indicator, t.area_id): t.value for t in Target.objects.filter(year=YEAR)}
    assert got == {
        ("certified_persons", "440703000000"): Decimal(9100),
        ("fuel_recipients", "440703002000"): Decimal(30),
    }
    target = Target.objects.get(indicator="certified_persons")
    assert target.updated_by == users["admin"] and target.note == "年初计划"
    assert target.history.count() == 1
    form = client.get(URL, {"year": YEAR}).content.decode()
    assert 'value="9100"' in form and 'value="30"' in form


def test_a_blank_field_removes_the_target(login, users, areas):
    Target.objects.create(year=YEAR, indicator="fuel_recipients", area=areas["district"], value=152)
    response = login(users["admin"]).post(URL, {"year": YEAR})
    assert response.status_code == 302
    assert not Target.objects.exists()


def test_a_negative_target_is_refused(login, users, areas):
    response = login(users["admin"]).post(URL, {"year": YEAR, field("fuel_recipients", "440703000000"): "-1"})
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    assert not Target.objects.exists()


@pytest.mark.parametrize("role", ["officer", "other_officer", "leader", "reviewer", "centre"])
def test_other_roles_may_not_set_targets(login, users, areas, role):
    client = login(users[role])
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"year": YEAR, field("fuel_recipients", "440703000000"): "1"}).status_code == 403
    assert not Target.objects.exists()


def test_the_service_refuses_a_town_officer(users, areas):
    with pytest.raises(PermissionDenied):
        targets_set(user=users["officer"], year=YEAR, values={("fuel_recipients", "440703002000"): Decimal(1)})


def test_the_service_refuses_an_unknown_indicator_or_area(users, areas):
    with pytest.raises(ValidationError):
        targets_set(user=users["admin"], year=YEAR, values={("no_such", "440703000000"): Decimal(1)})
    with pytest.raises(ValidationError):
        targets_set(user=users["admin"], year=YEAR, values={("fuel_recipients", "440703002001"): Decimal(1)})


def test_seed_targets_sets_the_seeds_numbers_once(areas):
    from django.core.management import call_command

    call_command("seed_targets", year=YEAR)
    call_command("seed_targets", year=YEAR)
    got = dict(Target.objects.filter(year=YEAR, area=areas["district"]).values_list("indicator", "value"))
    assert got == {
        "certified_persons": Decimal(9100),
        "fuel_recipients": Decimal(152),
        "education_students": Decimal(60),
        "insurance_insured": Decimal(9100),
        "rehab_person_times": Decimal(1800),
        "rehab_coverage": Decimal(90),
        "outreach_households_visited": Decimal(170),
        "outreach_deliveries": Decimal(9100),
        "care_centres": Decimal(18),
        "employment_trained": Decimal(110),
        "employment_startup_households": Decimal(20),
    }


def test_the_demos_seed_targets_are_split_among_the_towns(users, areas, person, other_person):
    """`seed_targets --split` (the demo) splits the targets it set by certified persons: a
    count adds up to the district's, a share is the same in every town; a second run
    splits nothing again."""
    from django.core.management import call_command

    call_command("seed_targets", year=YEAR, split=True)
    towns = {areas["baisha"].code, areas["hetang"].code}
    visits = dict(
        Target.objects.filter(year=YEAR, indicator="outreach_households_visited", area_id__in=towns).values_list(
            "area_id", "value"
        )
    )
    assert set(visits) == towns and sum(visits.values()) == Decimal(170)
    coverage = Target.objects.filter(year=YEAR, indicator="rehab_coverage", area_id__in=towns)
    assert sorted(coverage.values_list("value", flat=True)) == [Decimal(90), Decimal(90)]
    count = Target.objects.count()
    call_command("seed_targets", year=YEAR, split=True)
    assert Target.objects.count() == count
