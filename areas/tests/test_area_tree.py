"""The area tree: prefixes, scoping by code, retired streets and resolving names/codes."""

import pytest

from areas.models import Area, Level
from areas.selectors import AreaLookup
from areas.services import areas_import_rows

pytestmark = pytest.mark.django_db

BAISHA, HUANSHI, HETANG = "440703002000", "440703006000", "440703102000"


def test_prefix_is_the_significant_digits_of_each_level(areas):
    assert areas["district"].prefix == "440703"
    assert areas["baisha"].prefix == "440703002"
    assert areas["baisha_a"].prefix == "440703002001"


def test_within_is_the_area_and_everything_below_it(areas):
    in_baisha = set(Area.objects.within(areas["baisha"]).values_list("code", flat=True))
    assert in_baisha == {BAISHA, "440703002001", "440703002002"}
    assert set(Area.objects.within(areas["baisha_a"]).values_list("code", flat=True)) == {"440703002001"}
    in_district = Area.objects.within(areas["district"])
    assert {"440703102201", "440703001000", BAISHA}.issubset(set(in_district.values_list("code", flat=True)))
    assert areas["baisha"].contains("440703002002") and not areas["baisha"].contains("440703102201")


def test_towns_are_the_six_current_streets_and_towns():
    assert list(Area.objects.towns().values_list("name", flat=True)) == [
        "白沙街道",
        "潮连街道",
        "环市街道",
        "棠下镇",
        "荷塘镇",
        "杜阮镇",
    ]


def test_retired_streets_follow_to_their_successor():
    canghou = Area.objects.get(code="440703001000")
    beijie = Area.objects.get(code="440703004000")
    assert canghou.is_active is False and beijie.is_active is False
    assert canghou.current().code == BAISHA
    assert Area.objects.get(code="440703003000").current().code == BAISHA
    assert beijie.current().code == HUANSHI
    assert Area.objects.get(code=BAISHA).current().code == BAISHA


def test_current_follows_a_chain_and_stops_on_a_cycle():
    district = Area.objects.get(code="440703000000")
    older = Area.objects.create(
        code="440703007000",
        name="旧街道甲",
        level=Level.TOWN,
        parent=district,
        is_active=False,
        successor_id="440703001000",
    )
    assert older.current().code == BAISHA  # 旧街道甲 → 仓后 → 白沙

    a = Area.objects.create(code="440703008000", name="甲", level=Level.TOWN, parent=district)
    b = Area.objects.create(code="440703009000", name="乙", level=Level.TOWN, parent=district, successor=a)
    a.successor = b
    a.save()
    assert a.current().code in {a.code, b.code}  # terminates


def test_town_of_each_level(areas):
    assert areas["hetang_a"].town == areas["hetang"]
    assert areas["hetang"].town == areas["hetang"]
    assert areas["district"].town is None


def test_lookup_by_code(areas):
    lookup = AreaLookup()
    assert lookup.community(code="440703102201") == (areas["hetang_a"], "")
    assert lookup.by_code_current("440703001000").code == BAISHA
    assert lookup.by_code_current("440703004000").code == HUANSHI
    assert lookup.by_code_current("440703999999") is None

    area, reason = lookup.community(code=HETANG)
    assert area is None and "镇(街)" in reason
    assert lookup.community(code="4407031022") == (None, "区划代码应为 12 位数字：4407031022")
    assert lookup.community(code="440703102299") == (None, "未知的区划代码：440703102299")


def test_lookup_by_names(areas):
    lookup = AreaLookup()
    assert lookup.community(town="白沙街道", community="紫沙社区") == (areas["baisha_a"], "")
    assert lookup.community(town="荷塘镇", community="禾冈村") == (areas["hetang_b"], "")
    assert lookup.community(town="荷塘镇", community="紫沙社区") == (None, "荷塘镇下没有村(居)：紫沙社区")
    assert lookup.community(town="火星镇", community="紫沙社区") == (None, "未知的镇街：火星镇")
    assert lookup.community(town="", community="紫沙社区")[0] is None
    assert lookup.community(town="白沙街道", community="")[0] is None


def test_a_retired_street_name_resolves_to_its_successor(areas):
    lookup = AreaLookup()
    assert lookup.town_by_name["仓后街道"].code == BAISHA
    assert lookup.town_by_name["北街街道"].code == HUANSHI
    # Old data naming the retired street with a community of today's street still resolves.
    assert lookup.community(town="仓后街道", community="丰乐社区") == (areas["baisha_b"], "")


def test_a_community_of_a_retired_street_maps_to_the_same_name_under_its_successor(tmp_path, areas):
    # 紫沙社区 of 仓后 was merged into 白沙 with its name: old codes and names land there, so
    # the 白沙 officer (prefix 440703002) sees those persons.
    areas_import_rows(rows=[("440703001005", "紫沙社区")], path=tmp_path / "old.xlsx")
    lookup = AreaLookup()
    assert lookup.community(code="440703001005") == (areas["baisha_a"], "")
    assert lookup.community(town="仓后街道", community="紫沙社区") == (areas["baisha_a"], "")


def test_a_community_of_a_retired_street_without_a_successor_is_refused_with_a_reason(tmp_path, areas):
    areas_import_rows(rows=[("440703001006", "仓后旧社区")], path=tmp_path / "old.xlsx")
    lookup = AreaLookup()
    area, reason = lookup.community(code="440703001006")
    assert area is None and "已撤销" in reason and "仓后旧社区" in reason
    area, reason = lookup.community(town="仓后街道", community="仓后旧社区")
    assert area is None and "白沙街道下没有村(居)：仓后旧社区" in reason
