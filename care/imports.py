"""Bulk imports of care on the import framework (`canlian.importing`).

- `InstitutionImporter` (机构编号, 机构名称, 类型, 镇街, 地址, 核定人数): the district's
  institutions, created or updated by their code (their history kept); a capacity raised
  offers the freed places to the waiting list, as the admin does.
- `AttendanceImporter` (公民身份号码, 机构编号, 日期, 出勤 是/否, and an optional 缺勤原因): a
  centre's attendance kept elsewhere. Each row passes the rules of the day's page — the
  institution in the user's scope and open that day, the person its member that day — and
  is written by the same `care.services.attendance.marks_write`: a row the system holds
  exactly is unchanged, a different one a correction (with its history), so a list
  imported twice adds nothing.
"""

import datetime
from collections import defaultdict
from functools import partial

from areas.models import Level
from areas.selectors import AreaLookup
from canlian.importing import ID_HEADER, Column, Importer, Row, id_column, parse_count, row_numbers
from canlian.scoping import in_scope
from care import selectors
from care.models import Attendance, Enrolment, Institution, InstitutionKind
from care.services.attendance import REASON_MAX, DaySaved, Mark, day_refusal, marks_write, member_refusal
from care.services.membership import offer_free_places
from registry import excel
from registry.excel import CellError
from registry.imports import ImportResult
from registry.models import Person

CODE, NAME, KIND, TOWN, ADDRESS, CAPACITY = "机构编号", "机构名称", "类型", "镇街", "地址", "核定人数"
DAY, PRESENT, REASON = "日期", "出勤", "缺勤原因"
YES = {"是", "出勤", "到", "√", "✓", "Y", "1"}
NO = {"否", "缺勤", "缺", "×", "✗", "N", "0"}
# Short names officers write for the kinds.
KIND_ALIASES = {
    "康园中心": InstitutionKind.CENTRE,
    "日间托养机构": InstitutionKind.ADULT_DAY_CARE,
    "大龄日间托养": InstitutionKind.ADULT_DAY_CARE,
    "寄宿托养": InstitutionKind.BOARDING,
    "庇护工场": InstitutionKind.WORKSHOP,
}


def _code(value: object) -> str:
    return "".join(excel.cell_text(value).split()).upper()


def parse_kind(value: object) -> str:
    text = "".join(excel.cell_text(value).split())
    by_label = {label: kind for kind, label in InstitutionKind.choices}
    kind = by_label.get(text) or KIND_ALIASES.get(text)
    if kind is None:
        raise CellError(f"未知的机构类型“{text}”，应为{'、'.join(by_label)}之一")
    return kind


