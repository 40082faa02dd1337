"""What the target pages draw and export: the charts' data and the workbook of the table.
Both take a `selectors.Board`, so they show exactly the figures the page shows."""

from decimal import Decimal
from typing import IO

import xlsxwriter
from django.utils.timezone import localtime

from canlian.workbooks import HEADER_FORMAT, QUOTED_TEXT_FORMAT, write_text
from targets.selectors import Board

MONTH_LABELS = [f"{m}月" for m in range(1, 13)]
YEAR_HEADERS = ["指标", "单位", "区划", "全年数值", "年度目标", "完成率（%）", "计算时间"]
MONTH_HEADERS = ["指标", "单位", "区划", *MONTH_LABELS, "全年"]


def chart_data(board: Board) -> list[dict]:
    """Per indicator of the home area: its months for the chart (ECharts, in
    `targets/static/targets/charts.js`); the page prints the same numbers as a table."""
    return [
        {
            "id": f"chart-{figure.indicator.key}",
            "name": figure.indicator.name,
            "unit": figure.indicator.unit,
            "months": MONTH_LABELS,
            "values": [None if v is None else float(v) for v in figure.months],
            "target": None if figure.target is None else float(figure.target),
            "stock": figure.indicator.is_stock,
        }
        for figure in board.home_figures()
        if figure.has_months
    ]


def _number(value: Decimal | None):
    return None if value is None else float(value)


def board_write(board: Board, target: IO[bytes]) -> int:
    """The year's figures and targets, and the months, of every area of the board; returns
    the number of rows written."""
    book = xlsxwriter.Workbook(target, {"in_memory": True})
    bold = book.add_format(HEADER_FORMAT)
    number = book.add_format({"num_format": "#,##0.##"})
    quoted = book.add_format(QUOTED_TEXT_FORMAT)
    year_sheet = book.add_worksheet(f"{board.year}年度完成情况")
    month_sheet = book.add_worksheet("各月数值")
    year_sheet.write_row(0, 0, YEAR_HEADERS, bold)
    month_sheet.write_row(0, 0, MONTH_HEADERS, bold)
    year_sheet.set_column(0, 0, 34)
    year_sheet.set_column(2, 2, 12)
    year_sheet.set_column(3, 6, 16)
    month_sheet.set_column(0, 0, 34)
    month_sheet.set_column(2, 2, 12)
    month_sheet.set_column(3, 15, 12)
    row = 0
    for area, figures in board.rows():
        for figure in figures:
            row += 1
            indicator = figure.indicator
            computed = board.computed_at.get(indicator.key)
            for col, text in enumerate([indicator.name, indicator.unit, area.name]):
                write_text(year_sheet, row, col, text, quoted)
            for col, value in enumerate([figure.value, figure.target, figure.progress], start=3):
                if value is not None:
                    year_sheet.write_number(row, col, _number(value), number)
            year_sheet.write_string(row, 6, f"{localtime(computed):%Y-%m-%d %H:%M}" if computed else "未计算")
            for col, text in enumerate([indicator.name, indicator.unit, area.name]):
                write_text(month_sheet, row, col, text, quoted)
            for col, value in enumerate([*figure.months, figure.value], start=3):
                if value is not None:
                    month_sheet.write_number(row, col, _number(value), number)
    book.close()
    return row
