"""Exports of the readiness page (每个机构的开放检查状态) and the placements list."""

from canlian.exporting import Column, ListExporter, rows_of
from care import selectors_places
from registry.presenters import PersonView
from registry.scoping import Privacy


class ReadinessExporter(ListExporter):
    sheet_name = "开放检查"
    filename = "托养机构开放检查情况"

    def __init__(self, user) -> None:
        self.user = user

    def columns(self) -> list[Column]:
        return [
            Column("机构编号", 10),
            Column("机构名称", 30),
            Column("类型", 22),
            Column("所在镇街", 12),
            Column("最近检查日期", 14, "date"),
            Column("状态", 16),
            Column("最近演练日期", 14, "date"),
        ]

    def log_detail(self) -> dict:
        return {"what": "care_readiness", "revealed": False}

    def iterate_list(self):
        for i in selectors_places.institution_states(self.user):
            yield [
                i.code,
                i.name,
                i.get_kind_display(),
                i.area.name,
                i.checked_on or "",
                selectors_places.state_label(i),
                i.drilled_on or "",
            ]


class PlacementExporter(ListExporter):
    sheet_name = "托养安置"
    filename = "寄宿型托养和居家养护名单"

    def __init__(self, user) -> None:
        self.user = user

    def columns(self) -> list[Column]:
        return [
            Column("姓名", 10),
            Column("公民身份号码", 22),
            Column("残疾类别等级", 14),
            Column("托养方式", 12),
            Column("服务机构", 30),
            Column("开始日期", 12, "date"),
            Column("结束日期", 12, "date"),
            Column("结束原因", 20),
        ]

    def log_detail(self) -> dict:
        return {"what": "care_placements", "revealed": False}

    def iterate_list(self):
        privacy = Privacy.for_user(self.user)
        rows = (
            selectors_places.placements_visible_to(self.user)
            .select_related("person", "institution")
            .order_by("kind", "-started_on", "pk")
        )
        for p in rows_of(rows):
            person = PersonView(p.person, privacy)
            yield [
                person.name,
                person.id_number,
                f"{p.person.get_category_display()}{p.person.get_grade_display()}",
                p.get_kind_display(),
                p.provider_name,
                p.started_on,
                p.ended_on or "",
                p.end_reason,
            ]