def parse_present(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = "".join(excel.cell_text(value).split()).upper()
    if text in YES:
        return True
    if text in NO:
        return False
    raise CellError(f"出勤应填“是”或“否”，不能是“{excel.cell_text(value)}”")


class InstitutionImporter(Importer):
    kind = "care.institutions"
    title = "托养机构"
    permission = "care.import_institutions"
    sheet_name = "托养机构"
    template_name = "托养机构导入模板"
    columns = (
        Column(CODE, required=True, parse=_code, guide="机构的唯一编号，如 KY0201；已有的编号更新该机构", width=14),
        Column(NAME, required=True, parse=partial(excel.parse_text, max_length=100, what="机构名称"), width=28),
        Column(KIND, required=True, parse=parse_kind, guide="、".join(InstitutionKind.labels), width=24),
        Column(TOWN, required=True, guide="镇(街)的名称（如 白沙街道）或 12 位区划代码", width=14),
        Column(ADDRESS, parse=partial(excel.parse_text, max_length=200, what="地址"), width=36),
        Column(CAPACITY, required=True, parse=partial(parse_count, what="核定人数"), guide="正整数", width=10),
    )

    def prepare(self) -> None:
        self.areas = AreaLookup()

    def parse_row(self, row: Row) -> None:
        values = row.values
        area = None
        if values.get(TOWN):
            text = "".join(values[TOWN].split())
            area = self.areas.by_code_current(text) if text.isdigit() else self.areas.town_by_name.get(text)
            if area is None or area.level < Level.TOWN:
                row.reject(TOWN, f"未知的镇(街)“{text}”")
                area = None
            elif not in_scope(self.user, area.code):
                row.reject(TOWN, "该镇(街)不在您的管辖范围内")
        if values.get(CAPACITY) is not None and values[CAPACITY] < 1:
            row.reject(CAPACITY, "核定人数至少为 1")
        row.value = {
            "name": values.get(NAME),
            "kind": values.get(KIND),
            "area": area,
            "address": values.get(ADDRESS) or "",
            "capacity": values.get(CAPACITY),
        }

    def key(self, row: Row):
        return row.values[CODE]

    def duplicate_message(self, row: Row, same: list[Row]) -> tuple[str, str]:
        return CODE, f"机构编号“{row.values[CODE]}”在本文件中重复出现（第 {row_numbers(same)} 行），这些行都未导入"

    def reject_duplicates(self, rows: list[Row]) -> None:
        super().reject_duplicates(rows)
        by_name: dict[str, list[Row]] = defaultdict(list)
        for row in rows:
            if row.ok:
                by_name[row.value["name"]].append(row)
        for same in by_name.values():
            if len({r.values[CODE] for r in same}) > 1:
                for row in same:
                    row.reject(NAME, f"机构名称在本文件中对应了不同的编号（第 {row_numbers(same)} 行），这些行都未导入")

    def apply(self, rows: list[Row], result: ImportResult) -> None:
        held = {
            i.code: i for i in Institution.objects.select_for_update().filter(code__in=[r.values[CODE] for r in rows])
        }
        names = dict(Institution.objects.values_list("name", "code"))
        raised = []
        for row in rows:
            code, fields = row.values[CODE], row.value
            owner = names.get(fields["name"])
            if owner is not None and owner != code:
                row.reject(NAME, f"机构名称“{fields['name']}”已被编号为 {owner} 的机构使用")
                continue
            institution = held.get(code)
            if institution is None:
                Institution.objects.create(code=code, **fields)
                names[fields["name"]] = code
                result.created += 1
                continue
            if not in_scope(self.user, institution):
                row.reject(CODE, "该机构不在您的管辖范围内")
                continue
            if all(getattr(institution, name) == value for name, value in fields.items()):
                result.unchanged += 1
                continue
            if fields["capacity"] > institution.capacity:
                raised.append(institution)
            for name, value in fields.items():
                setattr(institution, name, value)
            institution._change_reason = f"导入：{self.source_name}"[:100]
            institution.save()
            result.updated += 1
        for institution in raised:
            offer_free_places(user=self.user, institution=institution)


class AttendanceImporter(Importer):
    kind = "care.attendance"
    title = "考勤记录"
    permission = "care.add_attendance"
    sheet_name = "考勤记录"
    template_name = "考勤导入模板"
    columns = (
        id_column(),
        Column(CODE, required=True, parse=_code, guide="会员所在机构的编号", width=14),
        Column(
            DAY, required=True, parse=excel.parse_date, guide="如 2026-05-18；机构当天须开放，不能晚于今天", width=14
        ),
        Column(PRESENT, required=True, parse=parse_present, guide="是（出勤）或 否（缺勤）", width=8),
        Column(
            REASON,
            parse=partial(excel.parse_text, max_length=REASON_MAX, what="缺勤原因"),
            guide="缺勤时可填",
            width=24,
        ),
    )

    def prepare(self) -> None:
        self.institutions = {i.code.upper(): i for i in Institution.objects.all()}

    def parse_row(self, row: Row) -> None:
        values = row.values
        institution = self.institutions.get(values[CODE]) if values.get(CODE) else None
        if values.get(CODE) and institution is None:
            row.reject(CODE, f"未知的机构编号“{values[CODE]}”")
        if values.get(PRESENT) and values.get(REASON):
            row.reject(REASON, "出勤的行不应填写缺勤原因")
        row.value = {"institution": institution}

    def key(self, row: Row):
        return (row.id_number, row.values[CODE], row.values[DAY])

    def duplicate_message(self, row: Row, same: list[Row]) -> tuple[str, str]:
        day: datetime.date = row.values[DAY]
        return DAY, f"同一人员 {day:%Y-%m-%d} 的考勤在本文件中重复出现（第 {row_numbers(same)} 行），这些行都未导入"

    def apply(self, rows: list[Row], result: ImportResult) -> None:
        persons = dict(
            Person.objects.filter(id_number__in={row.id_number for row in rows}).values_list("id_number", "pk")
        )
        days: dict[tuple[Institution, datetime.date], list[Row]] = defaultdict(list)
        for row in rows:
            days[row.value["institution"].pk, row.values[DAY]].append(row)
        for (institution_pk, day), group in sorted(days.items(), key=lambda item: (item[0][0], item[0][1])):
            self._apply_day(institution_pk, day, group, persons, result)

    def _apply_day(self, institution_pk: int, day, group: list[Row], persons: dict, result: ImportResult) -> None:
        institution = Institution.objects.select_for_update().get(pk=institution_pk)
        if not in_scope(self.user, institution):
            for row in group:
                row.reject(CODE, "该机构不在您的管辖范围内")
            return
        if refusal := day_refusal(institution, day):
            for row in group:
                row.reject(DAY, refusal)
            return
        members = {
            e.person_id: e
            for e in selectors.members_on(institution, day).visible_to(self.user).select_related("person")
        }
        checked: list[tuple[Row, Enrolment, Mark]] = []
        for row in group:
            enrolment = members.get(persons.get(row.id_number))
            if enrolment is None:
                if row.id_number not in persons:
                    row.reject(ID_HEADER, "系统中没有该身份证号的持证人员")
                else:
                    row.reject(ID_HEADER, f"该人员不是“{institution.name}”{day:%Y-%m-%d} 的在册会员")
                continue
            if refusal := member_refusal(enrolment, day):
                row.reject(DAY, refusal)
                continue
            checked.append((row, enrolment, Mark(row.values[PRESENT], row.values[REASON] or "").cleaned()))
        if not self.user.has_perm("care.change_attendance"):
            checked = self._without_corrections(institution, day, checked)
        if not checked:
            return
        saved = DaySaved()
        marks = {enrolment: mark for _row, enrolment, mark in checked}
        marks_write(user=self.user, institution=institution, day=day, marks=marks, result=saved)
        result.created += saved.created
        result.updated += saved.changed
        result.unchanged += saved.unchanged

    @staticmethod
    def _without_corrections(institution, day, checked):
        """For a user who may not correct attendance: the rows that would change a saved
        mark are rejected, the others kept."""
        held = {
            a.person_id: Mark(a.present, a.absence_reason)
            for a in Attendance.objects.filter(
                institution=institution, day=day, person__in=[e.person_id for _r, e, _m in checked]
            )
        }
        kept = []
        for row, enrolment, mark in checked:
            if held.get(enrolment.person_id, mark) != mark:
                row.reject(
                    PRESENT, f"系统中 {day:%Y-%m-%d} 已登记为“{held[enrolment.person_id].label}”，您没有更正考勤的权限"
                )
            else:
                kept.append((row, enrolment, mark))
        return kept
