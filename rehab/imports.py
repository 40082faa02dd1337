"""Bulk imports of rehabilitation work on the import framework (`canlian.importing`): the
service records of a provider's list and the year's needs assessments.

Each valid row passes the rules of the one-at-a-time entry. Service records are checked
with the record base's own functions (the person's scope, the day against the person's
life, `ServiceRecord.clean()`, the once-a-day key) and inserted in bulk; a row the system
already holds exactly is unchanged, so a list imported twice adds nothing. Assessments go
through `rehab.services.need_assess` row by row (one per person and year, kept in the
history). The permission is the one-at-a-time entry's: importing a list writes what
entering it row by row would write, no more.
"""

import datetime
import re
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from canlian.importing import (
    ID_HEADER,
    Column,
    Importer,
    ImportResult,
    Row,
    id_column,
    parse_count,
    reject_error,
    row_numbers,
    row_person,
    row_persons,
)
from canlian.records import check_day_of_person, records_changed_once
from registry import excel
from rehab.models import MAX_SESSIONS, ItemKind, NeedAssessment, Provider, RehabItem, ServiceRecord
from rehab.services import need_assess

ITEM, PROVIDER, SERVED_ON, SESSIONS, NOTE = "项目编号", "服务机构", "服务日期", "次数", "备注"
ASSESSED_ON, ASSESSOR, NEEDS = "评估日期", "评估人", "需求项目"
NO_NEED = "无需求"
_SEPARATORS = re.compile(r"[、,，;；\s]+")


def _code(value: object) -> str:
    return "".join(excel.cell_text(value).split()).upper()


class ServiceRecordImporter(Importer):
    """A provider's list of services: one row per person, item and day (one person-time)."""

    kind = "rehab.services"
    title = "康复服务记录"
    permission = "rehab.add_servicerecord"
    sheet_name = "康复服务记录"
    template_name = "康复服务记录导入模板"
    columns = (
        id_column(),
        Column(ITEM, required=True, parse=_code, guide="基本康复服务项目的编号，如 KF09（见项目目录）", width=12),
        Column(PROVIDER, required=True, guide="定点康复机构的名称，与系统中登记的一致", width=28),
        Column(SERVED_ON, required=True, parse=excel.parse_date, guide="如 2025-03-18；不能晚于今天", width=14),
        Column(
            SESSIONS,
            parse=partial(parse_count, what="次数"),
            guide=f"本次服务的次数，1 至 {MAX_SESSIONS}；不填为 1",
            width=8,
        ),
        Column(NOTE, parse=partial(excel.parse_text, max_length=200, what="备注"), guide="不超过 200 字", width=30),
    )

    def prepare(self) -> None:
        self.items = {item.code.upper(): item for item in RehabItem.objects.all()}
        self.providers = {"".join(p.name.split()): p for p in Provider.objects.all()}

    def parse_row(self, row: Row) -> None:
        if not row.ok:
            return
        values = row.values
        item = self.items.get(values[ITEM])
        if item is None:
            row.reject(ITEM, f"未知的项目编号“{values[ITEM]}”，请按基本康复服务项目目录填写")
        provider = self.providers.get("".join(values[PROVIDER].split()))
        if provider is None:
            row.reject(PROVIDER, f"“{values[PROVIDER]}”不是系统中登记的定点康复机构")
        row.value = {
            "item": item,
            "provider": provider,
            "served_on": values[SERVED_ON],
            "sessions": 1 if values[SESSIONS] is None else values[SESSIONS],
            "note": values[NOTE] or "",
        }

    def key(self, row: Row):
        return (row.id_number, row.value["item"].pk, row.value["served_on"])

    def duplicate_message(self, row: Row, same: list[Row]) -> tuple[str, str]:
        item = row.value["item"]
        day = row.value["served_on"]
        return (
            ITEM,
            f"同一人员 {day:%Y-%m-%d} 的“{item.name}”在本文件中重复出现（第 {row_numbers(same)} 行），这些行都未导入",
        )

    def apply(self, rows: list[Row], result: ImportResult) -> None:
        persons = row_persons(rows)
        days = [row.value["served_on"] for row in rows]
        standing = {}
        if rows and persons:
            existing = ServiceRecord.objects.standing().filter(
                person__in=[p.pk for p in persons.values()], served_on__range=(min(days), max(days))
            )
            standing = {(r.person_id, r.served_on, r.item_id): r for r in existing}
        new: list[ServiceRecord] = []
        for row in rows:
            person = row_person(row, persons, self.user)
            if person is None:
                continue
            fields = row.value
            try:
                check_day_of_person(person, fields["served_on"], SERVED_ON)
            except ValidationError as exc:
                reject_error(row, SERVED_ON, exc)
                continue
            record = ServiceRecord(person=person, area_code=person.area_id, recorded_by=self.user, **fields)
            try:
                record.clean()
            except ValidationError as exc:
                reject_error(row, self._clean_column(record), exc)
                continue
            held = standing.get((person.pk, record.served_on, record.item_id))
            if held is None:
                new.append(record)
                result.created += 1
            elif (held.provider_id, held.sessions, held.note) == (record.provider_id, record.sessions, record.note):
                result.unchanged += 1
            else:
                row.reject(SERVED_ON, f"{record.duplicate_message()}（系统中的记录与本行不同，未修改）")
        ServiceRecord.objects.bulk_create(new, batch_size=500)
        # Each town and day the rows are of: only those months are recomputed.
        for area, day in sorted({(record.area_code, record.served_on) for record in new}):
            records_changed_once(ServiceRecord, day.year, area=area, day=day)

    @staticmethod
    def _clean_column(record: ServiceRecord) -> str:
        """The column of a row that `ServiceRecord.clean()` refused: its item, its provider
        or its sessions, in the order clean() checks them."""
        if not record.item.is_active:
            return ITEM
        if not record.provider.is_active:
            return PROVIDER
        return SESSIONS


