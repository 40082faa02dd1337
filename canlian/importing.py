"""One import framework: an importer declares its columns, how to read a row and how to
write the valid rows; the base does the rest.

What every import shares lives here once: reading the first sheet within bounds
(`canlian.sheets` through `table_read`, which keeps only the declared columns), refusing a
file without a required column before anything is written, the ID cell (masked with * or
stored by Excel as a number), duplicate keys in one file (every row of a repeated key
rejected: which one is right is for the officer to say), the row report (created / updated
/ unchanged / rejected with the row, the column and the reason in Chinese), the
rejected-rows workbook, the audit entry of the import, the background job with its
progress (`canlian.Job`; a refused or failed job is audited too), the upload, status and
rejected-rows pages (`canlian.import_views`), and the management command
(`canlian.import_command`). The writes and the audit entry are one transaction: a refused
file or an error writes nothing.

An importer::

    class ServiceImporter(Importer):
        kind = "rehab.services"            # the job's kind and the importer's key
        title = "康复服务记录"
        permission = "rehab.add_servicerecord"
        columns = (id_column(), Column("服务日期", required=True, parse=excel.parse_date), ...)

        def parse_row(self, row): ...      # row.values (parsed cells) -> row.value, or row.reject()
        def key(self, row): ...            # rows with the same key in one file are all rejected
        def apply(self, rows, result): ... # write the valid rows; may still reject some

The person import (`registry.imports.PersonImporter`) is one too: it shares all of this
and replaces only `import_rows`, with its one pass that writes each new person as its row
passes (on PostgreSQL one COPY) while the next rows are parsed.
"""

import datetime
import operator
import os
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Collection, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, ClassVar

import xlsxwriter
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404

from canlian.audit import audit_write, client_address_kept, client_address_now
from canlian.collector import collector_paused
from canlian.jobs import END_AUDITS, Outcome, Progress, job_run, job_task
from canlian.models import Job
from canlian.sheets import SheetError, sheet_read
from canlian.workbooks import HEADER_FORMAT
from registry import excel
from registry.excel import CellError, is_blank
from registry.identifiers import IdentifierError, IdNumber, parse_id_number

ID_HEADER = "公民身份号码"
PROGRESS_EVERY = 200
HEADER_SEARCH_ROWS = 10
IMPORT_FAILED = "导入时发生系统错误，未写入任何数据。请联系系统管理员。"
# A workbook to import: its path, or the open file (an upload kept in the storage).
Source = str | os.PathLike | IO[bytes]
# The errors a cell parser raises for a value it cannot accept, each with a Chinese message.
CELL_ERRORS = (CellError, IdentifierError, ValidationError)


class ImportRefused(Exception):
    """The file as a whole cannot be imported; nothing was written. Message in Chinese."""


@dataclass
class Issue:
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"column": self.column, "message": self.message}


@dataclass
class RejectedRow:
    row: int  # as Excel numbers it: the header is row 1
    values: list[str]
    reasons: list[Issue]

    @property
    def reason_text(self) -> str:
        return "；".join(f"{r.column}：{r.message}" if r.column else r.message for r in self.reasons)


