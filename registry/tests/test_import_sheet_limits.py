"""A hostile or oversized workbook is refused before calamine builds its grid (issue 11, item 18).

calamine allocates every cell from A1 to the last one: a 5 KB file with one value at
XFD1048576 would be 2^34 cells. These tests never let calamine read such a file: it is
replaced by a stub that fails the test, so a regression fails here instead of allocating
hundreds of gigabytes.
"""

import io
import os
import subprocess
import sys
import textwrap
import zipfile

import pytest
import xlsxwriter

from areas.services import AreasImportError, areas_import
from benefits.award_import import awards_import
from canlian import sheets
from canlian.importing import ImportRefused
from canlian.sheets import Extent, SheetError, sheet_extent
from registry.comparison import events_import
from registry.excel import HEADERS
from registry.imports import persons_import
from registry.models import Person
from registry.tests.workbooks import person_row, write_workbook

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
ROOT = f'<worksheet xmlns="{MAIN}">'


class _NoCalamine:
    """Stands in for CalamineWorkbook where reading the file would allocate the grid."""

    @staticmethod
    def from_path(*args, **kwargs):
        raise AssertionError("calamine was asked to read an oversized sheet")

    from_filelike = from_path


@pytest.fixture
def no_calamine(monkeypatch):
    monkeypatch.setattr(sheets, "CalamineWorkbook", _NoCalamine)