class NeedAssessmentImporter(Importer):
    """The year's needs assessments: one row per person and year; 需求项目 lists the items
    the person needs (their kinds are the assessment's), or says 无需求."""

    kind = "rehab.assessments"
    title = "康复需求评估"
    permission = "rehab.add_needassessment"
    sheet_name = "康复需求评估"
    template_name = "康复需求评估导入模板"
    columns = (
        id_column(),
        Column(ASSESSED_ON, required=True, parse=excel.parse_date, guide="如 2025-03-18；评估的年度即此日期的年份"),
        Column(ASSESSOR, required=True, parse=partial(excel.parse_name, what="评估人"), guide="评估人员的姓名"),
        Column(
            NEEDS,
            required=True,
            guide=f"需要的康复项目编号，用“、”或“,”分隔，如 KF09、KF28；没有需求填“{NO_NEED}”",
            width=30,
        ),
    )

    def prepare(self) -> None:
        self.kinds = dict(RehabItem.objects.values_list("code", "kind"))
        self.kinds = {code.upper(): kind for code, kind in self.kinds.items()}

    def parse_row(self, row: Row) -> None:
        if not row.ok:
            return
        text = "".join(row.values[NEEDS].split())
        codes = [] if text == NO_NEED else [code.upper() for code in _SEPARATORS.split(text) if code]
        unknown = [code for code in codes if code not in self.kinds]
        if unknown:
            row.reject(NEEDS, f"未知的项目编号：{'、'.join(unknown)}；没有需求请填“{NO_NEED}”")
        if not codes and text != NO_NEED:
            row.reject(NEEDS, f"请填写需要的项目编号，没有需求请填“{NO_NEED}”")
        kinds = {self.kinds.get(code) for code in codes}
        assessed_on: datetime.date = row.values[ASSESSED_ON]
        row.value = {
            "year": assessed_on.year,
            "assessed_on": assessed_on,
            "has_need": bool(codes),
            "kinds": [kind for kind in ItemKind.values if kind in kinds],
            "note": f"评估人：{row.values[ASSESSOR]}",
        }

    def key(self, row: Row):
        return (row.id_number, row.value["year"])

    def duplicate_message(self, row: Row, same: list[Row]) -> tuple[str, str]:
        year = row.value["year"]
        return (
            ASSESSED_ON,
            f"同一人员 {year} 年的需求评估在本文件中重复出现（第 {row_numbers(same)} 行），这些行都未导入",
        )

    def apply(self, rows: list[Row], result: ImportResult) -> None:
        persons = row_persons(rows)
        years = {row.value["year"] for row in rows}
        held = {
            (a.person_id, a.year): a
            for a in NeedAssessment.objects.filter(person__in=[p.pk for p in persons.values()], year__in=years)
        }
        for row in rows:
            person = row_person(row, persons, self.user)
            if person is None:
                continue
            fields = row.value
            before = held.get((person.pk, fields["year"]))
            if before is not None and all(getattr(before, name) == fields[name] for name in fields):
                result.unchanged += 1
                continue
            try:
                check_day_of_person(person, fields["assessed_on"], ASSESSED_ON)
                _assessment, created = need_assess(user=self.user, person=person, **fields)
            except (ValidationError, PermissionDenied, Http404) as exc:
                reject_error(row, ASSESSED_ON if isinstance(exc, ValidationError) else ID_HEADER, exc)
                continue
            if created:
                result.created += 1
            else:
                result.updated += 1