@dataclass
class RowWarning:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    """What an import did: its counts, its rejected rows with their reasons, and the
    warnings of the rows it accepted; kept on the job as its report."""

    sheet_name: ClassVar[str] = excel.PERSON_SHEET  # of the rejected-rows workbook
    # The counts the status page shows, in order: (key of `counts()`, label).
    count_labels: ClassVar[tuple[tuple[str, str], ...]] = (
        ("total", "总行数"),
        ("created", "新增"),
        ("updated", "更新"),
        ("unchanged", "未变"),
        ("rejected", "拒绝"),
    )

    columns: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    warnings: list[RowWarning] = field(default_factory=list)

    @property
    def rejected_count(self) -> int:
        return len(self.rejected)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + self.rejected_count

    def counts(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected_count,
            "total": self.total,
        }

    def count_cells(self) -> list[tuple[str, str, int]]:
        """(key, label, count) of each of `count_labels`, for the status page."""
        counts = self.counts()
        return [(key, label, counts[key]) for key, label in self.count_labels]

    def summary(self) -> str:
        return f"新增 {self.created}，更新 {self.updated}，未变 {self.unchanged}，拒绝 {self.rejected_count}"

    def as_report(self) -> dict:
        """JSON for the job's `report`; `from_report` reads it back."""
        return {
            "columns": self.columns,
            "counts": self.counts(),
            "rejected": [
                {"row": r.row, "values": r.values, "reasons": [i.as_dict() for i in r.reasons]} for r in self.rejected
            ],
            "warnings": [{"row": w.row, "column": w.column, "message": w.message} for w in self.warnings],
        }

    @classmethod
    def from_report(cls, report: dict) -> "ImportResult":
        counts = report.get("counts", {})
        return cls(
            columns=list(report.get("columns", [])),
            created=counts.get("created", 0),
            updated=counts.get("updated", 0),
            unchanged=counts.get("unchanged", 0),
            rejected=[
                RejectedRow(
                    row=r["row"],
                    values=list(r["values"]),
                    reasons=[Issue(i["column"], i["message"]) for i in r["reasons"]],
                )
                for r in report.get("rejected", [])
            ],
            warnings=[RowWarning(w["row"], w["column"], w["message"]) for w in report.get("warnings", [])],
        )

    def rejected_write(self, target) -> None:
        """The rejected-rows workbook: original columns plus 拒绝原因."""
        rows = ((r.values, r.reason_text) for r in self.rejected)
        excel.rejected_write(target, self.columns, rows, sheet_name=self.sheet_name)


def _read_rows(path_or_file: Source) -> list[list]:
    try:
        return sheet_read(path_or_file)
    except SheetError as exc:
        raise ImportRefused(str(exc)) from exc


def _find_header(rows: list[list]) -> int:
    """Index of the header row: the first of the leading rows that names 公民身份号码 (a
    title row above the header is common), else the first non-blank row."""
    first = None
    for index, row in enumerate(rows):
        if all(is_blank(v) for v in row):
            continue
        if first is None:
            first = index
        if ID_HEADER in {excel.canonical_header(v) for v in row}:
            return index
        if index - first >= HEADER_SEARCH_ROWS:
            break
    if first is None:
        raise ImportRefused("文件中没有表头行（工作表是空的）")
    return first


@dataclass
class Table:
    """The first sheet of a workbook as read for an import: its known columns only."""

    columns: list[str]  # the known columns' headers as the officer typed them, in file order
    index: dict[str, int]  # canonical header → its position in `columns` and in each row
    rows: list[tuple[int, list]]  # (row number as Excel shows it, the known columns' cells); blank rows left out


def table_read(path_or_file: Source, *, known: Collection[str], aliases: dict[str, str] | None = None) -> Table:
    """Read the first sheet (`canlian.sheets`, which refuses an oversized one): find its
    header row, keep the `known` columns (their canonical names; `aliases` maps other names
    to them) and the rows below it that are not blank in them. Other columns are dropped,
    so a sheet padded to thousands of columns holds no more than the known ones in memory
    or in the report. Refuses (`ImportRefused`) a file that is not a readable workbook,
    has no header, or names one of the `known` columns twice."""
    rows = _read_rows(path_or_file)
    header_at = _find_header(rows)
    header_row = rows[header_at]
    positions: dict[str, int] = {}
    duplicated = []
    for col, value in enumerate(header_row):
        name = excel.canonical_header(value)
        if aliases:
            name = aliases.get(name, name)
        if name not in known:
            continue
        if name in positions:
            duplicated.append(name)
        positions.setdefault(name, col)
    if duplicated:
        raise ImportRefused(f"表头中有重复的列：{'、'.join(duplicated)}")
    kept = sorted(positions.values())
    index = {name: kept.index(col) for name, col in positions.items()}
    pick = operator.itemgetter(*kept) if kept else None

    def cells(row: list) -> list:
        if pick is None:
            return []
        picked = pick(row)
        return list(picked) if len(kept) > 1 else [picked]

    data = []
    for number, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        values = cells(row)
        if not all(is_blank(v) for v in values):
            data.append((number, values))
    columns = [excel.cell_text(header_row[col]) for col in kept]
    del rows
    return Table(columns=columns, index=index, rows=data)


