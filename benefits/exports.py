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

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr
from django.http import Http404
from django.urls import reverse

from areas.models import Area, Level
from benefits.models import PayrollBatch
from canlian.exporting import Column, ExportRefused, ListExporter, rows_of, sheet_start
from registry.identifiers import CATEGORY_NAMES, GRADE_NAMES
from registry.models import EconomicStatus, Status
from registry.presenters import PersonView
from registry.scoping import Privacy

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


class BankFileExporter(ListExporter):
    """The bank file: one row per person (lines from `payment_lines(..., with_bank=True)`,
    sorted by town), with the name, bank and account frozen at approval and the full ID,
    and a sheet of totals per town. It exists to pay: its identifiers are never masked (the
    payee frozen at approval, not the person, so no `PersonView`), and it is logged as a
    reveal."""

    sheet_name = BANK_SHEET

    def __init__(self, batch: PayrollBatch, lines, totals: list[TownTotal], *, names: dict[str, str]) -> None:
        self.batch = batch
        self.lines = lines
        self.totals = totals
        self.names = names

    def columns(self) -> list[Column]:
        kinds = ["text", "text", "text", "text", "text", "money", "int", "text"]
        widths = [12, 10, 22, 18, 24, 12, 6, 18]
        return [Column(*spec) for spec in zip(BANK_HEADERS, widths, kinds, strict=True)]

    def iterate_list(self):
        for line in rows_of(self.lines):
            yield [
                town_name(line["area_code"], self.names),
                line["person__payees__name"],
                line["person__id_number"],
                line["person__payees__bank_name"],
                line["person__payees__bank_account"],
                line["amount_fen"],
                line["months"],
                months_label(line["first"], line["last"]),
            ]

    def extra_sheets(self, book, formats: dict) -> None:
        columns = [
            Column(h, w, k)
            for h, w, k in zip(TOTALS_HEADERS, [14, 8, 8, 16], ["text", "int", "int", "money"], strict=True)
        ]
        sheet = sheet_start(book, TOTALS_SHEET, columns, formats)
        for row, total in enumerate([*self.totals, grand_total(self.totals)], start=1):
            last = row == len(self.totals) + 1
            sheet.write_string(row, 0, total.name, formats["bold"] if last else None)
            sheet.write_number(row, 1, total.persons, formats["bold"] if last else None)
            sheet.write_number(row, 2, total.months, formats["bold"] if last else None)
            sheet.write_number(row, 3, yuan_decimal(total.total_fen), formats["bold_money" if last else "money"])

    def finished(self, rows: int, *, user) -> None:
        """Refuse a file short of the batch's persons, else mark the batch exported."""
        from benefits.payroll import PayrollError, payroll_mark_exported

        back = reverse("benefits:batch_detail", args=[self.batch.pk])
        # Rows come from the payees frozen at approval: a person of the batch without one
        # would be left out of the file silently, so a file short of its persons is refused.
        if rows != grand_total(self.totals).persons:
            raise ExportRefused(
                "银行文件的人数与批次明细不符（有人员缺少审核时的收款账户），未导出，请联系系统管理员", back
            )
        try:
            payroll_mark_exported(batch=self.batch, user=user)
        except PayrollError as exc:
            raise ExportRefused(str(exc), back) from None

    def log_detail(self) -> dict:
        batch = self.batch
        return {
            "filters": {
                "export": "bank_file",
                "batch": batch.pk,
                "scheme": batch.scheme.code,
                "month": f"{batch.month:%Y-%m}",
            },
            "revealed": True,
        }

    def download_name(self) -> str:
        batch = self.batch
        return f"银行发放文件_{batch.scheme.short_name or batch.scheme.code}_{batch.month:%Y%m}.xlsx"


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


class EligibilityExporter(ListExporter):
    """An eligibility list: one row per person (annotated by `persons_as_of`, with `area`
    and `area.parent` selected), their state in the month, name and ID as `PersonView`
    shows them. With `reasons` (a function of a person) the list is 不应享而享 and gets the
    award's start and the reasons. A long list runs as a background job, rebuilt there
    from the query (`for_request`)."""

    job_kind = "benefits.eligibility"

    def __init__(
        self,
        persons,
        *,
        sheet_name: str,
        filename: str,
        privacy: Privacy,
        reveal: bool,
        filters: dict,
        reasons=None,
        counter=None,
        query: str = "",
    ) -> None:
        self.persons = persons
        self.sheet_name = sheet_name
        self.filename = filename
        self.privacy = privacy
        self.reveal = reveal
        self.filters = filters
        self.reasons = reasons
        self.counter = counter
        self.query = query

    @classmethod
    def for_request(cls, request) -> "EligibilityExporter":
        """The list the page shows for these GET parameters (all its pages). Full ID numbers
        only on request (reveal=1) and with the reveal permission. A parameter that does
        not validate refuses the export (`ExportRefused`, back to the page with why): the
        page falls back to a default, a file must be the list that was asked for."""
        from benefits import selectors_eligibility as lists

        user = request.user
        found = lists.eligibility_filter(user, request.GET)
        query = found.query
        if query is None:
            raise Http404("没有可比对的补贴项目")
        if found.errors:
            page = reverse("benefits:eligibility")
            back = request.GET.copy()
            back.pop("reveal", None)
            raise ExportRefused.bad_filter(found.errors, f"{page}?{back.urlencode()}")
        privacy = Privacy.for_user(user)
        return cls(
            lists.eligibility_rows(query, user),
            sheet_name=query.label,
            filename=f"{query.label}_{query.scheme.short_name or query.scheme.code}_{query.month:%Y%m}",
            privacy=privacy,
            reveal=request.GET.get("reveal") == "1" and privacy.may_reveal and privacy.personal,
            filters={
                "list": query.list,
                "scheme": query.scheme.code,
                "month": f"{query.month:%Y-%m}",
                "town": query.town,
            },
            reasons=lists.eligibility_reasons(query),
            counter=lambda: lists.eligibility_count(query, user),
            query=request.GET.urlencode(),
        )

    def count(self) -> int:
        return self.counter() if self.counter else 0

    def columns(self) -> list[Column]:
        headers = [*ELIGIBILITY_HEADERS, *(ELIGIBILITY_EXTRA if self.reasons else [])]
        widths = [12, 12, 10, 22, 8, 8, 10, 8, 12, 50]
        return [Column(header, width) for header, width in zip(headers, widths, strict=False)]

    def iterate_list(self):
        for person in rows_of(self.persons):
            view = PersonView(person, self.privacy, revealed=self.reveal)
            area = person.area
            state = as_of_labels(person)
            row = [
                area.parent.name if area.parent_id else "",
                area.name,
                view.name,
                view.id_number,
                state["category"],
                state["grade"],
                state["economic"],
                state["status"],
            ]
            if self.reasons:
                start = getattr(person, "award_start", None)
                row += [f"{start:%Y-%m}" if start else "", "；".join(self.reasons(person))]
            yield row

    def log_detail(self) -> dict:
        return {"filters": {"export": "eligibility", **self.filters}, "revealed": self.reveal}

    def download_name(self) -> str:
        return f"{self.filename}.xlsx"
