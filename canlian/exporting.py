"""One export framework: an exporter declares its columns and yields rows; the base writes
the workbook and the response, and logs the export.

Shaped on pretix's `ListExporter` (`iterate_list` yields rows, a `Total` sentinel first sets
the row count for progress). What every list export shares lives here once: xlsxwriter in
constant memory, the header row's look, typed cells (dates, numbers, money in 元 from fen),
the worksheet's row limit (`canlian.workbooks.check_row`), the access log with the filter
used and the row count, and the download response.
"""

import datetime
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import IO, Any

import xlsxwriter
from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from canlian.workbooks import HEADER_FORMAT, QUOTED_TEXT_FORMAT, XLSX, check_row, write_text

# How often (in rows) a long export reports its progress.
PROGRESS_EVERY = 2000

# The ids of the persons whose rows the export being written streamed (`rows_of`), for the
# access log's count and digest of them (`ListExporter.persons_detail`).
_persons_seen: ContextVar[set[int] | None] = ContextVar("canlian_export_persons", default=None)


@dataclass(frozen=True)
class Column:
    """A column of an export. `kind`: text (written as text, so an ID number keeps its
    digits), date (a text value such as 长期 is written as text), datetime (shown in local
    time; `seconds` with the seconds, for the audit log), int, or money (an integer of fen,
    shown as 元 with two decimals)."""

    header: str
    width: int = 12
    kind: str = "text"


@dataclass(frozen=True)
class Total:
    """Yielded first by `iterate_list` when the row count is known, for the progress bar."""

    rows: int


class ExportRefused(Exception):
    """An export that must not be handed out: a filter it cannot take (raised while the
    exporter is built), or a written file that fails its check (`ListExporter.finished`).
    The user is sent to `url` with the message (Chinese; `ExportRefusedMiddleware` for the
    former), a background job ends refused with it, and nothing is logged."""

    def __init__(self, message: str, url: str) -> None:
        super().__init__(message)
        self.url = url

    @classmethod
    def bad_filter(cls, errors, url: str) -> "ExportRefused":
        """The refusal of a filter that did not validate, with its reasons (Chinese)."""
        return cls(f"未导出：{'；'.join(errors)}", url)


class ListExporter:
    """Subclasses set `sheet_name` and `filename` (without the date and extension), and
    implement `columns()` and `iterate_list()` (rows of values in the columns' order).
    A workbook with more than the list (the bank file's totals per town) adds its sheets
    in `extra_sheets`; a file named otherwise than `filename` and the time overrides
    `download_name`."""

    sheet_name: str = "名单"
    filename: str = "名单"
    # Set by an exporter that may run as a background job when its list is long; it then
    # implements `count` (cheap) and `for_request`, which the worker calls again for the
    # job's creator with the GET parameters the export was asked with (`query`). An
    # exporter whose filter is more than the GET parameters (a URL's own part) overrides
    # `params` and `from_params` too. A filter it cannot take raises `ExportRefused`.
    job_kind: str = ""
    query: str = ""

    @classmethod
    def for_request(cls, request) -> "ListExporter":
        raise NotImplementedError

    def count(self) -> int:
        raise NotImplementedError

    def params(self) -> dict:
        return {"query": self.query}

    @classmethod
    def from_params(cls, user, params: dict) -> "ListExporter":
        return cls.for_request(params_request(user, params["query"]))

    def columns(self) -> list[Column]:
        raise NotImplementedError

    def iterate_list(self) -> Iterable[Sequence[Any] | Total]:
        raise NotImplementedError

    def log_detail(self) -> dict:
        """What the access log keeps of this export besides its row count (its filter)."""
        return {}

    def person_seen(self, person_id: int | None) -> None:
        """Note a person the export holds: `rows_of` does it for the rows it streams; an
        exporter that reads its persons otherwise calls this for each."""
        if person_id is not None:
            self.person_ids.add(person_id)

    def persons_detail(self) -> dict:
        """What the access log keeps of the persons the written export held: how many, and
        the digest of their ids (`canlian.audit.persons_digest`), not who."""
        from canlian.audit import persons_digest

        ids = getattr(self, "person_ids", set())
        return {"person_count": len(ids), "person_digest": persons_digest(ids)}

    def finished(self, rows: int, *, user) -> None:
        """Called once the file is written, before it is logged and handed out: a check of
        the whole file, or what handing it out changes (the bank file marks its batch
        exported). Raise `ExportRefused` to keep the file back."""

    def download_name(self) -> str:
        return dated_filename(self.filename)

    def extra_sheets(self, book: xlsxwriter.Workbook, formats: dict) -> None:
        """Sheets written after the list's (constant memory: one sheet after another)."""

    def write(self, target: str | IO[bytes], *, progress: Callable[[int, int], None] | None = None) -> int:
        """Write the workbook into `target`; returns the number of data rows. The persons
        its rows name are noted meanwhile (`person_ids`, `persons_detail`)."""
        self.person_ids: set[int] = set()
        noting = _persons_seen.set(self.person_ids)
        try:
            return self._write(target, progress)
        finally:
            _persons_seen.reset(noting)

    def _write(self, target: str | IO[bytes], progress: Callable[[int, int], None] | None) -> int:
        columns = self.columns()
        book = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_numbers": False})
        formats = {
            "header": book.add_format(HEADER_FORMAT),
            "text": book.add_format({"num_format": 49}),  # Excel's built-in "@" (text)
            "quoted": book.add_format(QUOTED_TEXT_FORMAT),
            "date": book.add_format({"num_format": "yyyy-mm-dd"}),
            "datetime": book.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
            "seconds": book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
            "money": book.add_format({"num_format": "#,##0.00"}),
            "bold": book.add_format({"bold": True}),
            "bold_money": book.add_format({"bold": True, "num_format": "#,##0.00"}),
        }
        sheet = sheet_start(book, self.sheet_name, columns, formats)
        writers = [_cell_writer(sheet, column.kind, formats) for column in columns]
        total = 0
        count = 0
        for item in self.iterate_list():
            if isinstance(item, Total):
                total = item.rows
                continue
            count += 1
            check_row(count)
            for col, value in enumerate(item):
                if value is not None and value != "":
                    writers[col](count, col, value)
            if progress and count % PROGRESS_EVERY == 0:
                progress(count, max(total, count))
        self.extra_sheets(book, formats)
        book.close()
        if progress:
            progress(count, count)
        return count