@dataclass
class CheckedRow:
    """A row of an uploaded workbook (numbered as Excel shows it) being checked: the reasons
    it is rejected, if any, and its warnings. The imports of persons, events (comparison)
    and awards each add what they read from it."""

    row: int
    raw: list
    issues: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    id_number: str = ""

    def reject(self, column: str, message: str) -> None:
        self.issues.append(Issue(column, message))

    @property
    def ok(self) -> bool:
        return not self.issues


def error_text(exc: Exception) -> str:
    """The Chinese message of a cell's or a rule's error."""
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)


def id_cell_read(value: object, *, today: datetime.date | None = None) -> IdNumber:
    """An ID number cell of any import: a masked one (440703********123X, as an export
    shows it) or one Excel stored as a number (its last digits lost) is refused with the
    reason, as is any number `parse_id_number` refuses."""
    if isinstance(value, str) and "*" in value:
        raise IdentifierError("这是脱敏后的身份证号（含 *），请填写完整号码")
    return parse_id_number(value, today=today)


def parse_id_cell(value: object) -> str:
    """The `parse` of the ID column (`id_column`): the cell's number, see `id_cell_read`."""
    return id_cell_read(value).number


def parse_count(value: object, *, what: str) -> int:
    """A whole number cell (1, 1.0, "3", "３")."""
    if isinstance(value, bool):
        raise CellError(f"{what}应为整数")
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(f"{what}应为整数，不能是“{excel.cell_text(value)}”")
        return int(value)
    if isinstance(value, int):
        return value
    text = unicodedata.normalize("NFKC", excel.cell_text(value))
    if not text.isascii() or not text.lstrip("-").isdigit():
        raise CellError(f"{what}应为整数，不能是“{excel.cell_text(value)}”")
    return int(text)


@dataclass(frozen=True)
class Column:
    """A column of an import: its `header` (and `aliases` the officer may have typed),
    whether it is `required` (the file is refused without it, a row with it blank is
    rejected with `blank`, by default 〈header〉不能为空), `parse(cell) -> value` (raising one
    of `CELL_ERRORS`; a blank optional cell is None without a call; a string names a method
    of the importer, for a parser that needs what `prepare` loaded) and the template's
    `guide`."""

    header: str
    required: bool = False
    parse: Callable[[object], Any] | str | None = None
    guide: str = ""
    aliases: tuple[str, ...] = ()
    width: int = 16
    blank: str = ""
    # The column must be in the file, but a row may leave its cell blank (parse_row decides).
    may_be_blank: bool = False
    # The values the upload page lists for the column (男、女), if any.
    values: str = ""


def id_column(guide: str = "18 位，请保持文本格式") -> Column:
    return Column(ID_HEADER, required=True, parse=parse_id_cell, guide=guide, width=22, blank="身份证号不能为空")


@dataclass
class Row(CheckedRow):
    """A row being imported: `values` holds its parsed cells by header (None: blank),
    `value` what `parse_row` made of them for `apply`."""

    values: dict[str, Any] = field(default_factory=dict)
    value: Any = None


# Importers by kind, for the task that runs a job of that kind.
IMPORTERS: dict[str, type["Importer"]] = {}


