"""What the target pages draw and export: the charts' data and the workbook of the table.
Both take a `selectors.Board`, so they show exactly the figures the page shows."""

from decimal import Decimal
from functools import cache
from typing import IO

import xlsxwriter
from django.db.models import Count, Sum
from django.utils.timezone import localtime

from areas.models import Level
from canlian.workbooks import HEADER_FORMAT, QUOTED_TEXT_FORMAT, write_text
from targets import achievement
from targets.indicators import INDICATORS
from targets.selectors import Board, Figure

MONTH_LABELS = [f"{m}月" for m in range(1, 13)]
YEAR_HEADERS = ["指标", "单位", "区划", "全年数值", "年度目标", "完成率（%）", "计算时间"]
MONTH_HEADERS = ["指标", "单位", "区划", *MONTH_LABELS, "全年"]


@cache
def is_additive(key: str) -> bool:
    """Whether an indicator's months add up to its year (a count of records, a sum of
    money): its progress is then drawn cumulative. A distinct count of persons (a person
    paid every month counts once in the year), a stock and a share are drawn month by month."""
    indicator = INDICATORS[key]
    if indicator.is_stock or indicator.is_share:
        return False
    value = indicator.measure(2000).value
    return isinstance(value, Sum) or (isinstance(value, Count) and not value.distinct)


def progress(figure: Figure) -> tuple[list[Decimal | None], list[Decimal | None]]:
    """The progress chart's two lines: the actual by month (cumulative where the months add
    up: `is_additive`; nothing after the last month with a figure) and the target line, the
    part of the target expected by the end of each month (`achievement.expected`)."""
    actual = list(figure.months)
    if is_additive(figure.indicator.key):
        total, actual = Decimal(0), []
        for value in figure.months:
            if value is None:
                actual.append(None)
                continue
            total += value
            actual.append(total)
    target = [
        None if figure.target is None else achievement.expected(figure.indicator, figure.target, Decimal(m) / 12)
        for m in range(1, 13)
    ]
    return actual, target


def town_figures(board: Board, indicator) -> list[Figure]:
    """The towns' figures of an indicator, for the comparison (the district's page only);
    none while the indicator has no figure in any town (not computed yet)."""
    figures = [board.figure(indicator, area) for area in board.areas if area.level == Level.TOWN]
    return figures if any(f.value is not None for f in figures) else []


def chart_data(board: Board, *, compare_towns: bool = False) -> list[dict]:
    """Per indicator of the home area: its progress by month against the target line and,
    with `compare_towns`, each town's figure against its target, for the charts (ECharts,
    in `targets/static/targets/charts.js`); the page prints the same numbers as tables."""
    charts = []
    for figure in board.home_figures():
        indicator = figure.indicator
        towns = town_figures(board, indicator) if compare_towns else []
        if not figure.has_months and not towns:
            continue
        actual, target = progress(figure)
        target = target if figure.target is not None else None
        spec = chart_spec(indicator, actual, target=target, cumulative=is_additive(indicator.key))
        if towns:
            spec["towns"] = {
                "id": f"towns-{indicator.key}",
                "names": [t.area.name for t in towns],
                "values": [_number(t.value) for t in towns],
                "targets": [_number(t.target) for t in towns],
            }
        charts.append(spec)
    return charts


def chart_spec(indicator, values, *, target=None, cumulative: bool = False) -> dict:
    """One indicator's months as `targets/static/targets/charts.js` draws them: its values
    (and the target line, if any) by month."""
    return {
        "id": f"chart-{indicator.key}",
        "name": indicator.name,
        "unit": indicator.unit,
        "months": MONTH_LABELS,
        "values": [_number(v) for v in values],
        "target": None if target is None else [_number(v) for v in target],
        "cumulative": cumulative,
        "stock": indicator.is_stock,
    }


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
