"""A cell that begins with = + - @ (or a tab or carriage return) is written as text in
every export: a string cell with Excel's quote prefix, never a formula."""

import io
import re
import zipfile

import pytest
from django.urls import reverse

from canlian.exporting import Column, ListExporter, Total
from canlian.workbooks import formula_like
from conftest import make_person
from registry.excel import rejected_write

ATTACKS = ['=HYPERLINK("http://x.example","点我")', "+1+1", "-2+3", "@SUM(1,2)", "\t=1+1", "=cmd|' /C calc'!A0"]


class _Notes(ListExporter):
    sheet_name = "样例"
    filename = "样例"

    def __init__(self, values):
        self.values = values

    def columns(self):
        return [Column("备注", 30), Column("日期", kind="date")]

    def iterate_list(self):
        yield Total(len(self.values))
        for value in self.values:
            yield [value, value]


def cells(content: bytes, sheet: int = 1) -> dict[str, tuple[str, bool, bool]]:
    """Cell reference -> (its text, whether it is a formula, whether it has the quote
    prefix), read from the file's XML as a spreadsheet program would."""
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        xml = book.read(f"xl/worksheets/sheet{sheet}.xml").decode()
        shared = book.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in book.namelist() else ""
        strings = re.findall(r"<si><t[^>]*>(.*?)</t></si>", shared, re.S)
        styles = book.read("xl/styles.xml").decode()
    xfs = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S).group(1)
    quoted = [bool(re.search(r'quotePrefix="1"', xf)) for xf in re.findall(r"<xf [^>]*?(?:/>|>.*?</xf>)", xfs, re.S)]
    found = {}
    for ref, attrs, body in re.findall(r'<c r="([A-Z]+\d+)"([^>]*?)(?:/>|>(.*?)</c>)', xml, re.S):
        style = re.search(r' s="(\d+)"', attrs)
        # Shared strings (a workbook in memory) or inline ones (constant memory).
        value = re.search(r"<v>(.*?)</v>", body or "")
        inline = re.search(r"<is><t[^>]*>(.*?)</t></is>", body or "", re.S)
        if inline:
            text = inline.group(1)
        elif 't="s"' in attrs and value:
            text = strings[int(value.group(1))]
        else:
            text = value.group(1) if value else ""
        found[ref] = (_unescape(text), "<f>" in (body or ""), quoted[int(style.group(1))] if style else False)
    return found


def _unescape(text: str) -> str:
    return text.replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")


@pytest.mark.parametrize("value", ATTACKS)
def test_every_formula_start_is_recognised(value):
    assert formula_like(value)


def test_ordinary_text_is_not_marked():
    assert not any(formula_like(v) for v in ["陈建国", "44070319800101123X", "2026-03", "白沙大道1号", ""])


def test_the_export_framework_writes_formula_like_text_as_quoted_text():
    handle = io.BytesIO()
    _Notes([*ATTACKS, "陈建国"]).write(handle)
    found = cells(handle.getvalue())
    for row, attack in enumerate(ATTACKS, start=2):
        for col in "AB":  # a text column, and a date column given a string
            assert found[f"{col}{row}"] == (attack, False, True), (col, attack)
    plain = len(ATTACKS) + 2
    assert found[f"A{plain}"] == ("陈建国", False, False)


def test_the_rejected_rows_of_an_import_go_back_as_text():
    handle = io.BytesIO()
    rejected_write(handle, ["姓名", "备注"], [(["陈建国", "=1+1"], "身份证号不正确")])
    found = cells(handle.getvalue())
    assert found["B2"] == ("=1+1", False, True)
    assert found["A2"] == ("陈建国", False, False)


def test_a_person_export_keeps_a_typed_formula_as_text(login, users, areas):
    make_person(areas["baisha_a"], name="陈建国", address='=HYPERLINK("http://x.example")')
    response = login(users["officer"]).get(reverse("registry:person_export"))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    found = cells(content)
    address = [cell for cell in found.values() if cell[0].startswith("=HYPERLINK")]
    assert address == [('=HYPERLINK("http://x.example")', False, True)]
