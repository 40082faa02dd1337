"""What the payroll and eligibility pages show and export: totals per town, the state of
a person as of a month in words, and the .xlsx workbooks (the bank file of a batch, the
eligibility lists).

Money stays integer fen until it is written: `yuan` for pages, `yuan_decimal` for cells.
In the eligibility lists identifiers are masked unless the caller passes `reveal`, which the
views allow only to a user with `registry.reveal_identifiers` who asked for it (and log).
The bank file exists to pay, so it always carries the full ID and account; only users with
`benefits.export_payroll` get it, and each export is logged.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import IO

import xlsxwriter
from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr

from areas.models import Area, Level
from benefits.models import PayrollBatch
from canlian.workbooks import HEADER_FORMAT, check_row
from registry.identifiers import CATEGORY_NAMES, GRADE_NAMES, mask_id, mask_name
from registry.models import EconomicStatus, Status

TOWN_PREFIX = 9  # significant digits of a town's code (440703002)

BANK_SHEET = "发放明细"
BANK_HEADERS = ["镇街", "姓名", "公民身份号码", "银行", "账号", "金额", "月数", "起止月份"]
TOTALS_SHEET = "镇街合计"
TOTALS_HEADERS = ["镇街", "人数", "月数", "金额"]
TOTAL_LABEL = "合计"


def yuan(fen: int | None) -> str:
    """12345 → "123.45" (with thousands separators), for pages."""
    fen = fen or 0
    return f"{fen // 100:,}.{fen % 100:02d}"


def yuan_decimal(fen: int | None) -> Decimal:
    return (Decimal(fen or 0) / 100).quantize(Decimal("0.01"))


def months_label(first: datetime.date, last: datetime.date) -> str:
    """The months a line covers: 2020-03, or 2020-03～2020-06."""
    if first == last:
        return f"{first:%Y-%m}"
    return f"{first:%Y-%m}～{last:%Y-%m}"


def town_names() -> dict[str, str]:
    """Town name by the 9-digit prefix of its code, retired towns included."""
    return {area.code[:TOWN_PREFIX]: area.name for area in Area.objects.filter(level=Level.TOWN)}


def town_name(area_code: str, names: dict[str, str]) -> str:
    return names.get(area_code[:TOWN_PREFIX], f"其他（{area_code[:TOWN_PREFIX]}）")


@dataclass
class TownTotal:
    town: str
    name: str
    persons: int
    months: int
    total_fen: int

    @property
    def total_yuan(self) -> str:
        return yuan(self.total_fen)


def batch_town_totals(batch: PayrollBatch, scope: Q, names: dict[str, str] | None = None) -> list[TownTotal]:
    """Persons, months and amount of a batch per town, inside `scope` (a jurisdiction
    filter over `area_code`)."""
    names = town_names() if names is None else names
    rows = (
        batch.months.filter(scope)
        .annotate(town=Substr("area_code", 1, TOWN_PREFIX))
        .values("town")
        .annotate(persons=Count("person", distinct=True), months=Count("id"), total=Sum("amount_fen"))
        .order_by("town")
    )
    return [
        TownTotal(row["town"], town_name(row["town"], names), row["persons"], row["months"], row["total"] or 0)
        for row in rows
    ]


def grand_total(rows: Iterable[TownTotal]) -> TownTotal:
    rows = list(rows)
    return TownTotal(
        "",
        TOTAL_LABEL,
        sum(r.persons for r in rows),
        sum(r.months for r in rows),
        sum(r.total_fen for r in rows),
    )


def _formats(book: xlsxwriter.Workbook) -> dict:
    return {
        "header": book.add_format(HEADER_FORMAT),
        "text": book.add_format({"num_format": 49}),
        "money": book.add_format({"num_format": "#,##0.00"}),
        "bold": book.add_format({"bold": True}),
        "bold_money": book.add_format({"bold": True, "num_format": "#,##0.00"}),
    }


def _header(sheet, formats: dict, headers: list[str], widths: list[int]) -> None:
    for col, (header, width) in enumerate(zip(headers, widths, strict=True)):
        sheet.set_column(col, col, width)
        sheet.write_string(0, col, header, formats["header"])
    sheet.freeze_panes(1, 0)


def bank_file_write(
    lines: Iterable[dict],
    totals: list[TownTotal],
    target: str | IO[bytes],
    *,
    names: dict[str, str],
) -> int:
    """The bank file: one row per person (lines from `payment_lines(..., with_bank=True)`,
    sorted by town), with the name, bank and account frozen at approval and the full ID,
    and a sheet of totals per town. Returns the number of persons."""
    book = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_numbers": False})
    formats = _formats(book)
    sheet = book.add_worksheet(BANK_SHEET)
    _header(sheet, formats, BANK_HEADERS, [12, 10, 22, 18, 24, 12, 6, 18])
    count = 0
    for count, line in enumerate(lines, start=1):
        check_row(count)
        sheet.write_string(count, 0, town_name(line["area_code"], names))
        sheet.write_string(count, 1, line["person__payees__name"])
        sheet.write_string(count, 2, line["person__id_number"], formats["text"])
        sheet.write_string(count, 3, line["person__payees__bank_name"] or "")
        sheet.write_string(count, 4, line["person__payees__bank_account"] or "", formats["text"])
        sheet.write_number(count, 5, yuan_decimal(line["amount_fen"]), formats["money"])
        sheet.write_number(count, 6, line["months"])
        sheet.write_string(count, 7, months_label(line["first"], line["last"]))

    sheet = book.add_worksheet(TOTALS_SHEET)
    _header(sheet, formats, TOTALS_HEADERS, [14, 8, 8, 16])
    for row, total in enumerate([*totals, grand_total(totals)], start=1):
        last = row == len(totals) + 1
        sheet.write_string(row, 0, total.name, formats["bold"] if last else None)
        sheet.write_number(row, 1, total.persons, formats["bold"] if last else None)
        sheet.write_number(row, 2, total.months, formats["bold"] if last else None)
        sheet.write_number(row, 3, yuan_decimal(total.total_fen), formats["bold_money" if last else "money"])
    book.close()
    return count


# Eligibility lists ----------------------------------------------------------------------


def as_of_labels(person) -> dict[str, str]:
    """A person annotated by `persons_as_of`, their state on that day in words."""

    def label(table, value):
        try:
            return table[int(value)]
        except (KeyError, TypeError, ValueError):
            return value or ""

    def choice(choices, value):
        try:
            return choices(value).label
        except ValueError:
            return value or ""

    return {
        "category": label(CATEGORY_NAMES, person.st_category),
        "grade": label(GRADE_NAMES, person.st_grade),
        "economic": choice(EconomicStatus, person.st_economic),
        "status": choice(Status, person.st_status),
    }


ELIGIBILITY_HEADERS = ["镇街", "村居", "姓名", "公民身份号码", "残疾类别", "残疾等级", "经济状况", "人员状态"]
ELIGIBILITY_EXTRA = ["享受起始月份", "不符合原因"]


def eligibility_write(
    persons: Iterable,
    target: str | IO[bytes],
    *,
    sheet_name: str,
    reveal: bool,
    personal: bool,
    reasons=None,
) -> int:
    """An eligibility list: one row per person (annotated by `persons_as_of`, with
    `area` and `area.parent` selected), their state in the month. With `reasons` (a
    function of a person) the list is 不应享而享 and gets the award's start and the reasons."""
    book = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_numbers": False})
    formats = _formats(book)
    sheet = book.add_worksheet(sheet_name)
    headers = [*ELIGIBILITY_HEADERS, *(ELIGIBILITY_EXTRA if reasons else [])]
    _header(sheet, formats, headers, [12, 12, 10, 22, 8, 8, 10, 8, 12, 50][: len(headers)])
    count = 0
    for count, person in enumerate(persons, start=1):
        check_row(count)
        area = person.area
        state = as_of_labels(person)
        cells = [
            area.parent.name if area.parent_id else "",
            area.name,
            person.name if personal else mask_name(person.name),
            person.id_number if reveal else mask_id(person.id_number),
            state["category"],
            state["grade"],
            state["economic"],
            state["status"],
        ]
        if reasons:
            start = getattr(person, "award_start", None)
            cells += [f"{start:%Y-%m}" if start else "", "；".join(reasons(person))]
        for col, value in enumerate(cells):
            if value:
                sheet.write_string(count, col, value, formats["text"] if col == 3 else None)
    book.close()
    return count
