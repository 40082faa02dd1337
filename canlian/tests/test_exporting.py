"""The export framework writes what an exporter yields: header, typed cells, row limit."""

import datetime
import io

import pytest
from python_calamine import CalamineWorkbook

from canlian import exporting, workbooks
from canlian.exporting import Column, ListExporter, Total


class _Sample(ListExporter):
    sheet_name = "样例"
    filename = "样例名单"

    def __init__(self, rows):
        self._rows = rows

    def columns(self):
        return [
            Column("公民身份号码", 22),
            Column("日期", kind="date"),
            Column("次数", kind="int"),
            Column("金额（元）", kind="money"),
        ]

    def iterate_list(self):
        yield Total(len(self._rows))
        yield from self._rows


def _read(handle) -> list[list]:
    handle.seek(0)
    book = CalamineWorkbook.from_filelike(handle)
    return book.get_sheet_by_name("样例").to_python()


def test_the_header_and_typed_cells_are_written():
    handle = io.BytesIO()
    count = _Sample([["44070319800101123X", datetime.date(2026, 3, 1), 4, 12345], ["0012", None, 0, ""]]).write(handle)
    assert count == 2
    rows = _read(handle)
    assert rows[0] == ["公民身份号码", "日期", "次数", "金额（元）"]
    assert rows[1] == ["44070319800101123X", datetime.date(2026, 3, 1), 4.0, 123.45]
    # A number written as text keeps its leading zeros; an empty cell stays empty.
    assert rows[2][0] == "0012"
    assert rows[2][1] == "" and rows[2][3] == ""


def test_progress_is_reported_with_the_declared_total(monkeypatch):
    monkeypatch.setattr(exporting, "PROGRESS_EVERY", 2)
    seen = []
    _Sample([["1", None, 1, 1]] * 5).write(io.BytesIO(), progress=lambda done, total: seen.append((done, total)))
    assert seen == [(2, 5), (4, 5), (5, 5)]


def test_a_list_longer_than_a_worksheet_is_refused(monkeypatch):
    monkeypatch.setattr(workbooks, "MAX_ROWS", 3)
    with pytest.raises(workbooks.TooManyRows):
        _Sample([["1", None, 1, 1]] * 3).write(io.BytesIO())


def test_an_unknown_column_kind_is_an_error():
    class Bad(_Sample):
        def columns(self):
            return [Column("x", kind="colour")]

    with pytest.raises(ValueError, match="colour"):
        Bad([["1"]]).write(io.BytesIO())


def test_a_date_column_takes_a_word_and_an_extra_sheet_follows_the_list():
    class WithTotals(ListExporter):
        sheet_name = "明细"

        def columns(self):
            return [Column("有效期至", kind="date"), Column("时间", kind="seconds")]

        def iterate_list(self):
            yield [datetime.date(2028, 4, 2), datetime.datetime(2026, 3, 1, 8, 30, 15)]
            yield ["长期", None]

        def extra_sheets(self, book, formats):
            sheet = exporting.sheet_start(book, "合计", [Column("人数", kind="int")], formats)
            sheet.write_number(1, 0, 2)

    handle = io.BytesIO()
    assert WithTotals().write(handle) == 2
    handle.seek(0)
    book = CalamineWorkbook.from_filelike(handle)
    assert book.sheet_names == ["明细", "合计"]
    assert book.get_sheet_by_name("明细").to_python()[1:] == [
        [datetime.date(2028, 4, 2), datetime.datetime(2026, 3, 1, 8, 30, 15)],
        ["长期", ""],
    ]
    assert book.get_sheet_by_name("合计").to_python() == [["人数"], [2.0]]
