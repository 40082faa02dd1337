"""Import of persons from the federation's workbook (see `registry.excel` for its columns).

`PersonImporter` is an importer of the framework (`canlian.importing`): the whole file is
read first, and a file that cannot be read, or lacks required columns, is refused as a
whole (`ImportRefused`); the report, the audit entry, the job, the pages and the command
are the framework's. Its own is `import_rows`: inside one transaction, every row is validated
and upserted keyed on the ID number: new persons are written as their rows pass (on
PostgreSQL streamed on one COPY while the next rows are parsed, with their creation records
by one INSERT … SELECT; through the ORM at the end elsewhere); for registered persons,
changed plain fields in bulk, changed state fields (status, grade, ...) as dated events
by the rule of `person_event_record`, so the event chain stays the source of truth (on
PostgreSQL all of them written together after the last row: `person_events_write`).
Every non-blank row ends in exactly one of created / updated / unchanged / rejected; a
rejected row writes nothing, and an error writes nothing at all.
"""

import datetime
import json
import operator
from collections import defaultdict, namedtuple
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager, nullcontext
from dataclasses import dataclass, field
from functools import partial
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone
from psycopg.types.json import set_json_dumps
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.models import User
from areas.models import Area
from areas.selectors import AreaLookup
from canlian.importing import (
    ID_HEADER,
    CheckedRow,
    Column,
    Importer,
    ImportRefused,
    ImportResult,
    Issue,
    Source,
    Table,
    id_cell_read,
)
from canlian.jobs import Progress
from canlian.signals import records_changed
from registry import excel
from registry.excel import CellError, is_blank
from registry.household_imports import PersonHouseholds
from registry.identifiers import CONVERTED_NOTE, IdentifierError, id_number_key, mask_id, parse_certificate
from registry.import_requests import REQUEST_EVENT_FIELDS, REQUEST_PLAIN_FIELDS, ImportRequests, asked_changes
from registry.models import EVENT_FIELD, EconomicStatus, EventKind, Person, PersonEvent, Status
from registry.scoping import user_area_prefix
from registry.services import (
    PersonEventChange,
    field_to_text,
    history_select,
    person_event_apply,
    person_event_decide,
    person_events_write,
    persons_with_events,
)

BATCH_SIZE = 500
PROGRESS_EVERY = 200
ID_LENGTH = 18


