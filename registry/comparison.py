"""Data comparison (数据比对): dated events from another department's list.

Civil affairs, public security and the social security office send lists — deaths,
household moves, the 低保 roster, re-assessments — as a workbook with the columns
公民身份号码, 事件, 日期, 新值. Each row is one event of one registered person from that
date on, recorded by the rule of `person_event_record` (its `_held` form, on the persons
locked at the start), so the person's state before the date (and the eligibility read
from it) is unchanged.

As in the person import (`registry.imports`), the whole file is read and every row checked
before anything is written; a file that cannot be read or lacks a column is refused as a
whole. Every non-blank row ends recorded (counted as updated), unchanged (the registry
already says so) or rejected with its reasons, in one transaction. Importing the same file
again changes nothing.
"""

import datetime
import os
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import AccessLog, User
from accounts.services import access_log_write
from canlian.collector import collector_paused
from registry import excel
from registry.excel import CellError, is_blank
from registry.identifiers import IdentifierError, parse_id_number
from registry.imports import (
    PROGRESS_EVERY,
    CheckedRow,
    ImportRefused,
    ImportResult,
    Issue,
    ProgressCallback,
    RejectedRow,
    RowWarning,
    table_read,
)
from registry.models import EVENT_FIELD, STATUS_OF_EVENT, EventKind, Person, PersonEvent
from registry.scoping import user_area_prefix
from registry.services import event_new_value, field_to_text, person_event_record_held, persons_with_events

EVENT_COLUMNS = ["公民身份号码", "事件", "日期", "新值"]
EVENTS_SHEET = "数据比对"

# The events a list may carry, by the name used in the file. 恢复正常 is not among them:
# restoring a person is a decision of the federation, not a fact from another department.
KIND_BY_NAME = {
    "死亡": EventKind.DEATH,
    "迁出": EventKind.MOVED_OUT,
    "证件注销": EventKind.CANCELLED,
    "等级变更": EventKind.GRADE,
    "类别变更": EventKind.CATEGORY,
    "经济状况变更": EventKind.ECONOMIC,
    "证件换发": EventKind.RENEWAL,
}
# How the 新值 of each kind is read; the status events need none.
VALUE_PARSERS = {
    EventKind.GRADE: excel.parse_grade,
    EventKind.CATEGORY: excel.parse_category,
    EventKind.ECONOMIC: excel.parse_economic_status,
    EventKind.RENEWAL: excel.parse_valid_until,
}
VALUE_HELP = {
    EventKind.GRADE: "新的残疾等级：一级…四级 或 1–4",
    EventKind.CATEGORY: "新的残疾类别：名称或 1–7",
    EventKind.ECONOMIC: "无、低保、低保边缘 或 特困",
    EventKind.RENEWAL: "新证件的有效期至（日期），或 长期",
}
NOT_FOUND = "在您的管辖范围内没有该身份证号的持证人员"


class EventsResult(ImportResult):
    """The outcome of a data comparison: recorded events count as updated persons."""

    sheet_name = EVENTS_SHEET

    def summary(self) -> str:
        return f"登记事件 {self.updated}，未变 {self.unchanged}，拒绝 {self.rejected_count}"


@dataclass
class EventRow(CheckedRow):
    kind: str = ""
    date: datetime.date | None = None
    value: Any = None
    person: Person | None = None

    @property
    def new_text(self) -> str:
        return event_new_value(self.kind, self.value)


@collector_paused()
def events_import(
    *,
    user: User,
    path: str | os.PathLike | IO[bytes],
    source_name: str,
    progress: ProgressCallback | None = None,
) -> EventsResult:
    """Record the events of a comparison workbook on behalf of `user`; see the module
    docstring. Raises `ImportRefused` (nothing written) for a file that cannot be used."""
    if not user.has_perm("registry.import_persons"):
        raise ImportRefused("您没有导入数据比对名单的权限")
    prefix = user_area_prefix(user)
    if prefix is None:
        raise ImportRefused("您的账号没有管辖区域，不能导入数据比对名单")
    report = progress or (lambda processed, total: None)

    table = table_read(path, known=EVENT_COLUMNS)
    missing = [c for c in EVENT_COLUMNS if c not in table.index]
    if missing:
        raise ImportRefused(f"缺少必需的列：{'、'.join(missing)}。数据比对名单应有 {'、'.join(EVENT_COLUMNS)} 四列。")
    total = len(table.rows)
    report(0, total)
    today = timezone.localdate()
    rows: list[EventRow] = []
    for done, (number, cells) in enumerate(table.rows, start=1):
        rows.append(_parse(number, cells, table.index, today))
        if done % PROGRESS_EVERY == 0:
            report(done, total)

    _match_persons(rows, prefix)
    _reject_conflicts(rows)
    result = EventsResult(columns=table.columns)
    source = source_name[:60]
    with transaction.atomic():
        # The rows' persons, locked until the commit, and their events, read in a few
        # statements: a row that changes nothing (most rows of a roster sent again) is
        # decided without a query of its own, and a change is recorded on them, which keeps
        # them current for the rows after it (performance.md, fix 18).
        persons, chains = persons_with_events([row.person.pk for row in rows if row.ok], lock=True)
        for row in rows:
            if row.ok:
                _record(row, user=user, source=source, result=result, persons=persons, chains=chains)

    width = len(table.columns)
    for row in rows:
        if row.ok:
            result.warnings.extend(RowWarning(row.row, w.column, w.message) for w in row.warnings)
        else:
            values = [excel.cell_text(v) for v in row.raw[:width]]
            values += [""] * (width - len(values))
            result.rejected.append(RejectedRow(row.row, values, row.issues))
    report(total, total)
    access_log_write(user=user, action=AccessLog.Action.IMPORT, file=source_name, kind="events", **result.counts())
    return result