class Importer:
    """The base of every import; see the module docstring. An instance imports one file
    for one user."""

    # The pages are given the class: a template would otherwise call it (and get nothing).
    do_not_call_in_templates: ClassVar[bool] = True
    kind: ClassVar[str] = ""
    title: ClassVar[str] = ""  # what the rows are, for pages and messages: 康复服务记录
    permission: ClassVar[str] = ""
    columns: ClassVar[tuple[Column, ...]] = ()
    # The rejected-rows workbook's and the template's sheet.
    sheet_name: ClassVar[str] = ImportResult.sheet_name
    # The template's file name (without .xlsx).
    template_name: ClassVar[str] = ""
    # Added to the message of a file without a required column.
    columns_hint: ClassVar[str] = ""
    result_class: ClassVar[type[ImportResult]] = ImportResult
    # What the pages call doing it: 导入, or 比对 for a comparison.
    verb: ClassVar[str] = "导入"
    # The upload page (one that extends canlian/import_start.html), its form's help text
    # (default: the form's own) and what it adds to the page's context (`start_context`).
    start_template: ClassVar[str] = "canlian/import_start.html"
    upload_help: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if cls.kind:
            IMPORTERS[cls.kind] = cls
            # A job of this kind that is refused or fails is audited under the app's import.
            END_AUDITS[cls.kind] = cls.audit_action()

    @classmethod
    def audit_action(cls) -> str:
        """The audit action of the import (`<app>.import`); a refused or failed job is
        `<app>.import.refused` / `<app>.import.failed`, registered by the app with the rest."""
        return f"{cls.kind.split('.')[0]}.import"

    @classmethod
    def page_title(cls) -> str:
        """The heading of the import's pages and of its jobs: 导入康复服务记录."""
        return f"导入{cls.title}"

    @classmethod
    def start_context(cls) -> dict:
        """What the upload page shows beside the columns (the comparison's events)."""
        return {}

    def __init__(self, *, user, source_name: str) -> None:
        self.user = user
        self.source_name = source_name

    # What an importer declares -------------------------------------------------------

    def prepare(self) -> None:
        """Before the file is read: load what the rows are checked against (a catalogue);
        raise `ImportRefused` to refuse the whole import."""

    def parse_row(self, row: Row) -> None:
        """Make `row.value` from `row.values`, or `row.reject(column, reason)`; no database
        writes. Called for every row, so that its checks across cells are reported beside
        its cells' errors: a cell that was blank or refused is None in `row.values` (return
        at once when `not row.ok` if the checks need every cell)."""
        row.value = dict(row.values)

    def key(self, row: Row) -> Hashable | None:
        """The row's key: two rows of one file with the same key are both rejected. None:
        no key (never a duplicate)."""
        return None

    def duplicate_message(self, row: Row, same: list[Row]) -> tuple[str, str]:
        """(column, reason) for a row whose key repeats on the rows `same` (itself among them)."""
        return ID_HEADER, f"同一条记录在本文件中重复出现（第 {row_numbers(same)} 行），这些行都未导入"

    def apply(self, rows: list[Row], result: ImportResult) -> None:
        """Write the valid `rows` inside the import's transaction, counting each in
        `result` (created / updated / unchanged) or rejecting it (`row.reject`)."""
        raise NotImplementedError

    def missing_columns(self, index: Collection[str]) -> list[str]:
        """The required columns a file whose headers are `index` lacks."""
        return [c.header for c in self.columns if c.required and c.header not in index]

    def import_rows(self, table: Table, result: ImportResult, progress: Progress) -> list[Row]:
        """Check every row of `table` and write the valid ones, inside the import's
        transaction; return the rows, each rejected or not, for the report. By default:
        parse every row (`parse_row`), reject the duplicates, then `apply` the valid rows.
        An import that writes as it reads (the persons') replaces this."""
        total = len(table.rows)
        rows = []
        for done, (number, cells) in enumerate(table.rows, start=1):
            rows.append(self._parse(number, cells, table.index))
            if done % PROGRESS_EVERY == 0 or done == total:
                progress(done, total)
        if not total:
            progress(0, 0)
        self.reject_duplicates(rows)
        self.apply([row for row in rows if row.ok], result)
        return rows

    def missing_message(self, missing: list[str]) -> str:
        """Why a file without the required columns `missing` is refused."""
        hint = self.columns_hint or f"需要 {'、'.join(self.headers())}"
        return f"缺少必需的列：{'、'.join(missing)}（{hint}）"

    def audit_data(self, result: ImportResult) -> dict:
        return {"file": self.source_name, "kind": self.kind, **result.counts()}

    # What the base does ----------------------------------------------------------------

    @classmethod
    def headers(cls) -> list[str]:
        return [column.header for column in cls.columns]

    @classmethod
    def aliases(cls) -> dict[str, str]:
        return {alias: column.header for column in cls.columns for alias in column.aliases}

    def check_permission(self) -> None:
        if self.permission and not self.user.has_perm(self.permission):
            raise PermissionDenied(f"您没有导入{self.title}的权限")

    @collector_paused()
    def run(self, source: Source, progress: Progress | None = None) -> ImportResult:
        """Import the file: read, refuse or check every row, write the valid ones and the
        audit entry in one transaction, and report every non-blank row."""
        try:
            self.check_permission()
        except PermissionDenied as exc:
            raise ImportRefused(str(exc)) from exc
        self.prepare()
        table = self.read(source)
        result = self.result_class(columns=table.columns)
        result.sheet_name = self.sheet_name
        with transaction.atomic():
            rows = self.import_rows(table, result, progress or _no_progress)
            self._report(rows, result)
            audit_write(action=self.audit_action(), user=self.user, data=self.audit_data(result))
        self.rows = rows  # for a caller that reports rows its own way (the area command)
        return result

    def read(self, source: Source) -> Table:
        """The first sheet, within bounds, with the declared columns only; a file that
        cannot be read or lacks a required column is refused (`ImportRefused`)."""
        self._parsers = [(column, self._parser(column)) for column in self.columns]
        table = table_read(source, known=self.headers(), aliases=self.aliases())
        missing = self.missing_columns(table.index)
        if missing:
            raise ImportRefused(self.missing_message(missing))
        return table

    def _parser(self, column: Column) -> Callable[[object], Any]:
        if isinstance(column.parse, str):
            return getattr(self, column.parse)
        return column.parse or excel.cell_text

    def _report(self, rows: list[CheckedRow], result: ImportResult) -> None:
        """The rejected rows (their cells as read, with the reasons) and the accepted rows'
        warnings, in the file's order."""
        width = len(result.columns)
        for row in rows:
            if row.ok:
                result.warnings.extend(RowWarning(row.row, w.column, w.message) for w in row.warnings)
            else:
                values = [excel.cell_text(v) for v in row.raw[:width]]
                values += [""] * (width - len(values))
                result.rejected.append(RejectedRow(row.row, values, row.issues))

    def _parse(self, number: int, cells: list, index: dict[str, int]) -> Row:
        row = Row(row=number, raw=cells)
        for column, parse in self._parsers:
            at = index.get(column.header)
            cell = cells[at] if at is not None and at < len(cells) else None
            if is_blank(cell):
                row.values[column.header] = None
                if column.required and not column.may_be_blank:
                    row.reject(column.header, column.blank or f"{column.header}不能为空")
                continue
            try:
                row.values[column.header] = parse(cell)
            except CELL_ERRORS as exc:
                row.reject(column.header, error_text(exc))
        if row.values.get(ID_HEADER):
            row.id_number = row.values[ID_HEADER]
        self.parse_row(row)
        return row

    def reject_duplicates(self, rows: list[Row]) -> None:
        """Reject every row of a key that repeats (`key`, `duplicate_message`); an import
        whose repeated rows may agree overrides this."""
        seen: dict[Hashable, list[Row]] = defaultdict(list)
        for row in rows:
            if row.ok and (key := self.key(row)) is not None:
                seen[key].append(row)
        for same in seen.values():
            if len(same) > 1:
                for row in same:
                    row.reject(*self.duplicate_message(row, same))

    @classmethod
    def template_write(cls, target: str | IO[bytes]) -> None:
        """The empty workbook to fill in: the header, every column formatted as text (so an
        ID number keeps its digits), and a second sheet saying how to fill each column."""
        book = xlsxwriter.Workbook(target)
        header = book.add_format(HEADER_FORMAT)
        text = book.add_format({"num_format": "@"})
        sheet = book.add_worksheet(cls.sheet_name)
        guide = book.add_worksheet("填写说明")
        guide.write_row(0, 0, ["列名", "必填", "说明"], header)
        guide.set_column(0, 0, 16)
        guide.set_column(2, 2, 70)
        for index, column in enumerate(cls.columns):
            sheet.set_column(index, index, column.width, text)
            sheet.write_string(0, index, column.header, header)
            guide.write_row(index + 1, 0, [column.header, "是" if column.required else "否", column.guide])
        sheet.freeze_panes(1, 0)
        book.close()