class _Keep:
    """An optional cell left empty: an existing person keeps their value."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()

# Plain fields an import may set directly; state fields go through events.
PLAIN_FIELDS = [
    "name",
    "gender",
    "birth_date",
    "certificate_number",
    "certificate_issued",
    "area",
    "address",
    "phone",
    "guardian_name",
    "guardian_phone",
    "lives_alone",
    "bank_name",
    "bank_account",
]
STATUS_EVENT = {
    Status.DECEASED: EventKind.DEATH,
    Status.MOVED_OUT: EventKind.MOVED_OUT,
    Status.CANCELLED: EventKind.CANCELLED,
    Status.ACTIVE: EventKind.RESTORED,
}
# (event kind, Person field) for the state fields other than status, dated on import day.
VALUE_EVENTS = [
    (EventKind.GRADE, "grade"),
    (EventKind.CATEGORY, "category"),
    (EventKind.ECONOMIC, "economic_status"),
    (EventKind.RENEWAL, "certificate_valid_until"),
]
# Warnings about these columns are kept on the person (Person.flags); the others only in the report.
FLAG_COLUMNS = ("公民身份号码", "残疾人证号")
ProgressCallback = Callable[[int, int], None]


class _EventRefused(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column, self.message = column, message


@dataclass
class ParsedRow(CheckedRow):
    values: dict[str, Any] = field(default_factory=dict)
    status_date: datetime.date | None = None


# (field, column, parser) of the optional plain fields, in the order their errors are reported.
PLAIN_OPTIONAL: list[tuple[str, str, Callable]] = [
    ("address", "现住址", partial(excel.parse_text, max_length=200, what="现住址")),
    ("phone", "联系电话", excel.parse_phone),
    ("guardian_name", "监护人姓名", partial(excel.parse_name, what="监护人姓名")),
    ("guardian_phone", "监护人电话", partial(excel.parse_phone, label="监护人电话")),
    ("economic_status", "经济状况", excel.parse_economic_status),
    ("lives_alone", "是否独居", excel.parse_yes_no),
    ("bank_name", "开户银行", partial(excel.parse_text, max_length=60, what="开户银行")),
    ("bank_account", "银行账号", excel.parse_bank_account),
]


class RowParser:
    """Turns one row of cells into model values, collecting every reason it cannot."""

    def __init__(self, *, index: dict[str, int], prefix: str, today: datetime.date) -> None:
        self.index = index
        # Every column of the template with its position in the file (None: not in it).
        self.columns = [(header, index.get(header)) for header in excel.HEADERS]
        self.prefix = prefix
        self.today = today
        self.areas = AreaLookup()
        self._area_of: dict[tuple, tuple] = {}

    def parse(self, number: int, row: list) -> ParsedRow:
        parsed = ParsedRow(row=number, raw=row)
        values = parsed.values
        width = len(row)
        cells = {header: row[col] if col is not None and col < width else "" for header, col in self.columns}
        get = cells.__getitem__

        # (A plain `Callable`: a subscripted annotation here would be built again for every row.)
        def optional(header: str, parser: Callable) -> Any:
            raw = get(header)
            if is_blank(raw):
                return KEEP
            try:
                return parser(raw)
            except CellError as exc:
                parsed.reject(header, str(exc))
                return KEEP

        # Name and identifiers.
        if is_blank(get("姓名")):
            parsed.reject("姓名", "姓名不能为空")
        else:
            try:
                values["name"] = excel.parse_person_name(get("姓名"))
            except CellError as exc:
                parsed.reject("姓名", str(exc))

        id_number = None
        try:
            id_number = id_cell_read(get(ID_HEADER), today=self.today)
        except IdentifierError as exc:
            parsed.reject(ID_HEADER, str(exc))
        if id_number:
            parsed.id_number = id_number.number
            values["birth_date"] = id_number.birth_date
            if id_number.warnings:
                parsed.warnings.extend(Issue("公民身份号码", w) for w in id_number.warnings)
            if id_number.converted_from:
                parsed.warnings.append(Issue(ID_HEADER, CONVERTED_NOTE))

        gender = None
        if is_blank(get("性别")):
            parsed.reject("性别", "性别不能为空")
        else:
            try:
                gender = excel.parse_gender(get("性别"))
            except CellError as exc:
                parsed.reject("性别", str(exc))
        if gender and id_number:
            if gender != id_number.gender:
                said = "男" if gender == "M" else "女"
                by_id = "男" if id_number.gender == "M" else "女"
                parsed.reject("性别", f"性别填写为{said}，但身份证号第 17 位表示{by_id}")
            values["gender"] = gender

        for header, parser, key in (
            ("残疾类别", excel.parse_category, "category"),
            ("残疾等级", excel.parse_grade, "grade"),
        ):
            if is_blank(get(header)):
                parsed.reject(header, f"{header}不能为空")
                continue
            try:
                values[key] = parser(get(header))
            except CellError as exc:
                parsed.reject(header, str(exc))
        category, grade = values.get("category"), values.get("grade")

        raw_cert = get("残疾人证号")
        if isinstance(raw_cert, str) and "*" in raw_cert:
            parsed.reject("残疾人证号", "这是脱敏后的残疾人证号（含 *），请填写完整号码")
        elif id_number and category and grade:
            try:
                certificate = parse_certificate(
                    raw_cert,
                    id_number=id_number.number,
                    category=category,
                    grade=grade,
                    converted_from=id_number.converted_from,
                )
            except IdentifierError as exc:
                parsed.reject("残疾人证号", str(exc))
            else:
                values["certificate_number"] = certificate.number
                if certificate.suffix:
                    parsed.warnings.append(
                        Issue("残疾人证号", f"残疾人证号带有地方后缀 {certificate.suffix}，已保留，请核实")
                    )
        elif is_blank(raw_cert):
            parsed.reject("残疾人证号", "残疾人证号不能为空")

        # Dates.
        birth = values.get("birth_date")
        issued = optional("发证日期", excel.parse_date)
        if issued is not KEEP:
            if issued > self.today:
                parsed.reject("发证日期", f"发证日期 {issued:%Y-%m-%d} 晚于今天")
            elif birth and issued < birth:
                parsed.reject("发证日期", f"发证日期 {issued:%Y-%m-%d} 早于出生日期")
        values["certificate_issued"] = issued
        valid_until = optional("有效期至", excel.parse_valid_until)
        if valid_until not in (KEEP, None) and issued not in (KEEP, None) and valid_until < issued:
            parsed.reject("有效期至", f"有效期至 {valid_until:%Y-%m-%d} 早于发证日期")
        values["certificate_valid_until"] = valid_until

        # Area, within the importer's jurisdiction.
        self._parse_area(parsed, get)

        # Plain optional fields: a loop over parsers made once, not a closure per cell.
        for key, header, parser in PLAIN_OPTIONAL:
            raw = get(header)
            if is_blank(raw):
                values[key] = KEEP
                continue
            try:
                values[key] = parser(raw)
            except CellError as exc:
                parsed.reject(header, str(exc))
                values[key] = KEEP

        # Status and its date.
        status = optional("人员状态", excel.parse_status)
        status_date = optional("状态日期", excel.parse_date)
        if (
            status not in (KEEP, Status.ACTIVE)
            and status_date is KEEP
            and not any(i.column == "状态日期" for i in parsed.issues)
        ):
            parsed.reject("状态日期", f"人员状态为{Status(status).label}时，状态日期必填")
        if status_date is not KEEP:
            if status_date > self.today:
                parsed.reject("状态日期", f"状态日期 {status_date:%Y-%m-%d} 晚于今天")
            elif birth and status_date < birth:
                parsed.reject("状态日期", f"状态日期 {status_date:%Y-%m-%d} 早于出生日期")
        values["status"] = status
        parsed.status_date = None if status_date is KEEP else status_date
        return parsed

    def _parse_area(self, parsed: ParsedRow, get) -> None:
        cells = (get(excel.AREA_CODE_COLUMN), get("镇街"), get("村居"))
        try:
            area, issue, warning = self._area_of[cells]
        except KeyError:
            area, issue, warning = self._area_of[cells] = self._resolve_area(*cells)
        if issue:
            parsed.reject(*issue)
            return
        if warning:
            parsed.warnings.append(Issue(*warning))
        parsed.values["area"] = area

    def _resolve_area(
        self, code_cell: object, town_cell: object, community_cell: object
    ) -> tuple[Area | None, tuple[str, str] | None, tuple[str, str] | None]:
        """(area, None, warning or None), or (None, (column, reason), None). A file names
        a few dozen communities in 100,000 rows: `_parse_area` resolves each distinct
        triple of cells once per import (the area tree is read once, by `AreaLookup`)."""
        code = excel.parse_area_code(code_cell)
        town = excel.parse_text(town_cell, max_length=1000, what="镇街")
        community = excel.parse_text(community_cell, max_length=1000, what="村居")
        warning = None
        if code:
            column = excel.AREA_CODE_COLUMN
            area, reason = self.areas.community(code=code)
            if area and (town or community):
                named, _ = self.areas.community(town=town, community=community)
                if named is not None and named.code != area.code:
                    return None, (column, f"区划代码 {code} 是{area.name}，与镇街、村居“{town}{community}”不一致"), None
                if named is None:
                    warning = (column, f"镇街、村居“{town}{community}”与区划代码不符，已按区划代码 {code} 处理")
        else:
            area, reason = self.areas.community(town=town, community=community)
            column = "镇街" if (not town or reason.startswith("未知的镇街")) else "村居"
        if area is None:
            return None, (column, reason), None
        if not area.is_active:
            return None, (column, f"{area.name}（{area.code}）已撤销，且未设置并入的区划"), None
        if not area.code.startswith(self.prefix):
            return None, (column, f"{_area_label(area)}不在您的管辖范围内"), None
        return area, None, warning


def _area_label(area: Area) -> str:
    town = area.parent.name if area.parent_id and area.parent else ""
    return f"{town}{area.name}"


# The import --------------------------------------------------------------------------


@dataclass
class PersonImportResult(ImportResult):
    """The person import's outcome, with the change requests its rows of registered
    persons made (`registry.import_requests`): not a kind of row, as a row that asks for a
    change may update other fields too."""

    requested: int = 0

    def count_cells(self) -> list[tuple[str, str, int]]:
        return [*super().count_cells(), ("requested", "提交变更申请", self.requested)]

    def summary(self) -> str:
        text = super().summary()
        return f"{text}，提交变更申请 {self.requested}" if self.requested else text

    def as_report(self) -> dict:
        return {**super().as_report(), "requested": self.requested}

    @classmethod
    def from_report(cls, report: dict) -> "PersonImportResult":
        result = super().from_report(report)
        result.requested = report.get("requested", 0)
        return result


class PersonImporter(Importer):
    """The federation's person workbook (`registry.excel.COLUMNS`), keyed on the ID number:
    the framework's reading, column check, permission, report, audit entry, job, pages and
    command, with its own one pass (`import_rows`) that writes each new person as its row
    passes."""

    kind = "registry.persons"
    title = "人员名单"
    permission = "registry.import_persons"
    columns = tuple(
        Column(c.header, required=c.required, guide=c.guide, width=c.width, values=c.values) for c in excel.COLUMNS
    )
    sheet_name = excel.PERSON_SHEET
    template_name = "持证残疾人导入模板"
    start_template = "registry/import_start.html"
    result_class = PersonImportResult

    def run(self, source: Source, progress=None) -> ImportResult:
        # Kept as the evidence of the change requests the rows make (`ImportRequests`).
        self.source = source
        return super().run(source, progress)

    def prepare(self) -> None:
        self.prefix = user_area_prefix(self.user)
        if self.prefix is None:
            raise ImportRefused("您的账号没有管辖区域，不能导入人员名单")

    def missing_columns(self, index: Collection[str]) -> list[str]:
        return excel.missing_columns(index)

    def missing_message(self, missing: list[str]) -> str:
        return f"缺少必需的列：{'、'.join(missing)}。请使用导入模板的列名。"

    @classmethod
    def template_write(cls, target: str | IO[bytes]) -> None:
        excel.template_write(target)

    def audit_data(self, result: ImportResult) -> dict:
        data = {"file": self.source_name, **result.counts()}
        if getattr(result, "requested", 0):
            data["requested"] = result.requested
        return data

    def import_rows(self, table: Table, result: ImportResult, progress: ProgressCallback) -> list[ParsedRow]:
        """Validate and write in one pass (performance.md, fix 13). The ID numbers are read
        first, so the rows that repeat one (each rejected: which is right is for the
        officer) and the persons already registered are known before any row is parsed;
        each new person is then written the moment its row is valid, the registered ones
        updated at the end."""
        user, source_name, data = self.user, self.source_name, table.rows
        total = len(data)
        progress(0, total)

        # The ID number of each row as its parser will read it (`parse_id_number` keeps the
        # normalised text of a valid number).
        id_column = table.index[ID_HEADER]
        keys = [_id_key(row[id_column] if id_column < len(row) else "") for _, row in data]
        rows_of: dict[str, list[int]] = defaultdict(list)
        for (number, _), key in zip(data, keys, strict=True):
            if key:
                rows_of[key].append(number)
        repeated = {key: "、".join(map(str, numbers)) for key, numbers in rows_of.items() if len(numbers) > 1}
        # Rows in ID-number order: the new persons get their ids, and the unique indexes of
        # their numbers are written, page after page rather than at random (10^5: 14 s → 11 s).
        order = sorted(range(total), key=keys.__getitem__)
        del keys

        parser = RowParser(index=table.index, prefix=self.prefix, today=timezone.localdate())
        households = PersonHouseholds(table)
        reason = f"Excel 导入：{source_name}"[:100]
        parsed_rows: list[ParsedRow | None] = [None] * total
        with ExitStack() as writing:
            # Who is registered already is looked up while the first rows are parsed (on
            # PostgreSQL in a thread, on the import's connection); the new persons parsed
            # meanwhile wait for its answer, the rest are written as they pass.
            lookup = writing.enter_context(
                _ExistingLookup([key for key in rows_of if len(key) == ID_LENGTH and key not in repeated])
            )
            existing: dict[str, StoredPerson] | None = None
            write: Callable[[dict[str, Any]], None] | None = None
            waiting: list[ParsedRow] = []

            def settle(*, wait: bool) -> None:
                nonlocal existing, write
                if existing is None:
                    if not (wait or lookup.done()):
                        return
                    existing = lookup.result()
                    expected = sum(1 for key in rows_of if key not in existing and key not in repeated)
                    write = writing.enter_context(
                        _new_persons_writer(user=user, reason=reason, source=source_name[:60], expected=expected)
                    )
                for parsed in waiting:
                    if parsed.id_number not in existing:
                        write(_new_person_values(parsed, _flags(parsed)))
                        result.created += 1
                waiting.clear()

            for done, position in enumerate(order, start=1):
                number, row = data[position]
                parsed = parsed_rows[position] = parser.parse(number, row)
                households.check(parsed)
                if parsed.id_number in repeated:
                    rows = repeated[parsed.id_number]
                    parsed.reject(ID_HEADER, f"身份证号在本文件中重复出现（第 {rows} 行），这些行都未导入")
                elif parsed.ok:
                    waiting.append(parsed)
                    settle(wait=False)
                if done % PROGRESS_EVERY == 0:
                    progress(done, total)
            settle(wait=True)
        requests = ImportRequests(
            user=user, source=getattr(self, "source", None), source_name=source_name, today=parser.today
        )
        _update_existing(
            [p for p in parsed_rows if p.ok and p.id_number in existing],
            existing,
            user=user,
            prefix=self.prefix,
            reason=reason,
            source=source_name[:60],
            result=result,
            requests=requests,
        )
        result.requested = requests.write()
        if households.attach(user=user, source=source_name):
            records_changed.send(sender=Person, source="registry")
        if result.created or result.updated:
            # A reimport that changes nothing (flags are hints, not figures) queues no refresh.
            records_changed.send(sender=Person, source="registry")
        progress(total, total)
        return parsed_rows


def persons_import(
    *, user: User, path_or_file: Source, source_name: str, progress: Progress | None = None
) -> ImportResult:
    """Import a person workbook on behalf of `user` (`PersonImporter`). Raises `ImportRefused`
    (nothing written) for a file that cannot be used."""
    return PersonImporter(user=user, source_name=source_name).run(path_or_file, progress)


def _id_key(raw: object) -> str:
    """The ID number a row's parser will accept from this cell, if any: a text cell
    normalised as `parse_id_number` does, a 15-digit one converted (a number cell is always
    refused)."""
    return id_number_key(raw) if isinstance(raw, str) else ""


def _flags(parsed: ParsedRow) -> list[str]:
    # A conversion from 15 digits is a fact of the import's report, not a doubt to flag.
    return [w.message for w in parsed.warnings if w.column in FLAG_COLUMNS and w.message != CONVERTED_NOTE]


def _chunks(items: list, size: int = BATCH_SIZE):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _update_existing(
    parsed_rows: list[ParsedRow],
    existing: dict[str, "StoredPerson"],
    *,
    user: User,
    prefix: str,
    reason: str,
    source: str,
    result: ImportResult,
    requests: ImportRequests,
) -> None:
    """The rows of registered persons: plain fields changed in bulk (with history), state
    fields as dated events, key fields asked for as change requests (`requests`, written
    by the caller), or nothing (unchanged). A row of a person merged into another is
    refused. Model instances are built only for the persons that change: most rows of a
    reimport change nothing."""
    today = timezone.localdate()
    changes: dict[int, dict[str, Any]] = {}
    loaded: dict[int, Person] = {}
    reflagged: list[Person] = []
    # The rows' events first, so that the persons they change and their chains of events
    # are read in a few statements (the look-up locked them), not several times per row.
    planned_of: dict[int, list[tuple[str, dict]]] = {}
    for position, parsed in enumerate(parsed_rows):
        stored = existing[parsed.id_number]
        if stored.area_id.startswith(prefix) and stored.status != Status.MERGED:
            planned_of[position] = _planned_events(stored, parsed, today=today)
    kept = _kept_persons(existing[parsed.id_number] for parsed in parsed_rows)
    held, chains = persons_with_events(
        [existing[parsed_rows[position].id_number].id for position, planned in planned_of.items() if planned],
        lock=False,
    )
    # The rows' new events, written together after the last row (PostgreSQL), else each
    # as it is decided.
    pending: list[PersonEventChange] | None = [] if _events_in_bulk() else None
    for position, parsed in enumerate(parsed_rows):
        flags = _flags(parsed)
        stored = existing[parsed.id_number]
        if not stored.area_id.startswith(prefix):
            # Say no more than that: the importer may not see that person.
            parsed.reject("公民身份号码", "该身份证号已在其他镇(街)登记，不能由您导入；如已迁入，请联系区残联办理")
            continue
        if stored.status == Status.MERGED:
            parsed.reject(ID_HEADER, _merged_message(kept.get(stored.merged_into_id), prefix))
            continue
        plain = _plain_changes(stored, parsed.values)
        planned = planned_of[position]
        events = 0
        if planned:
            # Written one by one, a row's events get a savepoint (most rows of a reimport
            # have none); decided for the bulk write, they are kept only if all of them
            # pass. A refused row's person is not used again (an ID number is on one row).
            try:
                with transaction.atomic() if pending is None else nullcontext():
                    decided = _record_events(
                        held[stored.id], chains, planned, user=user, source=source, write=pending is None
                    )
            except _EventRefused as exc:
                parsed.reject(exc.column, exc.message)
                continue
            if pending is not None:
                pending.extend(decided)
            events = len(decided)
        status = stored.status if parsed.values["status"] is KEEP else parsed.values["status"]
        requests.plan(parsed, stored, asked_changes(stored, parsed.values, KEEP), status=status)
        if not plain and not events:
            if stored.flags != flags:
                # Flags are hints derived from the identifiers, not data of the person:
                # refreshing them is no change and leaves no history.
                reflagged.append(Person(pk=stored.id, flags=flags))
            result.unchanged += 1
            continue
        if events:
            # The events saved the person, which they kept current: carry on from it.
            person = loaded[stored.id] = held[stored.id]
            plain = _plain_changes(person, parsed.values)
            if person.flags != flags:
                plain["flags"] = flags
        elif stored.flags != flags:
            plain["flags"] = flags
        if plain:
            changes[stored.id] = plain
        result.updated += 1

    if pending:
        # Before the plain changes, as when written one by one: their change records follow the events'.
        person_events_write(pending)
    if changes:
        # (No moves among them: a registered person's area changes by a request.)
        _persons_change(changes, loaded, user=user, reason=reason)
    if reflagged:
        if connection.vendor == "postgresql":
            _columns_write({person.pk: {"flags": person.flags} for person in reflagged}, updated_at=None)
        else:
            Person.objects.bulk_update(reflagged, ["flags"], batch_size=BATCH_SIZE)


def _kept_persons(stored: Iterator["StoredPerson"]) -> dict[int, Person]:
    """The persons the merged ones among `stored` were merged into, by id."""
    ids = {s.merged_into_id for s in stored if s.status == Status.MERGED and s.merged_into_id}
    return Person.objects.only("name", "id_number", "area_id").in_bulk(ids) if ids else {}


def _merged_message(kept: Person | None, prefix: str) -> str:
    """Why the row of a merged person is refused, naming the kept registration as an
    officer sees it (the ID number masked), or not at all outside their area."""
    head = "该身份证号的登记是重复登记（状态：已合并）"
    if kept is None or not kept.area_id.startswith(prefix):
        return f"{head}，已合并到另一条登记，本行未导入；如有疑问请联系区残联"
    return (
        f"{head}，已合并到{kept.name}（公民身份号码 {mask_id(kept.id_number)}）的登记，本行未导入；"
        "请按保留的登记填写身份证号"
    )


def _persons_change(changes: dict[int, dict[str, Any]], loaded: dict[int, Person], *, user: User, reason: str) -> None:
    """Store the plain changes, `{person id: {attname: value}}`, with the time of the change
    and a change (`~`) history record of each person. PostgreSQL: one UPDATE and one
    INSERT … SELECT over them all (`_columns_write`). Elsewhere (SQLite, the demo):
    simple_history's `bulk_update_with_history` over their instances (`loaded`: those
    already read)."""
    now = timezone.now()
    if connection.vendor == "postgresql":
        _columns_write(changes, updated_at=now)
        if getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            _history_insert(sorted(changes), user=user, reason=reason, date=now, kind="~")
        return
    persons = {**Person.objects.in_bulk([pk for pk in changes if pk not in loaded]), **loaded}
    fields = {"updated_at"}
    for pk, plain in changes.items():
        person = persons[pk]
        for name, value in plain.items():
            setattr(person, name, value)
        person.updated_at = now
        fields.update("area" if name == "area_id" else name for name in plain)
    for chunk in _chunks([persons[pk] for pk in changes]):
        bulk_update_with_history(
            chunk, Person, sorted(fields), batch_size=BATCH_SIZE, default_user=user, default_change_reason=reason
        )


_CHANGES_TABLE = "registry_person_changes"


def _columns_write(changes: dict[int, dict[str, Any]], *, updated_at: datetime.datetime | None) -> None:
    """PostgreSQL: the changed columns of many persons, `{person id: {attname: value}}`, by
    one binary COPY into a temp table and one UPDATE … FROM it. Each column is set only
    for the persons whose change names it (the `set_<n>` flag beside it); `updated_at`
    too, unless None. Django's `bulk_update` writes a CASE with a WHEN per person for each
    column, built and resolved in Python: a reimport of 97,000 persons with a changed
    phone took 33 s at 10^5 (performance.md, fix 17)."""
    quote = connection.ops.quote_name
    table = quote(Person._meta.db_table)
    names = sorted({name for plain in changes.values() for name in plain})
    columns = [quote(Person._meta.get_field(name).column) for name in names]
    flags = [f"set_{i}" for i in range(len(names))]
    with connection.cursor() as cursor:
        # A temp table of this transaction only; another import in the same transaction
        # (a test, a script) makes its own again.
        cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{_CHANGES_TABLE}")
        selected = ", ".join(["id", *columns, *(f"NULL::boolean AS {flag}" for flag in flags)])
        cursor.execute(
            f"CREATE TEMP TABLE {_CHANGES_TABLE} ON COMMIT DROP AS SELECT {selected} FROM {table} WITH NO DATA"
        )
        cursor.execute(
            "SELECT atttypid FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped "
            "ORDER BY attnum",
            [f"pg_temp.{_CHANGES_TABLE}"],
        )
        types = [oid for (oid,) in cursor.fetchall()]
        set_json_dumps(_flags_json, cursor.cursor)
        with cursor.cursor.copy(f"COPY {_CHANGES_TABLE} FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(types)
            for pk, plain in changes.items():
                copy.write_row([pk, *(plain.get(name) for name in names), *(name in plain for name in names)])
        assignments = [
            f"{column} = CASE WHEN c.{flag} THEN c.{column} ELSE p.{column} END"
            for column, flag in zip(columns, flags, strict=True)
        ]
        params = []
        if updated_at is not None:
            assignments.append(f"{quote('updated_at')} = %s")
            params.append(updated_at)
        assigned = ", ".join(assignments)
        cursor.execute(f"UPDATE {table} p SET {assigned} FROM {_CHANGES_TABLE} c WHERE p.id = c.id", params)
        cursor.execute(f"DROP TABLE {_CHANGES_TABLE}")


# What an import reads of a registered person to compare it with its row.
_STORED_FIELDS = (
    "id",
    "id_number",
    "area_id",
    "flags",
    "status",
    "status_date",
    "merged_into_id",
    *(name for name in PLAIN_FIELDS if name != "area"),
    *(name for _, name in VALUE_EVENTS if name not in PLAIN_FIELDS),
)
StoredPerson = namedtuple("StoredPerson", _STORED_FIELDS)


class _ExistingLookup:
    """The registered persons of these ID numbers, looked up at once and answered by
    `result()`. On PostgreSQL the statement runs in a thread on the import's own connection
    (shared for that one statement, in its transaction) while the import's thread parses
    rows without touching the database; elsewhere it runs when `result()` is asked."""

    def __init__(self, numbers: list[str]) -> None:
        self.numbers = numbers
        self.connection = connections[DEFAULT_DB_ALIAS]
        self.pool = None
        if self.connection.vendor == "postgresql":
            self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-lookup")
            self.connection.inc_thread_sharing()
            self.future = self.pool.submit(self._fetch, *_existing_query(numbers).query.sql_with_params())

    def _fetch(self, sql: str, params) -> list[tuple]:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def done(self) -> bool:
        return self.pool is None or self.future.done()

    def result(self) -> dict[str, StoredPerson]:
        """The registered persons of the numbers, by number, locked until the import commits:
        the compared columns only, as tuples (not 100,000 model instances)."""
        if self.pool is None:
            persons = _stored_persons()
            found = (row for chunk in _chunks(self.numbers, 1000) for row in persons.filter(id_number__in=chunk))
            return {stored.id_number: stored for stored in map(StoredPerson._make, found)}
        flags = _STORED_FIELDS.index("flags")
        json_field = Person._meta.get_field("flags")
        found = {}
        for row in self.future.result():
            row = list(row)
            row[flags] = json_field.from_db_value(row[flags], None, self.connection)
            stored = StoredPerson._make(row)
            found[stored.id_number] = stored
        return found

    def __enter__(self) -> "_ExistingLookup":
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True)  # never leave the statement running on the connection
            self.connection.dec_thread_sharing()
            self.pool = None


def _stored_persons():
    return Person.objects.select_for_update().order_by().values_list(*_STORED_FIELDS)


def _existing_query(numbers: list[str]):
    # PostgreSQL: one statement with the numbers as one array, not a hundred IN lists of 1,000.
    return _stored_persons().filter(id_number__in=RawSQL("SELECT unnest(%s::text[])", [numbers]))


# The optional fields of a new person, with the value a cell left empty gives them.
_NEW_PERSON_DEFAULTS = {
    "certificate_issued": None,
    "certificate_valid_until": None,
    "address": "",
    "phone": "",
    "guardian_name": "",
    "guardian_phone": "",
    "economic_status": EconomicStatus.NONE.value,
    "lives_alone": False,
    "bank_name": "",
    "bank_account": "",
}


def _new_person_values(parsed: ParsedRow, flags: list[str]) -> dict[str, Any]:
    """The new person's field values by attribute name (`area_id`), defaults filled in."""
    v = parsed.values
    status = Status.ACTIVE.value if v["status"] is KEEP else v["status"]
    values = {name: default if v[name] is KEEP else v[name] for name, default in _NEW_PERSON_DEFAULTS.items()}
    values.update(
        name=v["name"],
        gender=v["gender"],
        id_number=parsed.id_number,
        birth_date=v["birth_date"],
        certificate_number=v["certificate_number"],
        category=v["category"],
        grade=v["grade"],
        area_id=v["area"].code,
        status=status,
        status_date=None if status == Status.ACTIVE else parsed.status_date,
        flags=flags,
        merged_into_id=None,
        # Attached after the persons are written (`registry.households.households_attach`).
        household_id=None,
        relationship_to_head="",
    )
    return values


