"""A prefix written as LIKE and as a range selects exactly what LIKE alone selects: area
codes (the jurisdiction), and ID and certificate numbers (the search)."""

import pytest

from areas.models import Area
from canlian.prefix import _upper, prefix_filter
from conftest import make_person
from registry.models import Person
from registry.testing import make_id_number


@pytest.mark.parametrize("prefix", ["440703", "440703001", "440703009", "440703001001", "4407039"])
def test_area_codes_in_the_range_are_the_codes_that_start_with_the_prefix(areas, prefix):
    codes = ["440703001001", "440703009999", "440703010000", "440704000000", "440702999999", "440703999999"]
    for code in codes:
        Area.objects.get_or_create(code=code, defaults={"name": f"测试{code}", "level": 3})
    selected = set(Area.objects.filter(prefix_filter("code", prefix)).values_list("code", flat=True))
    assert selected == set(Area.objects.filter(code__startswith=prefix).values_list("code", flat=True))
    assert selected  # every prefix above matches at least one code


def test_id_and_certificate_prefixes_including_nines_and_the_check_x(areas):
    with_x = next(s for s in range(1, 1000) if make_id_number(birth="19991231", sequence=s).endswith("X"))
    persons = [make_person(areas["baisha_a"], birth="19991231", sequence=s) for s in (99, 100, 199, 999, with_x)]
    numbers = [p.id_number for p in persons] + [p.certificate_number for p in persons]
    prefixes = {n[:k] for n in numbers for k in (6, 10, 14, 17, 18, 19, 20)}
    assert any(p.endswith("9") for p in prefixes) and any(p.endswith("X") for p in prefixes)
    for prefix in sorted(prefixes):
        for field in ("id_number", "certificate_number"):
            ranged = set(Person.objects.filter(prefix_filter(field, prefix)).values_list("pk", flat=True))
            liked = set(Person.objects.filter(**{f"{field}__startswith": prefix}).values_list("pk", flat=True))
            assert ranged == liked, (field, prefix)


def test_the_upper_bound_carries_over_nines_and_follows_x():
    assert _upper("440703") == "440704"
    assert _upper("4407039") == "440704"
    assert _upper("44070319991231099X") == "44070319991231099Y"
    assert _upper("999") is None
    assert _upper("陈") is None


def test_no_prefix_is_no_filter():
    assert not prefix_filter("code", "")
