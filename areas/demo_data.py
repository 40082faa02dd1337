"""The communities (社区) and villages (村) of the demo district.

Names are real places of each town/street where we know them and plausible ones where we
do not; the 12-digit codes follow the national convention (town's 9 digits + 001–199 for
urban communities / residents' committees, 200–399 for villages) but are demo codes, not
the official table. A real deployment loads the official workbook with
`python manage.py import_areas FILE.xlsx`; the demo goes through the same import.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoTown:
    code: str  # 12-digit code of the town/street
    name: str
    login: str  # the demo town officer's user name
    weight: float  # share of the district's certified persons, roughly by population
    communities: tuple[str, ...]  # 社区, coded 001…
    villages: tuple[str, ...] = ()  # 村, coded 201…


TOWNS: tuple[DemoTown, ...] = (
    DemoTown(
        "440703002000",
        "白沙街道",
        "baisha",
        0.21,
        communities=(
            "紫沙社区",
            "丰乐社区",
            "江华社区",
            "紫茶社区",
            "长堤社区",
            "仓后社区",
            "堤东社区",
            "白石社区",
            "东华社区",
            "华园社区",
            "新华社区",
            "启明社区",
            "跃进社区",
            "象溪社区",
        ),
    ),
    DemoTown(
        "440703005000",
        "潮连街道",
        "chaolian",
        0.07,
        communities=(
            "芝山社区",
            "富岗社区",
            "卢边社区",
            "坦边社区",
            "石坎社区",
            "豸岗社区",
            "潮江社区",
            "南庚社区",
            "洲头社区",
            "宾和社区",
        ),
    ),
    DemoTown(
        "440703006000",
        "环市街道",
        "huanshi",
        0.22,
        communities=(
            "北街社区",
            "篁庄社区",
            "甘化社区",
            "丰盛社区",
            "联和社区",
            "桥头社区",
            "建德社区",
            "东仓社区",
            "星河社区",
            "群星社区",
            "里村社区",
            "天沙社区",
        ),
        villages=("龙湾村", "水南村", "上沙村"),
    ),
    DemoTown(
        "440703101000",
        "棠下镇",
        "tangxia",
        0.22,
        communities=("棠下社区", "石头社区", "富华社区"),
        villages=(
            "周郡村",
            "虎岭村",
            "天乡村",
            "良溪村",
            "桐井村",
            "横江村",
            "中和村",
            "五和村",
            "江头村",
            "堡棠村",
            "大林村",
            "三堡村",
            "新昌村",
        ),
    ),
    DemoTown(
        "440703102000",
        "荷塘镇",
        "hetang",
        0.12,
        communities=("荷塘社区",),
        villages=(
            "塔岗村",
            "禾冈村",
            "良村",
            "三丫村",
            "霞村",
            "白藤村",
            "篁湾村",
            "康溪村",
            "六坊村",
            "吉兆村",
            "南村",
            "为民村",
            "东升村",
            "高村",
            "马岗村",
        ),
    ),
    DemoTown(
        "440703103000",
        "杜阮镇",
        "duruan",
        0.16,
        communities=("杜阮社区", "松园社区"),
        villages=(
            "龙榜村",
            "上巷村",
            "南芦村",
            "北芦村",
            "杜臂村",
            "井根村",
            "瑶村",
            "亭园村",
            "贯溪村",
            "木朗村",
            "松岭村",
            "楼山村",
            "长乐村",
        ),
    ),
)


def community_code(town: DemoTown, index: int, *, village: bool) -> str:
    return f"{town.code[:9]}{(201 if village else 1) + index:03d}"


def demo_area_rows() -> list[tuple[str, str]]:
    """(区划代码, 名称) rows for every demo community and village, ordered by code."""
    rows = []
    for town in TOWNS:
        rows += [(community_code(town, i, village=False), n) for i, n in enumerate(town.communities)]
        rows += [(community_code(town, i, village=True), n) for i, n in enumerate(town.villages)]
    return sorted(rows)