@contextmanager
def _new_persons_writer(
    *, user: User, reason: str, source: str, expected: int
) -> Iterator[Callable[[dict[str, Any]], None]]:
    """`write(values)` for each new person, in the order their ids should follow; they are
    stored, with their creation (`+`) history records and the events of those imported
    as not active (`_status_events_insert`), when the block ends.

    On PostgreSQL each person goes out at once on one COPY: the server fills the table and
    its indexes, in its own process, while the next rows are parsed, rather than after. Their ids are drawn
    from the table's sequence beforehand (`expected`, at least the number of new persons:
    the ids of rows then rejected are left unused, as a rolled-back insert leaves them).
    The COPY names every column of `registry_person`, so a field added to `Person` fails
    here with a KeyError rather than taking a wrong value. Elsewhere (SQLite, the demo):
    simple_history's `bulk_create_with_history` at the end.
    """
    if connection.vendor != "postgresql":
        rows: list[dict[str, Any]] = []
        yield rows.append
        now = timezone.now()
        for chunk in _chunks(rows):
            persons = [Person(**values) for values in chunk]
            bulk_create_with_history(
                persons, Person, batch_size=BATCH_SIZE, default_user=user, default_change_reason=reason
            )
            numbers = [values["id_number"] for values in chunk if values["status"] != Status.ACTIVE]
            if numbers:
                where = f"id_number IN ({', '.join(['%s'] * len(numbers))})"
                _status_events_insert(where, numbers, user=user, source=source, date=now)
        return

    quote = connection.ops.quote_name
    fields = Person._meta.concrete_fields
    row_of = operator.itemgetter(*(f.attname for f in fields))
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [Person._meta.db_table, Person._meta.pk.column, expected],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
        used = 0
        # The binary format: each value goes out as the column's type, not as text the
        # server parses again (a third of the COPY's Python time); the flags as a list,
        # which the jsonb column's dumper encodes.
        cursor.execute(
            "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0",
            [Person._meta.db_table],
        )
        type_of = dict(cursor.fetchall())
        columns = ", ".join(quote(f.column) for f in fields)
        sql = f"COPY {quote(Person._meta.db_table)} ({columns}) FROM STDIN (FORMAT BINARY)"
        # Most persons have no flags: their `[]` is not encoded again for each of them.
        set_json_dumps(_flags_json, cursor.cursor)
        with cursor.cursor.copy(sql) as copy:
            copy.set_types([type_of[f.column] for f in fields])

            def write(values: dict[str, Any]) -> None:
                nonlocal used
                values.update(id=ids[used], created_at=now, updated_at=now)
                used += 1
                copy.write_row(row_of(values))

            yield write
    if used:
        if getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            _history_insert(ids[:used], user=user, reason=reason, date=now)
        _status_events_insert(*_ids_where(ids[:used]), user=user, source=source, date=now)


