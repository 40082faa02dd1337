"""Reading the first sheet of an uploaded workbook, for every import, within set bounds.

python-calamine builds a dense grid from the first to the last cell of a sheet: one
value at XFD1048576 in a 5 KB file is a grid of 2^34 cells, and the worker dies on the
allocation. So before calamine reads an .xlsx, `sheet_extent` measures how far the
sheet's cells reach, by streaming its XML out of the zip (never more than a chunk in
memory), and `sheet_read` refuses a sheet beyond `IMPORT_MAX_ROWS`, `IMPORT_MAX_COLUMNS`
or `IMPORT_MAX_CELLS`. The cells themselves are measured, not the sheet's
`<dimension ref>`: that element is optional and a file may state anything in it.

An .xls (BIFF, not a zip) is not measured: its grid is bounded by the format itself
(65,536 × 256 cells, about 0.5 GB in calamine at worst), which is more than
`IMPORT_MAX_CELLS` but not the 2^34 cells an .xlsx may ask for; its extent is checked
once calamine has read it, before its cells become Python values.
"""

import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO
from xml.etree import ElementTree
from xml.parsers import expat

import python_calamine
from django.conf import settings
from python_calamine import CalamineWorkbook

Source = str | os.PathLike | IO[bytes]

NOT_A_WORKBOOK = "文件不是可读取的 Excel 工作簿（.xlsx 或 .xls），未导入任何数据"
CHUNK = 1 << 20
# workbook.xml and its relationships name the sheets: a few KB, however many rows.
PART_LIMIT = 16 << 20

_CALAMINE_ERRORS = tuple(
    getattr(python_calamine, name)
    for name in ("CalamineError", "XmlError", "ZipError", "WorksheetNotFound")
    if hasattr(python_calamine, name)
)
_PASSWORD_ERROR = getattr(python_calamine, "PasswordError", ())

# A cell's column and a row's number, where they start the tag as Excel writes them; a
# cell or row tag that does not (any whitespace, no reference, another attribute first);
# a cell or row under a namespace prefix.
_COLUMN_OF = re.compile(rb'<c r="([A-Z]{1,3})[0-9]')
_ROW_OF = re.compile(rb'<row r="([0-9]{1,7})"')
_ODD_CELL = re.compile(rb'<c(?:>|\s(?!r="[A-Z]{1,3}[0-9]))')
_ODD_ROW = re.compile(rb'<row(?:>|\s(?!r="[0-9]{1,7}"))')
_PREFIXED = re.compile(rb"<[A-Za-z_][\w.-]*:(?:c|row)[\s>]")


class SheetError(ValueError):
    """The workbook cannot be read for an import; the message says why, in Chinese."""


@dataclass(frozen=True)
class Extent:
    """How far a sheet's cells reach from A1: the last row and column holding a value."""

    rows: int
    columns: int


def column_number(letters: str) -> int:
    """A → 1, Z → 26, AA → 27, XFD → 16384."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def sheet_extent(source: Source) -> Extent | None:
    """The extent of the first sheet of an .xlsx, measured without building its grid;
    None for a file that is not a zip (an .xls). Raises `SheetError` for a zip that is
    not a readable .xlsx."""
    handle = _open(source)
    try:
        if not zipfile.is_zipfile(handle):
            return None
        handle.seek(0)
        try:
            with zipfile.ZipFile(handle) as book:
                member = _first_sheet(book)
                if member.file_size > settings.IMPORT_MAX_SHEET_BYTES:
                    raise SheetError(
                        f"工作表的内容过大（解压后 {member.file_size / 1048576:.0f} MB），"
                        f"上限为 {settings.IMPORT_MAX_SHEET_BYTES / 1048576:.0f} MB；请分成几个文件导入"
                    )
                _parts_check(book, member)
                with book.open(member) as xml:
                    return _measure(xml)
        except (zipfile.BadZipFile, KeyError, OSError, EOFError, ElementTree.ParseError, expat.ExpatError) as exc:
            raise SheetError(NOT_A_WORKBOOK) from exc
    finally:
        if handle is not source:
            handle.close()
        else:
            handle.seek(0)


def sheet_read(source: Source, *, skip_empty_area: bool = True) -> list[list]:
    """The rows of the first sheet, each padded to the sheet's width, after checking its
    extent against the settings' limits. Raises `SheetError` (nothing read) otherwise."""
    extent = sheet_extent(source)
    if extent is not None:
        extent_check(extent)
    try:
        if isinstance(source, (str, os.PathLike)):
            book = CalamineWorkbook.from_path(os.fspath(source))
        else:
            book = CalamineWorkbook.from_filelike(source)
        if not book.sheet_names:
            raise SheetError("工作簿中没有工作表")
        sheet = book.get_sheet_by_index(0)
        if extent is None and sheet.end is not None:
            # An .xls, unmeasured: its grid is built, but not yet turned into Python values
            # (several times its size), which its extent may still refuse.
            extent_check(Extent(rows=sheet.end[0] + 1, columns=sheet.end[1] + 1))
        return list(sheet.iter_rows()) if skip_empty_area else sheet.to_python(skip_empty_area=False)
    except SheetError:
        raise
    except _PASSWORD_ERROR as exc:
        raise SheetError("工作簿设置了密码，请取消密码后再导入") from exc
    except (*_CALAMINE_ERRORS, ValueError, UnicodeError, OSError) as exc:
        raise SheetError(NOT_A_WORKBOOK) from exc