def _no_progress(processed: int, total: int) -> None:
    pass


def row_numbers(rows: list[Row]) -> str:
    """2、5、9: the rows' numbers as the report writes them."""
    return "、".join(str(row.row) for row in rows)


def reject_error(row: Row, column: str, exc: Exception) -> None:
    """Reject `row` at `column` for a rule's error (ValidationError, PermissionDenied, an
    out-of-scope person's 404)."""
    if isinstance(exc, Http404):
        row.reject(column, "该人员不在您的管辖范围内")
    else:
        row.reject(column, error_text(exc))


NOT_REGISTERED = "系统中没有该身份证号的持证人员"


def row_persons(rows: list[Row], fields: tuple[str, ...] = ()) -> dict:
    """ID number -> the person of the rows, locked (in key order, so two imports take
    turns); only `fields` when the rows' checks read no more (an import of 10,000 rows)."""
    from registry.models import Person

    persons = Person.objects.select_for_update().filter(id_number__in={row.id_number for row in rows}).order_by("pk")
    return {person.id_number: person for person in (persons.only(*fields) if fields else persons)}


def row_person(row: Row, persons: dict, user):
    """The row's person (from `row_persons`) in the user's scope, or None with the row
    rejected at its ID number: not registered, or out of the scope."""
    from canlian.scoping import OutOfScope, require_in_scope

    person = persons.get(row.id_number)
    if person is None:
        row.reject(ID_HEADER, NOT_REGISTERED)
        return None
    try:
        require_in_scope(user, person)
    except OutOfScope as exc:
        reject_error(row, ID_HEADER, exc)
        return None
    return person


