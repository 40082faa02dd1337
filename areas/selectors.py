"""Reading the area tree: resolve what an import or a form names to a current area."""

from areas.models import Area, Level


class AreaLookup:
    """An in-memory index of the tree for resolving many rows (an import) without a query
    per row. Retired codes resolve to their successor; names are matched exactly after
    trimming spaces."""

    def __init__(self) -> None:
        self.by_code: dict[str, Area] = {}
        self.town_by_name: dict[str, Area] = {}
        self.community_by_names: dict[tuple[str, str], Area] = {}
        areas = list(Area.objects.select_related("parent", "successor"))
        for area in areas:
            self.by_code[area.code] = area
        for area in areas:
            current = area.current()
            if area.level == Level.TOWN:
                self.town_by_name.setdefault(area.name, current)
        for area in areas:
            if area.level == Level.COMMUNITY and area.parent_id:
                town = self.by_code[area.parent_id]
                self.community_by_names[(town.name, area.name)] = area.current()
                current_town = town.current()
                if current_town is not town:
                    self.community_by_names.setdefault((current_town.name, area.name), area.current())

    def by_code_current(self, code: str) -> Area | None:
        area = self.by_code.get(code)
        return area.current() if area else None

    def community(self, *, code: str = "", town: str = "", community: str = "") -> tuple[Area | None, str]:
        """Return (community, "") or (None, reason in Chinese)."""
        if code:
            if len(code) != 12 or not code.isdigit():
                return None, f"区划代码应为 12 位数字：{code}"
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
        area = self.community_by_names.get((town, community)) or self.community_by_names.get(
            (current_town.name, community)
        )
        if area is None:
            return None, f"{current_town.name}下没有村(居)：{community}"
        return area, ""
