"""A jurisdiction written as a LIKE prefix and as a code range selects the same areas."""

import pytest

from areas.models import Area, code_prefix_filter


@pytest.mark.parametrize("prefix", ["440703", "440703001", "440703009", "440703001001", "4407039"])
def test_the_range_selects_exactly_the_codes_that_start_with_the_prefix(areas, prefix):
    codes = ["440703001001", "440703009999", "440703010000", "440704000000", "440702999999", "440703999999"]
    for code in codes:
        Area.objects.get_or_create(code=code, defaults={"name": f"测试{code}", "level": 3})
    selected = set(Area.objects.filter(code_prefix_filter("code", prefix)).values_list("code", flat=True))
    assert selected == set(Area.objects.filter(code__startswith=prefix).values_list("code", flat=True))
    assert selected  # every prefix above matches at least one code


def test_no_prefix_is_no_filter():
    assert code_prefix_filter("code", "") == code_prefix_filter("area__code", "")
    assert not code_prefix_filter("code", "")