def extent_check(extent: Extent) -> None:
    """Refuse a sheet larger than an import reads (`SheetError`, in Chinese)."""
    max_rows, max_columns = settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_COLUMNS
    if extent.rows > max_rows:
        raise SheetError(
            f"工作表有 {extent.rows:,} 行，超过一次导入的上限 {max_rows:,} 行；"
            "请删除表格末尾的空行或多余内容，或分成几个文件导入"
        )
    if extent.columns > max_columns:
        raise SheetError(
            f"工作表有 {extent.columns:,} 列，超过导入的上限 {max_columns} 列；"
            "请只保留模板中的列，删除右侧多余的列后再导入"
        )
    if extent.rows * extent.columns > settings.IMPORT_MAX_CELLS:
        raise SheetError(
            f"工作表的范围过大（{extent.rows:,} 行 × {extent.columns} 列）；请删除多余的列，或分成几个文件导入"
        )


def _open(source: Source) -> IO[bytes]:
    if isinstance(source, (str, os.PathLike)):
        try:
            return open(source, "rb")  # noqa: SIM115 - closed by the caller
        except OSError as exc:
            raise SheetError(NOT_A_WORKBOOK) from exc
    source.seek(0)
    return source


def _parts_check(book: zipfile.ZipFile, sheet: zipfile.ZipInfo) -> None:
    """Refuse a zip bomb in the parts calamine reads besides the sheet: the shared strings
    above all, which it holds in memory whole (a 1 GB string compresses to 1 MB). Their
    sizes as the zip declares them must fit `IMPORT_MAX_SHEET_BYTES` together; each is
    then streamed through once (a chunk at a time), because a declared size may lie —
    Python's zipfile stops at it and the CRC check fails, where calamine would read on."""
    parts = [info for info in book.infolist() if info.filename != sheet.filename]
    total = sum(info.file_size for info in parts) + sheet.file_size
    if total > settings.IMPORT_MAX_SHEET_BYTES:
        raise SheetError(
            f"工作簿解压后过大（{total / 1048576:.0f} MB），上限为 {settings.IMPORT_MAX_SHEET_BYTES / 1048576:.0f} MB"
            "（可能是压缩炸弹，或带有大量图片）；请只保留数据，分成几个文件导入"
        )
    for info in parts:
        with book.open(info) as part:
            while part.read(CHUNK):
                pass


def _bounded_read(book: zipfile.ZipFile, name: str) -> bytes:
    info = book.getinfo(name)
    if info.file_size > PART_LIMIT:
        raise SheetError(NOT_A_WORKBOOK)
    return book.read(info)


