"""What an indicator is: a key, a Chinese name, a unit and a function `measure(year) ->
Measure` (the rows that make the figure, which field holds each row's area code and which
its month, and the aggregate that turns rows into the figure). Apps declare their
indicators (`canlian.declarations.AppDeclaration.indicators`); `targets` computes, stores
and shows them (`targets.indicators.INDICATORS` is the catalogue)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.db.models import Aggregate, Min, Q, QuerySet


class Unit:
    PERSONS = "人"
    HOUSEHOLDS = "户"
    PERSON_TIMES = "人次"
    YUAN = "元"
    SHARE = "%"


# The sections of the seed's report, in its order: the monthly and annual reports have one
# sheet each, the dashboard one group each.
SECTIONS = ("基本保障", "康复", "托养", "就业", "关爱慰问", "权益与心理", "活动")
OTHER_SECTION = "其他"
# An indicator's section when it names none: by the records it is computed from.
SOURCE_SECTIONS = {
    "registry": "基本保障",
    "payroll": "基本保障",
    "benefits": "基本保障",
    "rehab": "康复",
    "care": "托养",
    "employment": "就业",
    "workshops": "就业",
    "outreach": "关爱慰问",
    "services": "关爱慰问",
    "homeservices": "关爱慰问",
    "familydoctor": "基本保障",
    "psych": "权益与心理",
    "legal": "权益与心理",
    "activities": "活动",
}


@dataclass(frozen=True)
class Measure:
    """Rows of records and how they make a figure.

    - `rows`: the records of the year (already filtered to it);
    - `area`: the field with each row's 12-digit area code (its town is the first 9 digits);
    - `month`: the date field that dates each row, or None for a stock counted as of now;
    - `value`: the aggregate (a count, a sum of fen); `base`: a share's denominator."""

    rows: QuerySet
    area: str
    month: str | None
    value: Aggregate
    base: Aggregate | None = None


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str
    unit: str
    # The records it is computed from: a write to them (`canlian.signals.records_changed`)
    # refreshes it.
    source: str
    measure: Callable[[int], Measure]
    description: str = ""
    # A stock's rows as they were at the start of a day, read back from the event chain:
    # the month-end figure of a month no refresh ran in (a district that went live mid-year).
    measure_on: Callable[[datetime.date], Measure] | None = None
    # The report's section (one of `SECTIONS`); blank: the section of its `source`
    # (`SOURCE_SECTIONS`), so an app that names none still lands in the right sheet.
    section: str = ""
    # The seed's figure for it, as the district's annual target `seed_targets` sets:
    # (value in the unit shown, the seed's words).
    seed_target: tuple[Decimal, str] | None = None
    # Whether a record changes only the figures of the towns and months its write names
    # (`canlian.signals.records_changed` with `areas` and `days`: the record's own town and
    # its `figure_days()`, a payroll batch's month in every town) and their years and the
    # district's: its rows are placed and dated by fields of the changed records. Then a
    # change recomputes just those (`targets.services.indicator_refresh_part`; a stock, its
    # current month in those towns); otherwise (a share over other records, a month that
    # moves with a later record, a figure of today's date) its whole year. False unless
    # the app says so.
    incremental: bool = False
    # A distinct count (`value` a Count(..., distinct=True), no base) whose year's figure
    # a partial refresh keeps as the sum over the months of the persons first counted in
    # each (`targets.models.FirstMonthCount`): a change of a month recomputes that month's
    # and the later months' first-timers, not the year's distinct count over every row.
    # Exact when its rows of a month change only through writes that name that month
    # (`incremental`), as a payroll batch's lines, all dated by the batch's month.
    year_by_first_months: bool = False
    # The models (labels, "outreach.WatchContact") whose writes change it, when not every
    # model of its source does: a partial refresh after a write of another model of the
    # source leaves it alone (a home visit changes no family-doctor share). Empty: every
    # write of its source refreshes it. The whole-year refreshes ignore it.
    reads: tuple[str, ...] = ()
    # What a click on one of its figures lists (`targets.drilldown`), when it is not the
    # measure's own rows: a measure whose value counts its rows and whose rows are the
    # persons or records behind the figure (a stock summed from counters lists the persons
    # counted). None: the measure's rows, when its value is a count of them.
    records: Callable[[int], Measure] | None = None
    # The field of its rows naming the care institution (`care.Institution`) a row belongs
    # to, when each does (a member's enrolment, a day's attendance, a boarding placement):
    # a centre's page (`targets.centre`) then computes its figure for one institution, live.
    # Blank: a figure of areas only.
    institution: str = ""

    @property
    def report_section(self) -> str:
        return self.section or SOURCE_SECTIONS.get(self.source, OTHER_SECTION)

    @cached_property
    def is_stock(self) -> bool:
        """Counted as of now (no month of its own), not summed over a period. Asked once:
        building the measure's queryset costs a millisecond, and pages ask per figure."""
        return self.measure(2000).month is None

    @property
    def is_money(self) -> bool:
        return self.unit == Unit.YUAN

    @property
    def is_share(self) -> bool:
        return self.unit == Unit.SHARE

    def display(self, value: int | None, base: int | None = None) -> Decimal | None:
        """A stored figure in the unit shown: fen → 元, a share → percent, else as is."""
        if value is None:
            return None
        if self.is_share:
            return (Decimal(value) * 100 / Decimal(base)).quantize(Decimal("0.1")) if base else None
        if self.is_money:
            return (Decimal(value) / 100).quantize(Decimal("0.01"))
        return Decimal(value)


def in_year(field: str, year: int) -> Q:
    """`field` (a date) within `year`, as a range an index can seek to."""
    return Q(**{f"{field}__gte": datetime.date(year, 1, 1), f"{field}__lt": datetime.date(year + 1, 1, 1)})


def distinct_years(rows: QuerySet, field: str = "year") -> set[int]:
    """The distinct values of an integer year column, one index probe per year found (a
    loose index scan): a plain DISTINCT reads every row, millions of them for the records
    tables, and the dashboard asks on every request. Needs an index led by `field`."""
    rows = rows.order_by()
    years: set[int] = set()
    year = rows.aggregate(first=Min(field))["first"]
    while year is not None:
        years.add(year)
        year = rows.filter(**{f"{field}__gt": year}).aggregate(next=Min(field))["next"]
    return years
