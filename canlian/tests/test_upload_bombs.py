"""Uploads an import cannot read are refused with a clear message, in bounded memory and
time, before calamine reads them: a non-Excel file, an empty or truncated workbook, a zip
that is not a workbook, a zip bomb in the shared strings. (The sheet's own extent and size:
registry/tests/test_import_sheet_limits.py.)"""

import io
import resource
import time
import zipfile

import pytest
import xlsxwriter

from canlian.sheets import SheetError, sheet_read


def _workbook(rows=(("姓名", "备注"), ("陈建国", "无"))) -> bytes:
    target = io.BytesIO()
    book = xlsxwriter.Workbook(target, {"in_memory": True})
    sheet = book.add_worksheet("人员名单")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    book.close()
    return target.getvalue()


def _replace(content: bytes, name: str, chunks, *, declared: int | None = None) -> bytes:
    """The workbook with its part `name` replaced by `chunks` (bytes, or an iterable of
    them, deflated as they come: a bomb is never whole in memory), its declared size
    optionally a lie."""
    chunks = [chunks] if isinstance(chunks, bytes) else chunks
    source = zipfile.ZipFile(io.BytesIO(content))
    target = io.BytesIO()
    size = 0
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename != name:
                out.writestr(info.filename, source.read(info))
                continue
            with out.open(name, "w") as part:
                for chunk in chunks:
                    part.write(chunk)
                    size += len(chunk)
    built = target.getvalue()
    if declared is None:
        return built
    # Patch the size fields (local header and central directory) of `name` to `declared`.
    actual = size.to_bytes(4, "little")
    patched = bytearray(built)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = 0
        while (at := patched.find(signature, at)) != -1:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            length = int.from_bytes(
                patched[at + offset + 4 : at + offset + 6]
                if signature == b"PK\x03\x04"
                else patched[at + 28 : at + 30],
                "little",
            )
            if (
                bytes(patched[name_at : name_at + length]) == name.encode()
                and patched[at + offset : at + offset + 4] == actual
            ):
                patched[at + offset : at + offset + 4] = declared.to_bytes(4, "little")
            at += 4
    return bytes(patched)


def _refused(content: bytes, match: str = "不是可读取的 Excel 工作簿") -> None:
    with pytest.raises(SheetError, match=match):
        sheet_read(io.BytesIO(content))


def test_a_good_workbook_is_read():
    assert sheet_read(io.BytesIO(_workbook())) == [["姓名", "备注"], ["陈建国", "无"]]


@pytest.mark.parametrize(
    "content",
    [
        b"",
        "姓名,公民身份号码\n张三,440703198001011234\n".encode(),
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,  # an OLE header and nothing else
    ],
    ids=["empty file", "csv", "pdf", "truncated xls"],
)
def test_a_file_that_is_not_a_workbook_is_refused(content):
    _refused(content)


def test_a_workbook_cut_short_is_refused():
    content = _workbook()
    _refused(content[: len(content) // 2])


def test_a_zip_that_is_not_a_workbook_is_refused():
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w") as out:
        out.writestr("word/document.xml", "<w:document/>")
    _refused(target.getvalue())


def test_a_workbook_without_sheets_is_refused():
    content = _replace(
        _workbook(),
        "xl/workbook.xml",
        b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>',
    )
    _refused(content, "没有工作表")


def _bomb(megabytes: int):
    yield b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
    for _ in range(megabytes):
        yield b"A" * (1 << 20)
    yield b"</t></si></sst>"


def test_a_shared_strings_bomb_is_refused_by_its_declared_size(settings):
    settings.IMPORT_MAX_SHEET_BYTES = 8 << 20
    content = _replace(_workbook(), "xl/sharedStrings.xml", _bomb(64))
    assert len(content) < 1 << 20  # 64 MB in a file of well under 1 MB
    _refused(content, "解压后过大")


def test_a_bomb_that_lies_about_its_size_is_refused_within_bounded_memory_and_time(settings):
    settings.IMPORT_MAX_SHEET_BYTES = 8 << 20
    content = _replace(_workbook(), "xl/sharedStrings.xml", _bomb(256), declared=1000)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    _refused(content)
    assert time.monotonic() - started < 10
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 64, grown_mb