def _first_sheet(book: zipfile.ZipFile) -> zipfile.ZipInfo:
    """The part of the workbook's first sheet, as calamine's `get_sheet_by_index(0)`
    takes it: the first <sheet> of xl/workbook.xml, through its relationship."""
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    relation = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    workbook = ElementTree.fromstring(_bounded_read(book, "xl/workbook.xml"))
    first = workbook.find(f"{main}sheets/{main}sheet")
    if first is None:
        raise SheetError("工作簿中没有工作表")
    rels = ElementTree.fromstring(_bounded_read(book, "xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    target = targets[first.get(relation)]
    path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
    # "worksheets/../x.xml" and the like, resolved as a zip names its members.
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return book.getinfo("/".join(parts))


def _beyond(number: int) -> bytes:
    """A pattern of the decimal numbers above `number` (leading zeros allowed)."""
    digits = str(number)
    options = [rb"[1-9][0-9]{%d,}" % len(digits)]
    for at, digit in enumerate(digits):
        if digit != "9":
            rest = len(digits) - at - 1
            options.append(re.escape(digits[:at]).encode() + b"[%d-9][0-9]{%d}" % (int(digit) + 1, rest))
    return b"0*(?:" + b"|".join(options) + b")"


def _measure(xml: IO[bytes]) -> Extent:
    """The extent from the cells' references, scanned chunk by chunk (a tag never holds a
    "<", so the text before a chunk's last "<" holds only whole tags) with literal searches
    rather than a parser: about a third of the time calamine takes to read the sheet. The
    columns come from the cells, the rows from the rows' numbers, having checked that no
    cell names a row beyond them. That needs every cell to start `<c r="A1"` and every row
    `<row r="1"`, without a namespace prefix (as Excel, WPS and xlsxwriter write them): a
    cell or row without a reference first sits where calamine's counting puts it, which
    only a parser follows, so such a sheet is measured again by `_measure_parsed`."""
    letters: set[bytes] = set()
    last_row = 0
    carry = b""
    while True:
        chunk = xml.read(CHUNK)
        data = carry + chunk
        cut = data.rfind(b"<") if chunk else len(data)
        if cut <= 0 and chunk:
            carry = data
            continue
        whole, carry = data[:cut], data[cut:]
        columns = _COLUMN_OF.findall(whole)
        rows = _ROW_OF.findall(whole)
        if rows:
            last_row = max(last_row, *map(int, rows))
        # Counts first, the patterns only where they differ (<cols>, <rowBreaks>, a text).
        if (
            (whole.count(b"<c") != len(columns) and _ODD_CELL.search(whole))
            or (whole.count(b"<row") != len(rows) and _ODD_ROW.search(whole))
            or ((b":c" in whole or b":row" in whole) and _PREFIXED.search(whole))
            or (columns and re.search(rb'<c r="[A-Z]{1,3}' + _beyond(last_row) + b'"', whole))
        ):
            xml.seek(0)
            return _measure_parsed(xml)
        letters.update(columns)
        if not chunk:
            break
    if not letters:
        return Extent(rows=0, columns=0)
    last_column = max(letters, key=lambda b: (len(b), b))
    return Extent(rows=last_row, columns=column_number(last_column.decode()))


def _measure_parsed(xml: IO[bytes]) -> Extent:
    """The extent of a sheet whose cells may lack references, followed as calamine
    follows them: a row or cell without one comes after the previous."""
    state = {"row": 0, "col": 0, "cell": None, "rows": 0, "cols": 0}

    def start(name: str, attrs: dict) -> None:
        local = name.rsplit(":", 1)[-1]
        if local == "row":
            state["row"] = int(attrs["r"]) if "r" in attrs else state["row"] + 1
            state["col"] = 0
        elif local == "c":
            ref = attrs.get("r")
            if ref:
                match = re.fullmatch(r"([A-Z]{1,3})([0-9]{1,7})", ref)
                if not match:
                    raise SheetError(NOT_A_WORKBOOK)
                state["col"], state["row"] = column_number(match[1]), int(match[2])
            else:
                state["col"] += 1
            state["cell"] = (state["row"], state["col"])
        elif local in ("v", "is", "f") and state["cell"]:
            row, col = state["cell"]
            state["rows"], state["cols"] = max(state["rows"], row), max(state["cols"], col)

    def end(name: str) -> None:
        if name.rsplit(":", 1)[-1] == "c":
            state["cell"] = None

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.ParseFile(xml)
    return Extent(rows=state["rows"], columns=state["cols"])
