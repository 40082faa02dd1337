"""The indicators: what each figure of the dashboard is, and the query that computes it.

An indicator is a key, a Chinese name, a unit and a function `measure(year) -> Measure`:
the rows that make the figure (a queryset over the records), which field holds each row's
area code and which its month, and the aggregate that turns rows into the figure. The
refresh (`targets.services`) groups that one queryset four ways — by town and month, by
town over the year, by month over the district, the district's year — in one INSERT …
SELECT, so a figure is always computed from the records at its own level and never added
up from others (a distinct count or a share cannot be).

A stock (`Measure.month` None: certified persons today) has no month of its own: it is
computed as of now and stored for the current month and the current year, so its monthly
series is the figure at each month's last refresh (月末数) and a past year is left as it was.

Money comes only from paid months (`PaymentMonth.objects.paid()`: lines of approved or
exported batches), dated by their batch's month — the month the money went out, the
figures of the payroll pages.

Adding an indicator is one function and one line of `INDICATORS`; the rehab services send
`"rehab"` as the `source` of `canlian.signals.records_changed` for the rehabilitation ones.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.db.models import Aggregate, Count, Exists, OuterRef, Q, QuerySet, Sum

from benefits.models import PayrollBatch
from benefits.selectors import paid_lines
from registry.models import PersonCount, Status
from rehab.models import NeedAssessment, ServiceRecord, ServiceYear


class Unit:
    PERSONS = "人"
    PERSON_TIMES = "人次"
    YUAN = "元"
    SHARE = "%"


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


# Registry ------------------------------------------------------------------------------


def certified_persons(year: int) -> Measure:
    """Active certificate holders, summed from the counters the database keeps per
    community (`registry_personcount`): milliseconds at 10^6 persons."""
    return Measure(
        rows=PersonCount.objects.filter(status=Status.ACTIVE), area="area_id", month=None, value=Sum("persons")
    )


def certified_persons_on(day: datetime.date) -> Measure:
    """Certificate holders at the start of `day`: certified before it and active then (a
    later death or moving out read back from their status events). Counted in their
    community of today: a move is not a dated event."""
    from benefits.rules import persons_as_of

    rows = persons_as_of(day).filter(
        Q(certificate_issued__lt=day) | Q(certificate_issued__isnull=True), st_status=Status.ACTIVE
    )
    return Measure(rows=rows, area="area_id", month=None, value=Count("pk"))


def record_years() -> set[int]:
    """The years that have records to compute figures from: paid batches, rehabilitation
    services and assessments. A few distinct values read from indexes."""
    batches = PayrollBatch.objects.exclude(state=PayrollBatch.State.DRAFT).dates("month", "year")
    years = {d.year for d in batches}
    years |= set(ServiceYear.objects.values_list("year", flat=True).distinct())
    years |= set(NeedAssessment.objects.values_list("year", flat=True).distinct())
    return years


# Benefits: paid months of approved batches ---------------------------------------------


def paid_persons(*scheme_codes: str) -> Callable[[int], Measure]:
    """Persons paid by the year's approved batches of the schemes (each once per area and
    period, however many months a line of back pay covers)."""

    def measure(year: int) -> Measure:
        return Measure(
            rows=paid_lines(scheme_codes, year),
            area="area_code",
            month="batch__month",
            value=Count("person", distinct=True),
        )

    return measure


def paid_times(*scheme_codes: str) -> Callable[[int], Measure]:
    """Payments (person-times) of the year's approved batches of the schemes."""

    def measure(year: int) -> Measure:
        return Measure(rows=paid_lines(scheme_codes, year), area="area_code", month="batch__month", value=Count("id"))

    return measure


def paid_amount(*scheme_codes: str) -> Callable[[int], Measure]:
    """Fen paid by the year's approved batches of the schemes."""

    def measure(year: int) -> Measure:
        return Measure(
            rows=paid_lines(scheme_codes, year), area="area_code", month="batch__month", value=Sum("amount_fen")
        )

    return measure


# Rehabilitation: standing service records and the year's needs assessments --------------


def rehab_person_times(year: int) -> Measure:
    """Basic rehabilitation services of the year (人次), by the town that gave them; voided
    records do not count."""
    records = ServiceRecord.objects.standing().filter(in_year("served_on", year))
    return Measure(rows=records, area="area_code", month="served_on", value=Count("id"))


