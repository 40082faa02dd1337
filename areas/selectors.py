"""Reading the area tree: resolve what an import or a form names to a current area."""

from areas.models import Area, Level
from canlian.params import ascii_digits


class AreaLookup:
    """An in-memory index of the tree for resolving many rows (an import) without a query
    per row. Retired codes resolve to their successor; names are matched exactly after
    trimming spaces."""

    def __init__(self) -> None:
        self.by_code: dict[str, Area] = {}
        self.town_by_name: dict[str, Area] = {}
        self.community_by_names: dict[tuple[str, str], Area] = {}
        areas = list(Area.objects.select_related("parent", "successor").defer("boundary"))
        for area in areas:
            self.by_code[area.code] = area
        for area in areas:
            current = area.current()
            if area.level == Level.TOWN:
                self.town_by_name.setdefault(area.name, current)
        communities = [a for a in areas if a.level == Level.COMMUNITY and a.parent_id]
        for area in communities:
            if area.is_active:
                self.community_by_names[(self.by_code[area.parent_id].name, area.name)] = area
        for area in communities:
            town = self.by_code[area.parent_id]
            if not area.is_active:
                # A community of a retired street is today the community of the same
                # name under the street it was merged into, if there is one.
                resolved = self._successor_of(area)
                if resolved:
                    self.community_by_names.setdefault((town.name, area.name), resolved)

    def _successor_of(self, area: Area) -> Area | None:
        if area.successor_id:
            return area.current()
        town = self.by_code[area.parent_id].current()
        found = self.community_by_names.get((town.name, area.name))
        return found if found and found.is_active else None

    def by_code_current(self, code: str) -> Area | None:
        area = self.by_code.get(code)
        if area is None or area.is_active:
            return area
        return self._successor_of(area) if area.level == Level.COMMUNITY else area.current()

    def community(self, *, code: str = "", town: str = "", community: str = "") -> tuple[Area | None, str]:
        """Return (community, "") or (None, reason in Chinese)."""
        if code:
            if len(code) != 12 or not ascii_digits(code):
                return None, f"区划代码应为 12 位数字：{code}"
            if code in self.by_code and self.by_code_current(code) is None:
                retired = self.by_code[code]
                return None, f"区划代码 {code}（{retired.name}）已撤销，且无法对应到现行村(居)，请改填现行代码"
            area = self.by_code_current(code)
            if area is None:
                return None, f"未知的区划代码：{code}"
            if area.level != Level.COMMUNITY:
                return None, f"区划代码 {code} 是{area.get_level_display()}，应填写村(居)的代码"
            return area, ""
        if not town:
            return None, "镇街不能为空（或填写区划代码）"
        if town not in self.town_by_name:
            return None, f"未知的镇街：{town}"
        if not community:
            return None, "村居不能为空（或填写区划代码）"
        current_town = self.town_by_name[town]
        area = self.community_by_names.get((current_town.name, community)) or self.community_by_names.get(
            (town, community)
        )
        if area is None:
            return None, f"{current_town.name}下没有村(居)：{community}"
        return area, ""
