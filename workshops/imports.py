"""Bulk import of the workshops' months (公民身份号码, 车间编号, 月份, 工作天数, 收入), on the
import framework (`canlian.importing`).

Each row passes the rules of the month's page — the workshop in the user's scope and
active, the month not after the current one, the person a member of the workshop during
the month, the work days 0 to the days of the month, the income not negative — and is
written by the same `workshops.services.rows_write`: a row the system holds exactly is
unchanged, a different one a correction (audited), so a list imported twice adds nothing.
A bad row is rejected with its reason; the others are written.
"""

import datetime
from collections import defaultdict
from functools import partial

from benefits.award_import import parse_month_cell
from canlian.importing import ID_HEADER, Column, Importer, Row, id_column, row_numbers
from canlian.scoping import in_scope
from registry import excel
from registry.imports import ImportResult
from registry.models import Person
from workshops.forms import parse_days, parse_yuan
from workshops.models import WorkMonth, Workshop
from workshops.services import Entry, MonthSaved, entry_refusal, members_in_month, month_refusal, rows_write

CODE, MONTH, DAYS, INCOME = "车间编号", "月份", "工作天数", "收入"


def _code(value: object) -> str:
    return "".join(excel.cell_text(value).split()).upper()


class WorkMonthImporter(Importer):
    kind = "workshops.months"
    title = "车间月报"
    permission = "workshops.add_workmonth"
    sheet_name = "车间月报"
    template_name = "车间月报导入模板"
    columns = (
        id_column(),
        Column(CODE, required=True, parse=_code, guide="成员所在车间的编号", width=14),
        Column(MONTH, required=True, parse=parse_month_cell, guide="如 2026-05；不能晚于本月", width=12),
        Column(DAYS, required=True, parse=partial(parse_days, what=DAYS), guide="0 至该月天数的整数", width=10),
        Column(INCOME, required=True, parse=partial(parse_yuan, what=INCOME), guide="当月收入（元）", width=12),
    )

    def prepare(self) -> None:
        self.workshops = {w.code.upper(): w for w in Workshop.objects.all()}

    def parse_row(self, row: Row) -> None:
        values = row.values
        workshop = self.workshops.get(values[CODE]) if values.get(CODE) else None
        if values.get(CODE) and workshop is None:
            row.reject(CODE, f"未知的车间编号“{values[CODE]}”")
        if values.get(DAYS) is not None and values[DAYS] < 0:
            row.reject(DAYS, "工作天数不能为负数")
        if values.get(INCOME) is not None and values[INCOME] < 0:
            row.reject(INCOME, "收入不能为负数")
        row.value = {"workshop": workshop}

    def key(self, row: Row):
        return (row.id_number, row.values[CODE], row.values[MONTH])

    def duplicate_message(self, row: Row, same: list[Row]) -> tuple[str, str]:
        month: datetime.date = row.values[MONTH]
        return MONTH, f"同一人员 {month:%Y-%m} 的月报在本文件中重复出现（第 {row_numbers(same)} 行），这些行都未导入"

    def apply(self, rows: list[Row], result: ImportResult) -> None:
        persons = dict(
            Person.objects.filter(id_number__in={row.id_number for row in rows}).values_list("id_number", "pk")
        )
        months: dict[tuple[int, datetime.date], list[Row]] = defaultdict(list)
        for row in rows:
            months[row.value["workshop"].pk, row.values[MONTH]].append(row)
        for (workshop_pk, month), group in sorted(months.items()):
            self._apply_month(workshop_pk, month, group, persons, result)

    def _apply_month(self, workshop_pk: int, month, group: list[Row], persons: dict, result: ImportResult) -> None:
        workshop = Workshop.objects.select_for_update().get(pk=workshop_pk)
        if not in_scope(self.user, workshop):
            for row in group:
                row.reject(CODE, "该车间不在您的管辖范围内")
            return
        if refusal := month_refusal(workshop, month):
            for row in group:
                row.reject(MONTH, refusal)
            return
        members = members_in_month(self.user, workshop, month)
        checked = {}
        for row in group:
            membership = members.get(persons.get(row.id_number))
            if membership is None:
                if row.id_number not in persons:
                    row.reject(ID_HEADER, "系统中没有该身份证号的持证人员")
                else:
                    row.reject(ID_HEADER, f"该人员在 {month:%Y-%m} 不是“{workshop.name}”的成员，不能登记工作天数和收入")
                continue
            entry = Entry(row.values[DAYS], row.values[INCOME])
            if refusal := entry_refusal(membership, month, entry):
                row.reject(DAYS, refusal)
                continue
            checked[membership] = (row, entry)
        if not self.user.has_perm("workshops.change_workmonth"):
            checked = self._without_corrections(workshop, month, checked)
        if not checked:
            return
        saved = MonthSaved()
        rows_write(
            user=self.user,
            workshop=workshop,
            month=month,
            entries={m: entry for m, (_row, entry) in checked.items()},
            result=saved,
        )
        result.created += saved.created
        result.updated += saved.changed
        result.unchanged += saved.unchanged

    @staticmethod
    def _without_corrections(workshop, month, checked):
        """For a user who may not correct months: rows that would change a saved month are
        rejected, the others kept."""
        held = {
            w.person_id: Entry(w.work_days, w.income_fen)
            for w in WorkMonth.objects.filter(workshop=workshop, month=month, person__in=[m.person_id for m in checked])
        }
        kept = {}
        for membership, (row, entry) in checked.items():
            before = held.get(membership.person_id, entry)
            if before != entry:
                row.reject(
                    DAYS,
                    f"系统中 {month:%Y-%m} 已登记为 {before.work_days} 天、{before.income_fen / 100:.2f} 元，"
                    "您没有更正车间月报的权限",
                )
            else:
                kept[membership] = (row, entry)
        return kept