def rehab_coverage(year: int) -> Measure:
    """Of the persons assessed with a need in the year (by the town of the assessment, in
    the month assessed), those served at least once in the year, anywhere (the service
    years the records' triggers keep)."""
    served = ServiceYear.objects.filter(person=OuterRef("person"), year=year)
    return Measure(
        rows=NeedAssessment.objects.filter(year=year, has_need=True),
        area="area_code",
        month="assessed_on",
        value=Count("person", distinct=True, filter=Q(Exists(served))),
        base=Count("person", distinct=True),
    )


ONE_OFF_GRANTS = ("hardship", "house_repair", "home_adaptation")

INDICATORS: dict[str, Indicator] = {
    indicator.key: indicator
    for indicator in [
        Indicator(
            "certified_persons",
            "持证残疾人数",
            Unit.PERSONS,
            "registry",
            certified_persons,
            "登记库中状态正常的持证残疾人（各月为当月最后一次计算时的人数）",
            measure_on=certified_persons_on,
        ),
        Indicator(
            "living_recipients",
            "生活补贴发放人数",
            Unit.PERSONS,
            "payroll",
            paid_persons("living"),
            "已审核发放批次中的困难残疾人生活补贴人数",
        ),
        Indicator(
            "living_amount",
            "生活补贴发放金额",
            Unit.YUAN,
            "payroll",
            paid_amount("living"),
            "已审核发放批次的困难残疾人生活补贴金额（含补发）",
        ),
        Indicator(
            "nursing_recipients",
            "护理补贴发放人数",
            Unit.PERSONS,
            "payroll",
            paid_persons("nursing"),
            "已审核发放批次中的重度残疾人护理补贴人数",
        ),
        Indicator(
            "nursing_amount",
            "护理补贴发放金额",
            Unit.YUAN,
            "payroll",
            paid_amount("nursing"),
            "已审核发放批次的重度残疾人护理补贴金额（含补发）",
        ),
        Indicator(
            "fuel_recipients",
            "燃油补贴发放人数",
            Unit.PERSONS,
            "payroll",
            paid_persons("fuel"),
            "已审核的机动轮椅车燃油补贴年度批次人数",
        ),
        Indicator(
            "education_students",
            "教育资助学生人数",
            Unit.PERSONS,
            "payroll",
            paid_persons("education"),
            "已审核的残疾学生教育资助年度批次人数",
        ),
        Indicator(
            "insurance_insured",
            "重大疾病和意外伤害保险参保人数",
            Unit.PERSONS,
            "payroll",
            paid_persons("insurance"),
            "已审核的保险年度批次（保费已付）人数",
        ),
        Indicator(
            "basic_insurance_insured",
            "基本医疗和养老保险代缴人数",
            Unit.PERSONS,
            "payroll",
            paid_persons("basic_insurance"),
            "已审核的城乡居民基本医疗和养老保险代缴批次人数",
        ),
        Indicator(
            "one_off_grants",
            "临时救助、危房改造和无障碍改造资助人次",
            Unit.PERSON_TIMES,
            "payroll",
            paid_times(*ONE_OFF_GRANTS),
            "已审核的一次性资助批次人次",
        ),
        Indicator(
            "grants_amount",
            "其他资助发放金额",
            Unit.YUAN,
            "payroll",
            paid_amount("fuel", "education", "insurance", "basic_insurance", *ONE_OFF_GRANTS),
            "已审核的年度和一次性资助批次金额",
        ),
        Indicator(
            "rehab_person_times",
            "基本康复服务人次",
            Unit.PERSON_TIMES,
            "rehab",
            rehab_person_times,
            "登记的基本康复服务记录（人次，作废的不计）",
        ),
        Indicator(
            "rehab_coverage",
            "有需求者基本康复服务覆盖率",
            Unit.SHARE,
            "rehab",
            rehab_coverage,
            "当年评估有康复需求的人员中，当年至少接受一次基本康复服务的比例",
        ),
    ]
}

# The seed's numbers (a 2020 report of the district): the district's annual targets, by
# indicator key.
SEED_TARGETS: dict[str, tuple[Decimal, str]] = {
    "certified_persons": (Decimal(9100), "全区9100多名持证残疾人"),
    "fuel_recipients": (Decimal(152), "152名残疾人发放燃油补贴"),
    "education_students": (Decimal(60), "资助60名残疾学生接受学前至高等教育"),
    "insurance_insured": (Decimal(9100), "为全区9100多名持证残疾人购买重大疾病和意外伤害保险"),
    "rehab_person_times": (Decimal(1800), "受惠残疾人不少于1800例（人次）"),
    "rehab_coverage": (Decimal(90), "有康复需求的残疾儿童和持证残疾人接受基本康复服务比例达90%"),
}


def indicators_of(source: str | None = None) -> list[Indicator]:
    return [i for i in INDICATORS.values() if source is None or i.source == source]