def _flags_json(flags: list[str]) -> str:
    return json.dumps(flags) if flags else "[]"


def _ids_where(ids: list[int]) -> tuple[str, list]:
    """PostgreSQL: a condition on `registry_person` that holds for the persons `ids`."""
    low, high = min(ids), max(ids)
    if high - low == len(ids) - 1:
        # Distinct numbers of the sequence spanning no more than their count are every id
        # from the lowest to the highest (as when no other session drew ids meanwhile), so
        # no other person has one of them: a range, not an array of 100,000 numbers to
        # encode and probe one by one (0.3 s of Python).
        return "id BETWEEN %s AND %s", [low, high]
    return "id = ANY(%s)", [ids]


def _status_events_insert(where: str, keys: list, *, user: User, source: str, date: datetime.datetime) -> None:
    """One INSERT … SELECT of the status events of the new persons matching `where` who
    were imported dead, moved out or cancelled: the event of their status on its date, as
    `person_event_record` would record it on an active person. Without it the rules, which
    read a person's past state back from the events, take them as dead for all of history
    and lose the months before (issue 11, item 16)."""
    quote = connection.ops.quote_name
    cases, params = [], []
    for status, kind in STATUS_EVENT.items():
        if status != Status.ACTIVE:
            cases.append("WHEN %s THEN %s")
            params += [status.value, kind.value]
    names = ["person", "area_code", "kind", "field", "date", "old_value", "new_value", "reason", "source"]
    columns = ", ".join(
        quote(PersonEvent._meta.get_field(name).column) for name in [*names, "created_by", "created_at"]
    )
    sql = (
        f"INSERT INTO {quote(PersonEvent._meta.db_table)} ({columns}) "
        f"SELECT id, area_id, CASE status {' '.join(cases)} END, %s, status_date, %s, status, %s, %s, %s, %s "
        f"FROM {quote(Person._meta.db_table)} WHERE status <> %s AND {where} ORDER BY id"
    )
    params += [EVENT_FIELD[EventKind.DEATH], Status.ACTIVE.value, "Excel 导入", source, user.pk, date]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, Status.ACTIVE.value, *keys])