def _far_cell_workbook(path) -> bytes:
    """A header row and one value at XFD1048576, as xlsxwriter (and Excel) write it."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("人员名单")
    for col, header in enumerate(HEADERS):
        sheet.write_string(0, col, header)
    sheet.write_string(1_048_575, 16_383, "x")
    book.close()
    return path.read_bytes()


def _hand_written(sheet_data: str, *, root: str = ROOT, end="</worksheet>") -> io.BytesIO:
    """An .xlsx written by hand: the parts calamine needs, and `sheet_data` as the sheet."""
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="xl/workbook.xml" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook xmlns="{MAIN}" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="人员名单" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/worksheet"/></Relationships>',
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml", f'<?xml version="1.0"?>{root}<sheetData>{sheet_data}</sheetData>{end}'
        )
    target.seek(0)
    return target


def _text(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def test_the_far_cell_workbook_is_a_few_kilobytes_and_measured_without_reading_it(tmp_path, no_calamine):
    data = _far_cell_workbook(tmp_path / "far.xlsx")
    assert len(data) < 10_000
    assert sheet_extent(tmp_path / "far.xlsx") == Extent(rows=1_048_576, columns=16_384)


def test_the_far_cell_workbook_is_refused_by_the_person_import_before_calamine_reads_it(users, tmp_path, no_calamine):
    _far_cell_workbook(tmp_path / "far.xlsx")
    with pytest.raises(ImportRefused, match="1,048,576 行，超过一次导入的上限 200,000 行"):
        persons_import(user=users["officer"], path_or_file=tmp_path / "far.xlsx", source_name="far.xlsx")
    assert not Person.objects.exists()


def test_the_comparison_and_award_imports_refuse_it_too(users, tmp_path, no_calamine):
    path = tmp_path / "far.xlsx"
    _far_cell_workbook(path)
    with pytest.raises(ImportRefused, match="超过一次导入的上限"):
        events_import(user=users["officer"], path=path, source_name=path.name)
    with pytest.raises(ImportRefused, match="超过一次导入的上限"):
        awards_import(user=users["admin"], path_or_file=path, source_name=path.name)


def test_the_area_import_refuses_it_too(db, tmp_path, no_calamine):
    _far_cell_workbook(tmp_path / "far.xlsx")
    with pytest.raises(AreasImportError, match="超过一次导入的上限"):
        areas_import(path=tmp_path / "far.xlsx")


def test_a_sheet_that_states_a_small_dimension_is_measured_by_its_cells(no_calamine):
    handle = _hand_written(
        _text("A1", "姓名") + _text("XFD1", "x"), root=f'<worksheet xmlns="{MAIN}"><dimension ref="A1:B2"/>'
    )
    assert sheet_extent(handle) == Extent(rows=1, columns=16_384)
    with pytest.raises(SheetError, match="16,384 列，超过导入的上限 200 列"):
        sheets.sheet_read(handle)


@pytest.mark.parametrize(
    "sheet_data",
    [
        # No references at all: each row and cell follows the one before.
        '<row><c t="inlineStr"><is><t>姓名</t></is></c></row>' + "<row/>" * 300_000 + "<row><c><v>1</v></c></row>",
        # A reference that is not the first attribute.
        '<row r="1"><c t="inlineStr" r="A1"><is><t>姓名</t></is></c><c t="n" r="XFD1048576"><v>1</v></c></row>',
    ],
    ids=["no references", "reference not first"],
)
def test_cells_without_a_leading_reference_are_counted_by_a_parser_and_do_not_bypass_the_cap(no_calamine, sheet_data):
    handle = _hand_written(sheet_data)
    with pytest.raises(SheetError, match="超过一次导入的上限 200,000 行"):
        sheets.sheet_read(handle)


def test_cells_under_a_namespace_prefix_are_counted_too(no_calamine):
    handle = _hand_written(
        '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>姓名</x:t></x:is></x:c>'
        '<x:c r="XFD3"><x:v>1</x:v></x:c></x:row>',
        root=f'<x:worksheet xmlns:x="{MAIN}">',
        end="</x:worksheet>",
    )
    assert sheet_extent(handle) == Extent(rows=3, columns=16_384)


def test_a_cell_below_its_rows_numbers_is_found(no_calamine):
    handle = _hand_written('<row r="1">' + _text("A1", "姓名") + '<c r="B300001"><v>1</v></c></row>')
    assert sheet_extent(handle).rows == 300_001


def test_empty_styled_cells_as_excel_writes_them_are_measured_like_the_rest(no_calamine):
    handle = _hand_written(
        '<row r="1">' + _text("A1", "姓名") + '<c r="C1" s="1"/></row><row r="2"><c r="B2"><v>1</v></c></row>'
    )
    assert sheet_extent(handle) == Extent(rows=2, columns=3)


def test_a_sheet_with_more_rows_than_the_setting_is_refused_with_the_numbers(users, tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 5
    rows = [person_row(sequence=101 + 2 * i) for i in range(6)]
    path = write_workbook(tmp_path / "名单.xlsx", rows)
    with pytest.raises(ImportRefused, match="工作表有 7 行，超过一次导入的上限 5 行"):
        persons_import(user=users["officer"], path_or_file=path, source_name=path.name)
    assert not Person.objects.exists()


def test_a_sheet_wider_than_the_setting_is_refused(users, tmp_path, settings):
    settings.IMPORT_MAX_COLUMNS = 30
    path = tmp_path / "名单.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for col, header in enumerate([*HEADERS, *(f"备注{i}" for i in range(10))]):
        sheet.write_string(0, col, header)
    book.close()
    wide = len(HEADERS) + 10
    with pytest.raises(ImportRefused, match=f"工作表有 {wide} 列，超过导入的上限 30 列；请只保留模板中的列"):
        persons_import(user=users["officer"], path_or_file=path, source_name=path.name)


def test_extra_columns_are_left_out_of_the_rejected_rows(users, tmp_path):
    extra = [f"备注{i}" for i in range(100)]
    row = person_row(**{"残疾类别": "肢残"}, **{name: "很长的备注" * 20 for name in extra})
    path = write_workbook(tmp_path / "名单.xlsx", [row], [*HEADERS[:5], *extra, *HEADERS[5:]])
    result = persons_import(user=users["officer"], path_or_file=path, source_name=path.name)
    assert result.columns == HEADERS
    (rejected,) = result.rejected
    assert len(rejected.values) == len(HEADERS)
    assert rejected.values[HEADERS.index("残疾类别")] == "肢残"
    assert "很长的备注" not in str(result.as_report())


def test_reading_the_far_cell_workbook_stays_within_a_small_address_space(tmp_path):
    """The readers themselves, in a process limited to 2 GB of address space: should a
    reader reach calamine without the check, it aborts there instead of taking the host."""
    path = tmp_path / "far.xlsx"
    _far_cell_workbook(path)
    script = textwrap.dedent(
        f"""
        import resource, django
        django.setup()
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
        from areas.services import AreasImportError, areas_import
        from registry.excel import COLUMN_BY_HEADER
        from canlian.importing import ImportRefused, table_read
        try:
            table_read({str(path)!r}, known=COLUMN_BY_HEADER)
        except ImportRefused as exc:
            print("persons:", exc)
        try:
            areas_import(path={str(path)!r})
        except AreasImportError as exc:
            print("areas:", exc)
        """
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "canlian.settings"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert (
        "persons: 工作表有 1,048,576 行" in done.stdout and "areas: 无法读取文件：工作表有 1,048,576 行" in done.stdout
    )


def test_a_workbook_that_cannot_be_measured_beforehand_is_checked_before_its_cells_become_python(
    users, tmp_path, settings, monkeypatch
):
    """An .xls is not a zip: its grid (bounded by the format) is checked once calamine has
    built it. Shown here on an .xlsx taken as unmeasurable."""
    monkeypatch.setattr(sheets, "sheet_extent", lambda source: None)
    settings.IMPORT_MAX_ROWS = 5
    path = write_workbook(tmp_path / "名单.xlsx", [person_row(sequence=101 + 2 * i) for i in range(6)])
    with pytest.raises(ImportRefused, match="工作表有 7 行，超过一次导入的上限 5 行"):
        persons_import(user=users["officer"], path_or_file=path, source_name=path.name)