def sheet_start(book: xlsxwriter.Workbook, name: str, columns: list[Column], formats: dict):
    """A worksheet with the columns' widths and formats and the frozen header row."""
    sheet = book.add_worksheet(name)
    for col, column in enumerate(columns):
        sheet.set_column(col, col, column.width, formats["text"] if column.kind == "text" else None)
        sheet.write_string(0, col, column.header, formats["header"])
    sheet.freeze_panes(1, 0)
    return sheet


def _cell_writer(sheet, kind: str, formats: dict) -> Callable[[int, int, Any], None]:
    if kind == "date":

        def write_date(row: int, col: int, value: datetime.date | str) -> None:
            if isinstance(value, str):
                write_text(sheet, row, col, value, formats["quoted"])
            else:
                sheet.write_datetime(row, col, value, formats["date"])

        return write_date
    if kind in ("datetime", "seconds"):

        def write_stamp(row: int, col: int, value: datetime.datetime) -> None:
            if timezone.is_aware(value):
                value = timezone.localtime(value).replace(tzinfo=None)
            sheet.write_datetime(row, col, value, formats[kind])

        return write_stamp
    if kind == "int":
        return lambda row, col, value: sheet.write_number(row, col, value)
    if kind == "money":
        return lambda row, col, value: sheet.write_number(row, col, value / 100, formats["money"])
    if kind == "text":
        # Whatever a user typed (a name, a note, an address) is text, never a formula.
        return lambda row, col, value: write_text(sheet, row, col, str(value), formats["quoted"])
    raise ValueError(f"unknown column kind {kind!r}")


def export_response(request, exporter: ListExporter, *, log_action: str | None = None) -> HttpResponse:
    """Write `exporter` into a temporary file, log the export (who, the filter, the row
    count) and answer with the download. A list longer than a worksheet raises
    `TooManyRows` before anything is logged (`ExportRefusedMiddleware` tells the user).
    A background-capable list longer than `EXPORT_BACKGROUND_ROWS` becomes a job instead:
    the answer is its status page, and the download there is logged."""
    from accounts.models import AccessLog
    from accounts.services import access_log_write

    if exporter.job_kind:
        rows = exporter.count()
        if rows > settings.EXPORT_BACKGROUND_ROWS:
            from canlian.export_jobs import export_start

            # Filed under the exporter's app, as `access_log_write` files a request's export.
            action = log_action or f"{type(exporter).__module__.split('.')[0]}.{AccessLog.Action.EXPORT}"
            job = export_start(
                user=request.user, exporter=exporter, action=action, rows=rows, again=request.get_full_path()
            )
            return redirect("exports:status", pk=job.pk)

    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    count = exporter.write(handle)
    try:
        exporter.finished(count, user=request.user)
    except ExportRefused as exc:
        handle.close()
        messages.error(request, str(exc))
        return redirect(exc.url)
    handle.seek(0)
    access_log_write(
        user=request.user,
        action=log_action or AccessLog.Action.EXPORT,
        rows=count,
        **exporter.log_detail(),
        **exporter.persons_detail(),
    )
    return FileResponse(handle, as_attachment=True, filename=exporter.download_name(), content_type=XLSX)


def params_request(user, query: str):
    """What the list selectors read of a request (`user`, `GET`), for an exporter built
    again from its job's params in the worker."""
    from types import SimpleNamespace

    from django.http import QueryDict

    return SimpleNamespace(user=user, GET=QueryDict(query))


def dated_filename(stem: str) -> str:
    return f"{stem}_{timezone.localtime():%Y%m%d_%H%M}.xlsx"


def rows_of(queryset, chunk_size: int = 2000) -> Iterator:
    """A queryset streamed in chunks (constant memory); any other iterable as it is. While
    an export is written, the person of each row (a person, or a row with a `person_id`)
    is noted for its log."""
    rows = queryset.iterator(chunk_size=chunk_size) if hasattr(queryset, "iterator") else iter(queryset)
    seen = _persons_seen.get()
    return rows if seen is None else _noting(rows, seen)


def person_id_of(row) -> int | None:
    """The person a row of an export is about: a person's own id, a record's `person_id`."""
    meta = getattr(row, "_meta", None)
    if meta is not None and meta.label == "registry.Person":
        return row.pk
    person_id = getattr(row, "person_id", None)
    return person_id if isinstance(person_id, int) else None


def _noting(rows: Iterator, seen: set[int]) -> Iterator:
    for row in rows:
        person_id = person_id_of(row)
        if person_id is not None:
            seen.add(person_id)
        yield row