def _history_insert(ids: list[int], *, user: User, reason: str, date: datetime.datetime, kind: str = "+") -> None:
    """One INSERT … SELECT of the history records (`kind`: `+` creation, `~` change) of the
    persons `ids`, as `bench/generate.py` writes them: each history column is the person's
    column of the same name, or a value of the record (date, reason, type, user)."""
    quote = connection.ops.quote_name
    record = {"history_date": date, "history_change_reason": reason, "history_type": kind, "history_user_id": user.pk}
    targets, sources, params = history_select({name: ("%s", [value]) for name, value in record.items()}, quote)
    where, keys = _ids_where(ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(Person.history.model._meta.db_table)} ({targets}) "
            f"SELECT {sources} FROM {quote(Person._meta.db_table)} WHERE {where} ORDER BY id",
            [*params, *keys],
        )


def _plain_changes(person: "Person | StoredPerson", values: dict) -> dict[str, Any]:
    """The plain fields whose file value differs from the stored one. The certificate is
    rebuilt from the person's stored category and grade, which only events change (and
    which bring the certificate along), and the file's local suffix. The key fields are
    not among them: they change by a request (`registry.import_requests`)."""
    changes: dict[str, Any] = {}
    for name in PLAIN_FIELDS:
        if name in REQUEST_PLAIN_FIELDS:
            continue
        if name == "certificate_number":
            suffix = values["certificate_number"][20:]
            new = f"{person.id_number}{person.category}{person.grade}{suffix}"
        else:
            new = values.get(name, KEEP)
        if new is not KEEP and getattr(person, name) != new:
            changes[name] = new
    return changes


