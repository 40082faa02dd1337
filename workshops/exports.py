"""The monthly sheet of a workshop (车间月报表): one row per member of the month, with the
work days and the income paid; identifiers as the person list shows them (`PersonView`: a
masked ID number)."""

from canlian.exporting import Column, ListExporter
from workshops.selectors import MonthSheet


class MonthSheetExporter(ListExporter):
    sheet_name = "车间月报"

    def __init__(self, sheet: MonthSheet) -> None:
        self.sheet = sheet
        self.filename = f"{sheet.workshop.name}{sheet.month:%Y年%m月}月报表"

    def columns(self) -> list[Column]:
        return [
            Column("姓名", 10),
            Column("公民身份号码", 22),
            Column("项目", 16),
            Column("进入车间日期", 12, "date"),
            Column("离开日期", 12, "date"),
            Column("工作天数", 9, "int"),
            Column("收入（元）", 12, "money"),
        ]

    def log_detail(self) -> dict:
        return {
            "what": "workshops_month",
            "workshop": self.sheet.workshop.code,
            "month": f"{self.sheet.month:%Y-%m}",
            "revealed": False,
        }

    def iterate_list(self):
        for row in self.sheet.rows:
            self.person_seen(row.person.pk)
            m = row.membership
            yield [
                row.person.name,
                row.person.id_number,
                m.project.name if m.project_id else "",
                m.started_on,
                m.ended_on or "",
                row.entry.work_days if row.entry else None,
                row.entry.income_fen if row.entry else None,
            ]