def _parse(number: int, cells: list, index: dict[str, int], today: datetime.date) -> EventRow:
    row = EventRow(row=number, raw=cells)

    def get(header: str) -> object:
        col = index[header]
        return cells[col] if col < len(cells) else ""

    raw_id = get("公民身份号码")
    if isinstance(raw_id, str) and "*" in raw_id:
        row.reject("公民身份号码", "这是脱敏后的身份证号（含 *），请填写完整号码")
    else:
        try:
            row.id_number = parse_id_number(raw_id, today=today).number
        except IdentifierError as exc:
            row.reject("公民身份号码", str(exc))

    name = re.sub(r"\s+", "", unicodedata.normalize("NFKC", excel.cell_text(get("事件"))))
    if not name:
        row.reject("事件", "事件不能为空")
    elif name not in KIND_BY_NAME:
        row.reject("事件", f"无法识别的事件“{excel.cell_text(get('事件'))}”，应填写 {'、'.join(KIND_BY_NAME)}")
    else:
        row.kind = KIND_BY_NAME[name]

    if is_blank(get("日期")):
        row.reject("日期", "日期不能为空")
    else:
        try:
            row.date = excel.parse_date(get("日期"))
        except CellError as exc:
            row.reject("日期", str(exc))
        else:
            if row.date > today:
                row.reject("日期", f"日期 {row.date:%Y-%m-%d} 晚于今天：只登记已经发生的事件")

    raw_value = get("新值")
    parser = VALUE_PARSERS.get(row.kind)
    if parser is None:
        if row.kind and not is_blank(raw_value):
            label = EventKind(row.kind).label
            row.warnings.append(Issue("新值", f"{label}不需要新值，已忽略“{excel.cell_text(raw_value)}”"))
    elif is_blank(raw_value):
        row.reject("新值", f"{EventKind(row.kind).label}须填写新值：{VALUE_HELP[row.kind]}")
    else:
        try:
            row.value = parser(raw_value)
        except CellError as exc:
            row.reject("新值", str(exc))
        else:
            if row.kind == EventKind.RENEWAL and row.value and row.date and row.value < row.date:
                row.reject("新值", f"新证件的有效期至 {row.value:%Y-%m-%d} 早于换发日期 {row.date:%Y-%m-%d}")
    return row


def _match_persons(rows: list[EventRow], prefix: str) -> None:
    """Attach each row's person. A person outside the importer's area gets the same answer
    as one not registered at all, so the file does not reveal who is registered elsewhere."""
    numbers = sorted({r.id_number for r in rows if r.id_number})
    persons: dict[str, Person] = {}
    for start in range(0, len(numbers), 1000):
        for person in Person.objects.filter(id_number__in=numbers[start : start + 1000]):
            persons[person.id_number] = person
    for row in rows:
        if not row.id_number:
            continue
        person = persons.get(row.id_number)
        if person is None or not person.area_id.startswith(prefix):
            row.reject("公民身份号码", NOT_FOUND)
            continue
        row.person = person
        if row.date and row.date < person.birth_date:
            row.reject("日期", f"日期 {row.date:%Y-%m-%d} 早于该人员的出生日期")


def _reject_conflicts(rows: list[EventRow]) -> None:
    """Two rows that set one field of one person on one day to different values cannot
    both be right: neither is recorded."""
    by_key: dict[tuple, list[EventRow]] = defaultdict(list)
    for row in rows:
        if row.ok:
            by_key[(row.id_number, EVENT_FIELD[row.kind], row.date)].append(row)
    for same in by_key.values():
        if len({(r.kind, r.new_text) for r in same}) > 1:
            numbers = "、".join(str(r.row) for r in same)
            for row in same:
                row.reject("新值", f"同一人同一天的同一项有不同的事件（第 {numbers} 行），这些行都未登记")


def _value_on(person: Person, field_name: str, day: datetime.date, chain: list[PersonEvent]) -> str:
    """The field's value (as text) at the end of `day`, from the person's `chain` of the
    field's events (in date order)."""
    value = chain[0].old_value if chain else field_to_text(field_name, getattr(person, field_name))
    for event in chain:
        if event.date <= day:
            value = event.new_value
    return value


def _record(
    row: EventRow,
    *,
    user: User,
    source: str,
    result: EventsResult,
    persons: dict[int, Person],
    chains: dict[tuple[int, str], list[PersonEvent]],
) -> None:
    field_name = EVENT_FIELD[row.kind]
    # As the rows before left them.
    person, chain = persons[row.person.pk], chains[(row.person.pk, field_name)]
    if row.kind in STATUS_OF_EVENT and person.status == STATUS_OF_EVENT[row.kind] and person.status_date != row.date:
        # The registry already has this status from another day: which day is right is a
        # question for the officer, not something to overwrite from a list.
        row.reject(
            "日期",
            f"系统中该人员已于 {person.status_date:%Y-%m-%d} 登记为“{person.get_status_display()}”，"
            f"与本行日期 {row.date:%Y-%m-%d} 不同，未登记；如需更正请在人员页面处理",
        )
        return
    if _value_on(person, field_name, row.date, chain) == row.new_text:
        result.unchanged += 1
        return
    try:
        _, created = person_event_record_held(
            user=user,
            locked=person,
            chain=chain,
            kind=row.kind,
            date=row.date,
            value=row.value,
            reason=f"数据比对：{source}"[:200],
            source=source,
        )
    except (ValidationError, PermissionDenied) as exc:
        row.reject("事件", "；".join(getattr(exc, "messages", None) or [str(exc)]))
        return
    if created:
        result.updated += 1
    else:
        result.unchanged += 1
