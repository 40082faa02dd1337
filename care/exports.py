"""The monthly attendance sheet of an institution (月度考勤表): one row per member of the
month, one column per day, then the month's totals. Identifiers as the person list shows
them (`PersonView`: a masked ID number)."""

import datetime

from canlian.exporting import Column, ListExporter
from care.selectors import MonthSheet

PRESENT, ABSENT, CLOSED, OUTSIDE = "√", "缺", "休", "—"


def rate_text(present: int, member_days: int) -> str:
    return f"{100 * present / member_days:.1f}%" if member_days else ""


def cell(sheet: MonthSheet, row, day: datetime.date) -> str:
    """What the sheet shows of a member on a day: √ present, 缺 absent, 休 closed, — not a
    member that day, blank when the day was not taken."""
    mark = row.mark(day)
    if mark is not None:
        return PRESENT if mark.present else ABSENT
    if not row.enrolment.is_member_on(day):
        return OUTSIDE
    return "" if sheet.is_open(day) else CLOSED


class AttendanceSheetExporter(ListExporter):
    sheet_name = "考勤表"

    def __init__(self, sheet: MonthSheet) -> None:
        self.sheet = sheet
        self.filename = f"{sheet.institution.name}{sheet.month:%Y年%m月}考勤表"

    def columns(self) -> list[Column]:
        days = [Column(f"{d.day}日", 4) for d in self.sheet.days]
        return [
            Column("姓名", 10),
            Column("公民身份号码", 22),
            Column("入托日期", 12, "date"),
            *days,
            Column("出勤天数", 9, "int"),
            Column("缺勤天数", 9, "int"),
            Column("应出勤天数", 10, "int"),
            Column("出勤率", 8),
        ]

    def log_detail(self) -> dict:
        return {
            "what": "care_attendance_month",
            "institution": self.sheet.institution.code,
            "month": f"{self.sheet.month:%Y-%m}",
            "revealed": False,
        }

    def iterate_list(self):
        sheet = self.sheet
        for row in sheet.rows:
            self.person_seen(row.person.pk)
            present, member_days = sheet.present_days(row), sheet.member_days(row)
            yield [
                row.person.name,
                row.person.id_number,
                row.enrolment.started_on,
                *(cell(sheet, row, day) for day in sheet.days),
                present,
                sheet.absent_days(row),
                member_days,
                rate_text(present, member_days),
            ]