def _planned_events(
    person: "Person | StoredPerson", parsed: ParsedRow, *, today: datetime.date
) -> list[tuple[str, dict]]:
    """The dated events, as (column, `person_event_record` arguments), that would bring the
    person's state fields to the file's values; none when they already are."""
    values = parsed.values
    planned: list[tuple[str, dict]] = []
    status = values["status"]
    if status is not KEEP and status != person.status:
        planned.append(("人员状态", {"kind": STATUS_EVENT[Status(status)], "date": parsed.status_date or today}))
    elif (
        status is not KEEP
        and status != Status.ACTIVE
        and parsed.status_date
        and parsed.status_date != person.status_date
    ):
        parsed.warnings.append(
            Issue(
                "状态日期",
                f"系统中该人员的状态日期为 {person.status_date:%Y-%m-%d}，与文件不同，未修改；如需更正请在人员页面处理",
            )
        )
    for kind, name in VALUE_EVENTS:
        new = values[name]
        if new is KEEP or name in REQUEST_EVENT_FIELDS:
            continue
        if field_to_text(name, new) == field_to_text(name, getattr(person, name)):
            continue
        planned.append((excel.COLUMN_FOR_FIELD[name], {"kind": kind, "date": today, "value": new}))
    return planned


def _events_in_bulk() -> bool:
    """Whether a reimport's new events are written together (`person_events_write`, on
    PostgreSQL) rather than each as it is decided (`person_event_apply`, elsewhere)."""
    return connection.vendor == "postgresql"


def _record_events(
    person: Person,
    chains: dict[tuple[int, str], list[PersonEvent]],
    planned: list[tuple[str, dict]],
    *,
    user: User,
    source: str,
    write: bool = True,
) -> list[PersonEventChange]:
    """Decide the planned events on the person and its `chains` (`persons_with_events`),
    each written as it is decided if `write`. Returns the new ones (none when they already
    were)."""
    decided = []
    for column, event in planned:
        chain = chains[(person.pk, EVENT_FIELD[event["kind"]])]
        try:
            _, change = person_event_decide(
                user=user, locked=person, chain=chain, reason="Excel 导入", source=source, **event
            )
        except (ValidationError, PermissionDenied) as exc:
            messages = getattr(exc, "messages", None) or [str(exc)]
            raise _EventRefused(column, "；".join(messages)) from exc
        if change is not None:
            if write:
                person_event_apply(change)
            decided.append(change)
    return decided