def rows_held(queryset, persons: dict, rows: list[Row], field: str) -> dict:
    """(person id, `field`'s id) -> the record of `queryset` that the rows' persons (from
    `row_persons`) already hold for the rows' `field` values (an activity, a course)."""
    wanted = {row.value[field].pk for row in rows}
    held = queryset.filter(person__in=[person.pk for person in persons.values()], **{f"{field}__in": wanted})
    return {(record.person_id, getattr(record, f"{field}_id")): record for record in held}


# Jobs --------------------------------------------------------------------------------


def import_job_start(importer: type[Importer], *, user, upload) -> Job:
    """Keep the uploaded file and queue its import as a `canlian.Job` of the importer's
    kind; the job's page polls it. The address of the client who uploaded it (the page's
    request; none from a command) goes with the job, for the audit entries its run writes."""
    name = Path(upload.name).name[:200]
    stored = default_storage.save(f"imports/{datetime.date.today():%Y/%m}/{name}", upload)
    job = Job.objects.create(
        kind=importer.kind,
        title=f"{importer.page_title()}：{name}"[:200],
        params={"file": stored, "name": name, "ip": client_address_now()},
        created_by=user,
    )
    run_import.enqueue(job.pk)
    return job


@job_task
def run_import(job_id: int) -> dict:
    """Run the import a job asks for (`params`: the stored file and its name) with the
    importer of its kind, and record the report on the job (a refused file and a failure
    are audited by `job_run`, see `END_AUDITS`)."""

    def work(job: Job, progress: Progress) -> Outcome:
        from canlian.uploads import uploads_purge

        # As the export jobs clean their files: the retention holds without a timer too.
        uploads_purge()
        importer = IMPORTERS[job.kind](user=job.created_by, source_name=job.params["name"])
        with default_storage.open(job.params["file"], "rb") as handle:
            result = importer.run(handle, progress)
        counts = result.counts()
        progress(counts["total"], counts["total"])
        return Outcome(result.summary(), result.as_report())

    # The import's entry, or its refusal or failure, is logged with the uploader's address.
    params = Job.objects.filter(pk=job_id).values_list("params", flat=True).first() or {}
    with client_address_kept(params.get("ip")):
        return job_run(job_id, work, refused=(ImportRefused,), failure=IMPORT_FAILED)
