"""Changes of the targets app: recomputing the indicator values, setting the year's targets.

The refresh of an indicator and a year is one transaction: lock its `IndicatorRefresh`
row, delete its figures, and insert them anew with one INSERT … SELECT (the four
groupings of its measure, UNION ALL). Delete and insert rather than an upsert: a town
whose figure has no row any more (every recipient moved away) must lose its old one.
Readers see the old figures until the commit, never a half-written year.
"""

import dataclasses
import datetime
import functools
import re
import time
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import EmptyResultSet, PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    CharField,
    Count,
    DateTimeField,
    F,
    IntegerField,
    Min,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Concat, ExtractMonth, Substr
from django.utils import timezone

from areas.models import Area, Level
from canlian.audit import audit_write
from canlian.scoping import require_district
from targets.indicators import INDICATORS, SEED_TARGETS, Indicator, Measure, indicators_of, record_years
from targets.models import WHOLE_YEAR, Basis, FirstMonthCount, IndicatorRefresh, IndicatorValue, Target

TOWN_DIGITS = 9
COLUMNS = ["indicator", "year", "month", "area_code", "value", "base", "computed_at"]


@dataclass(frozen=True)
class Refreshed:
    indicator: str
    year: int
    rows: int
    seconds: float
    # Figures whose value differs from the one stored before (new, gone or changed): the
    # nightly full refresh after the partial ones must find none.
    changed: int = 0


def district_code() -> str:
    return Area.objects.filter(level=Level.DISTRICT, is_active=True).values_list("code", flat=True).order_by("code")[0]


def _grouping(
    measure: Measure,
    *,
    key: str,
    year: int,
    now: datetime.datetime,
    by_town: bool,
    by_month: bool,
    district: str,
    this_month: int,
    district_level: bool = False,
):
    """The measure's rows grouped by town (or the district as a whole) and by month (or
    the year as a whole), as the columns of `IndicatorValue`.

    A row placed at the district itself (a district-level centre, area 440703000000) has
    no town: it counts in the district's figures only, so the district's figure is its
    towns' and its own institutions'. A town grouping leaves such rows out — their "town"
    would be the district's own code — unless `district_level` keeps them (the GROUPING
    SETS query, which drops them after the grouping instead)."""
    text = CharField()
    rows = measure.rows.order_by()
    if by_town:
        area = Concat(Substr(measure.area, 1, TOWN_DIGITS), Value("0" * (12 - TOWN_DIGITS)), output_field=text)
        if not district_level:
            rows = rows.annotate(_town_digits=Substr(measure.area, 1, TOWN_DIGITS, output_field=text)).exclude(
                _town_digits=district[:TOWN_DIGITS]
            )
    else:
        area = Value(district, output_field=text)
    if not by_month:
        month = Value(WHOLE_YEAR, output_field=IntegerField())
    elif measure.month is None:
        month = Value(this_month, output_field=IntegerField())
    else:
        month = ExtractMonth(measure.month)
    # A typed NULL: in a UNION an untyped one is text to PostgreSQL.
    base = measure.base if measure.base is not None else Cast(Value(None), BigIntegerField())
    return (
        rows.annotate(_area_code=area, _month=month)
        .values("_area_code", "_month")
        .annotate(
            _indicator=Value(key, output_field=text),
            _year=Value(year, output_field=IntegerField()),
            _value=measure.value,
            _base=base,
            _computed_at=Value(now, output_field=DateTimeField()),
        )
        .values(*[f"_{c}" for c in COLUMNS])
    )


def _rolled_up_columns() -> str:
    """The outer SELECT's columns over a GROUPING SETS query: a rolled-up town is the
    district (its code the first parameter), a rolled-up month the whole year."""
    quote = connection.ops.quote_name
    columns = {c: quote(f"_{c}") for c in COLUMNS}
    columns["month"] = f"COALESCE({columns['month']}, {WHOLE_YEAR})"
    columns["area_code"] = f"COALESCE({columns['area_code']}, %s)"
    return ", ".join(columns[c] for c in COLUMNS)


def _select_figures(measure: Measure, common: dict) -> tuple[str, list]:
    """The SELECT of all figures of a measure: its rows grouped by town and month, by town,
    by month and as a whole.

    PostgreSQL: one GROUP BY GROUPING SETS, so the year's lines are read once (at 10^5
    persons the nursing recipients took 2.5 s as four groupings, each a scan of 600,000
    lines). Elsewhere (SQLite, the demo's), and for a stock (one small sum whose month is a
    constant), the four groupings UNION ALL. The tests run on both and must agree."""
    if connection.vendor != "postgresql" or measure.month is None:
        groupings = [
            _grouping(measure, by_town=by_town, by_month=by_month, **common)
            for by_town in (True, False)
            for by_month in (True, False)
        ]
        return groupings[0].union(*groupings[1:], all=True).query.sql_with_params()
    finest = _grouping(measure, by_town=True, by_month=True, district_level=True, **common)
    sql, params = finest.query.sql_with_params()
    # Django groups the finest grouping by the positions of the town and the month (and
    # of a constant it does not see through, such as the typed NULL base: kept in each set).
    match = re.search(r" GROUP BY (\d+), (\d+)((?:, \d+)*)$", sql)
    if match is None:
        raise RuntimeError(f"unexpected GROUP BY in {sql[-80:]!r}")
    town, month, rest = match.groups()
    constants = [position for position in rest.split(", ") if position]
    sets = ", ".join("(" + ", ".join(keys + constants) + ")" for keys in ([town, month], [town], [month], []))
    sets = f" GROUP BY GROUPING SETS ({sets})"
    quote, outer = connection.ops.quote_name, _rolled_up_columns()
    # The district-level rows' own "town" (the district's code, not rolled up) is dropped:
    # they are in the district's sets already.
    where = f"WHERE {quote('_area_code')} IS DISTINCT FROM %s"
    return (
        f"SELECT {outer} FROM ({sql[: match.start()]}{sets}) figures {where}",
        [common["district"], *params, common["district"]],
    )


def indicator_refresh(indicator: Indicator, year: int, *, today: datetime.date | None = None) -> Refreshed:
    """Recompute every figure of `indicator` in `year`: each town and the district, each
    month and the whole year. A stock is computed as of today, for the current year only."""
    today = today or timezone.localdate()
    started = time.perf_counter()
    is_stock = indicator.is_stock
    if is_stock and year != today.year:
        return Refreshed(indicator.key, year, 0, 0.0)
    district = district_code()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # The year's paid lines are sorted for the distinct counts: in memory, not
                # on disk (as the payroll's generation does).
                cursor.execute("SET LOCAL work_mem = '64MB'")
        IndicatorRefresh.objects.bulk_create(
            [IndicatorRefresh(indicator=indicator.key, year=year)], ignore_conflicts=True
        )
        log = IndicatorRefresh.objects.select_for_update().get(indicator=indicator.key, year=year)
        # The records are read once the lock is held: a refresh that waited for another
        # sees what was committed meanwhile, and never writes older figures over newer.
        now = timezone.now()
        common = {"key": indicator.key, "year": year, "now": now, "district": district, "this_month": today.month}
        try:
            sql, params = _select_figures(indicator.measure(year), common)
        except EmptyResultSet:  # no records at all (no batch paid this year): no figures
            sql, params = None, []
        old = IndicatorValue.objects.filter(indicator=indicator.key, year=year)
        if is_stock:
            old = old.filter(month__in=[WHOLE_YEAR, today.month])
        before = _figures(old)
        old.delete()
        quote = connection.ops.quote_name
        names = ", ".join(quote(IndicatorValue._meta.get_field(c).column) for c in COLUMNS)
        rows = 0
        if sql is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"INSERT INTO {quote(IndicatorValue._meta.db_table)} ({names}) {sql}", params)
                rows = cursor.rowcount
        if indicator.year_by_first_months:
            # The months' first-timers a partial refresh adds up for the year: all of them
            # anew (a merge of two paid registrations changes any month's). The year's
            # figure above stays the distinct count over the year's rows, its check.
            _first_months_refresh(indicator, year, common, towns=None, start=1)
        after = _figures(old)
        changed = sum(1 for key in before.keys() | after.keys() if before.get(key) != after.get(key))
        seconds = time.perf_counter() - started
        log.computed_at, log.duration_ms, log.rows = now, int(seconds * 1000), rows
        log.save(update_fields=["computed_at", "duration_ms", "rows"])
    return Refreshed(indicator.key, year, rows, seconds, changed)


def _figures(values) -> dict[tuple[str, int], tuple[int, int | None]]:
    """Stored figures, (area, month) -> (value, base): a few hundred rows per indicator."""
    return {(a, m): (v, b) for a, m, v, b in values.values_list("area_code", "month", "value", "base")}


def _month_ranges(field: str, year: int, months: set[int]) -> Q:
    """`field` (a date) within any of `months` of `year`, as ranges an index can seek to."""
    found = Q(pk__in=[])
    for number in sorted(months):
        end = datetime.date(year + number // 12, number % 12 + 1, 1)
        found |= Q(**{f"{field}__gte": datetime.date(year, number, 1), f"{field}__lt": end})
    return found


def _in_towns(rows, field: str, towns: set[str]):
    """The rows whose area code (`field`, a column or a foreign key's) is in one of `towns`."""
    text = CharField()
    return rows.annotate(_town=Substr(field, 1, TOWN_DIGITS, output_field=text)).filter(
        _town__in=sorted(t[:TOWN_DIGITS] for t in towns)
    )


def is_additive(measure: Measure) -> bool:
    """Whether the measure's year is the sum of its months: a plain count or sum (not a
    distinct count, not a share). Then a partial refresh adds the stored months up for the
    year instead of reading the year's rows again — exact, as a row has one month."""
    value = measure.value
    return measure.base is None and (
        isinstance(value, Sum) or (isinstance(value, Count) and not getattr(value, "distinct", False))
    )


def _sets_sql(measure: Measure, common: dict, *, by_month: bool, towns: set[str]) -> tuple[str, list]:
    """PostgreSQL: the SELECT of `measure`'s rows grouped by town and as a whole — by month
    (`by_month`) or over the year — in one scan (GROUPING SETS), keeping of the towns only
    `towns` (12-digit codes)."""
    finest = _grouping(measure, by_town=True, by_month=by_month, district_level=True, **common)
    sql, params = finest.query.sql_with_params()
    # The town's position first, then the month's (a year's month is a constant, not
    # grouped), then the constants Django groups by.
    match = re.search(r" GROUP BY (\d+)((?:, \d+)*)$", sql)
    if match is None:
        raise RuntimeError(f"unexpected GROUP BY in {sql[-80:]!r}")
    town, rest = match.groups()
    others = [position for position in rest.split(", ") if position]
    month, constants = (others[:1], others[1:]) if by_month else ([], others)
    grouped = ", ".join("(" + ", ".join(keys + constants) + ")" for keys in ([town, *month], month))
    quote, outer = connection.ops.quote_name, _rolled_up_columns()
    where = f"WHERE {quote('_area_code')} IS NULL"
    if towns:
        where += f" OR {quote('_area_code')} IN ({', '.join(['%s'] * len(towns))})"
    return (
        f"SELECT {outer} FROM ({sql[: match.start()]} GROUP BY GROUPING SETS ({grouped})) figures {where}",
        [common["district"], *params, *sorted(towns)],
    )


def _insert(sql: str, params: list) -> int:
    quote = connection.ops.quote_name
    names = ", ".join(quote(IndicatorValue._meta.get_field(c).column) for c in COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(IndicatorValue._meta.db_table)} ({names}) {sql}", params)
        return cursor.rowcount


def indicator_refresh_part(
    indicator: Indicator,
    year: int,
    *,
    towns: set[str] | None = None,
    months: set[int] | None = None,
    today: datetime.date | None = None,
) -> Refreshed:
    """Recompute only the figures a change touched: the `towns` (12-digit codes; None: every
    town) in the `months` (None: every month) and their years, and the district's figures
    of those months and of the year — computed from the records at their own level as the
    full refresh does. The months read only their own rows; the years of a plain count or
    sum (`is_additive`) are their stored months added up, and the others read the year's
    rows once (one GROUPING SETS scan on PostgreSQL: a distinct count cannot be added up).
    A stock has no months: its current month and year are rewritten for the towns (and the
    whole refresh runs when the current month has no figures yet, so no town is left
    without one). The same lock as `indicator_refresh`, so the two take turns; the nightly
    full refresh must then find nothing to change."""
    today = today or timezone.localdate()
    if indicator.is_stock:
        if year != today.year:
            return Refreshed(indicator.key, year, 0, 0.0)
        months = {today.month}
    started = time.perf_counter()
    district = district_code()
    all_months = set(range(1, 13))
    months = all_months if months is None else set(months)
    town_codes = (
        {a.code for a in target_areas() if a.level == Level.TOWN}
        if towns is None
        else {t[:TOWN_DIGITS] + "0" * (12 - TOWN_DIGITS) for t in towns}
    )
    town_codes.discard(district)  # a district-level record: the district's figures only
    with transaction.atomic():
        IndicatorRefresh.objects.bulk_create(
            [IndicatorRefresh(indicator=indicator.key, year=year)], ignore_conflicts=True
        )
        log = IndicatorRefresh.objects.select_for_update().get(indicator=indicator.key, year=year)
        stored = IndicatorValue.objects.filter(indicator=indicator.key, year=year)
        if indicator.is_stock and not stored.filter(area_code=district, month=today.month).exists():
            # The first refresh of a month: every town's month-end figure, not only these.
            return indicator_refresh(indicator, year, today=today)
        now = timezone.now()
        common = {"key": indicator.key, "year": year, "now": now, "district": district, "this_month": today.month}
        measure = indicator.measure(year)
        areas = town_codes | {district}
        old = IndicatorValue.objects.filter(indicator=indicator.key, year=year, area_code__in=areas)
        old.filter(Q(month__in=months) | Q(month=WHOLE_YEAR)).delete()
        rows = 0
        # The year of a distinct count kept by its months' first-timers: not read here.
        by_first_months = indicator.year_by_first_months
        try:
            if indicator.is_stock or connection.vendor != "postgresql":
                rows += _part_by_union(
                    measure, common, town_codes, months, is_stock=indicator.is_stock, years=not by_first_months
                )
            else:
                # The months' rows, dated by a related row (a payroll line by its batch's
                # month) picked by the related rows' ids: the month's lines by the batch's
                # index, not every line of the year joined to its batch.
                in_months = dataclasses.replace(measure, rows=_dated_in(measure.rows, measure.month, year, months))
                rows += _insert(*_sets_sql(in_months, common, by_month=True, towns=town_codes))
                if not is_additive(measure) and not by_first_months:
                    rows += _insert(*_sets_sql(measure, common, by_month=False, towns=town_codes))
        except EmptyResultSet:
            pass
        if by_first_months:
            _first_months_refresh(indicator, year, common, towns=town_codes, start=min(months))
            rows += _years_of_first_months(indicator.key, year, areas, now)
        elif not indicator.is_stock and connection.vendor == "postgresql" and is_additive(measure):
            rows += _years_added_up(indicator.key, year, areas, now)
        seconds = time.perf_counter() - started
        log.computed_at = now
        log.save(update_fields=["computed_at"])
    return Refreshed(indicator.key, year, rows, seconds)


def _part_by_union(
    measure: Measure, common: dict, town_codes: set[str], months: set[int], *, is_stock: bool, years: bool = True
) -> int:
    """The partial refresh as four groupings UNION ALL (SQLite, and the stocks' few rows);
    without the years' two (`years` False) for a measure whose years are added up after."""
    in_months = Q() if is_stock else _month_ranges(measure.month, common["year"], months)
    parts = [(dataclasses.replace(measure, rows=measure.rows.filter(in_months)), False, True)]
    if years:
        parts.append((measure, False, False))
    if town_codes:  # none: a district-level record's change, the district's figures only
        town_rows = _in_towns(measure.rows, measure.area, town_codes)
        parts.append((dataclasses.replace(measure, rows=town_rows.filter(in_months)), True, True))
        if years:
            parts.append((dataclasses.replace(measure, rows=town_rows), True, False))
    groupings = [_grouping(m, by_town=t, by_month=b, **common) for m, t, b in parts]
    return _insert(*groupings[0].union(*groupings[1:], all=True).query.sql_with_params())


def _years_added_up(key: str, year: int, areas: set[str], now: datetime.datetime) -> int:
    """The year's figures of `areas` as the sum of their stored months (an additive measure)."""
    months = (
        IndicatorValue.objects.filter(indicator=key, year=year, area_code__in=areas)
        .exclude(month=WHOLE_YEAR)
        .values("area_code")
        .annotate(total=Sum("value"))
    )
    made = [
        IndicatorValue(
            indicator=key,
            year=year,
            month=WHOLE_YEAR,
            area_code=row["area_code"],
            value=row["total"],
            base=None,
            computed_at=now,
        )  # fmt: skip
        for row in months
    ]
    IndicatorValue.objects.bulk_create(made)
    return len(made)


def _first_months_refresh(indicator: Indicator, year: int, common: dict, *, towns: set[str] | None, start: int) -> int:
    """Recompute `FirstMonthCount` of `indicator` in `year` for the months from `start` on:
    in each town (of `towns`, 12-digit codes; None: every town its rows are in) and in the
    district, the persons with a row in the month and none in an earlier month of the year
    there. Each month's first-timers depend only on the rows of that month and the earlier
    ones, so after a change of the months from `start` on these are exact again, whatever
    refreshes ran before (each reads the records, none the stored numbers). Every month
    computed keeps a row for each of the areas asked (the current towns and the district
    when `towns` is None), 0 too: when one of them lacks a month before `start` (a year
    refreshed before this table existed), every month is computed. Runs inside the
    refresh's transaction, under its lock."""
    key, district = indicator.key, common["district"]
    stored = FirstMonthCount.objects.filter(indicator=key, year=year)
    # The areas whose every month computed keeps a row, 0 too.
    kept = {a.code for a in target_areas()} if towns is None else set(towns) | {district}
    if start > 1 and stored.filter(area_code__in=kept, month__lt=start).count() < (start - 1) * len(kept):
        start = 1
    gone = stored.filter(month__gte=start)
    (gone if towns is None else gone.filter(area_code__in=kept)).delete()
    measure = indicator.measure(year)
    value = measure.value
    if not (isinstance(value, Count) and value.distinct and measure.base is None and measure.month):
        raise ValueError(f"{key}: year_by_first_months needs a distinct count with a month")
    person, month, area = value.get_source_expressions()[0].name, measure.month, measure.area
    town = Substr(area, 1, TOWN_DIGITS, output_field=CharField())
    quote = connection.ops.quote_name
    table = quote(FirstMonthCount._meta.db_table)
    names = ", ".join(quote(FirstMonthCount._meta.get_field(c).column) for c in FIRST_MONTH_COLUMNS)
    person_, town_, month_ = (quote(c) for c in ("_person", "_town", "_month"))
    towns_sql, towns_params = "", []
    if towns is not None:
        towns_sql = f" AND {town_} IN ({', '.join(['%s'] * len(towns))})" if towns else " AND 1 = 0"
        towns_params = sorted(t[:TOWN_DIGITS] for t in towns)
    padding = "0" * (12 - TOWN_DIGITS)
    rows = 0
    if start == 1:
        # Every month: the first month of each person in each town, in one pass over the
        # year's rows (the district's: the earliest of their towns'), cheaper than an
        # anti-join of every row against the earlier months.
        fresh = (
            measure.rows.order_by()
            .annotate(_person=F(person), _town=town)
            .values("_person", "_town")
            .annotate(_month=Min(ExtractMonth(month)))
        )
        try:
            sql, params = fresh.query.sql_with_params()
        except EmptyResultSet:  # no batch paid this year
            sql = None
        if sql is not None:
            statement = (
                f"WITH fresh AS ({sql}) INSERT INTO {table} ({names}) "
                f"SELECT %s, %s, {month_}, {town_} || %s, COUNT(DISTINCT {person_}) FROM fresh "
                f"WHERE {town_} <> %s{towns_sql} GROUP BY {month_}, {town_} UNION ALL "
                f"SELECT %s, %s, {month_}, %s, COUNT(*) FROM (SELECT {person_}, MIN({month_}) AS {month_} "
                f"FROM fresh GROUP BY {person_}) persons GROUP BY {month_}"
            )
            arguments = [*params, key, year, padding, district[:TOWN_DIGITS], *towns_params, key, year, district]
            with connection.cursor() as cursor:
                cursor.execute(statement, arguments)
                rows += cursor.rowcount
    else:
        for number in range(start, 13):
            rows += _first_timers_of_month(
                measure.rows.order_by(),
                person=person,
                month=month,
                town=town,
                year=year,
                number=number,
                into=(table, names, [key, year, number]),
                district=district,
                towns=(towns_sql, towns_params),
            )
    have = set(stored.filter(area_code__in=kept, month__gte=start).values_list("area_code", "month"))
    zeros = [
        FirstMonthCount(indicator=key, year=year, month=number, area_code=code, value=0)
        for code in sorted(kept)
        for number in range(start, 13)
        if (code, number) not in have
    ]
    FirstMonthCount.objects.bulk_create(zeros)
    return rows + len(zeros)


FIRST_MONTH_COLUMNS = ["indicator", "year", "month", "area_code", "value"]


def _first_timers_of_month(
    rows, *, person: str, month: str, town, year: int, number: int, into: tuple, district: str, towns: tuple
) -> int:
    """Insert the first-timers of month `number` (`_first_months_refresh`): in each town,
    the persons with a row there in the month and none there in an earlier month of the
    year; in the district, those with none anywhere. The candidates are the month's
    (person, town) pairs less those of the month before (two reads of a month's rows by the
    batches' ids and one set difference); only they are probed by the person's index,
    against the months before that for the towns, against every earlier month for the
    district (a person new to the district has all their pairs among the candidates). In a
    steady payroll nearly everyone paid this month was paid the month before: of the
    ~525,000 lines of a nursing month at 10^6, ~6,000 candidates, not a probe per line.
    Exact: a pair new to the town this month is one not there the month before and not
    there in any month before that. Returns the rows inserted."""
    table, names, head = into
    towns_sql, towns_params = towns
    quote = connection.ops.quote_name
    person_, town_ = quote("_person"), quote("_town")

    def lines(first: int, last: int) -> tuple[str, list] | None:
        """The (person, town) of the rows dated in months `first`..`last` (none: None)."""
        if first < 1 or first > last:
            return None
        picked = _dated_range(rows, month, datetime.date(year, first, 1), _month_after(year, last))
        try:
            return picked.annotate(_person=F(person), _town=town).values("_person", "_town").query.sql_with_params()
        except EmptyResultSet:
            return None

    this = lines(number, number)
    if this is None:  # no rows this month: no first-timers (the caller stores its zeros)
        return 0
    before = lines(number - 1, number - 1)
    if before is None:  # no rows the month before: every pair is a candidate
        pairs, params = f"SELECT DISTINCT {person_}, {town_} FROM ({this[0]}) this", [*this[1]]
    else:
        pairs = (
            f"SELECT {person_}, {town_} FROM ({this[0]}) this "
            f"EXCEPT SELECT {person_}, {town_} FROM ({before[0]}) before"
        )
        params = [*this[1], *before[1]]
    # A correlated probe per candidate by the person's index; OFFSET 0 keeps PostgreSQL
    # from turning it into an anti-join that hashes every earlier month's rows (it cannot
    # know how few candidates the set difference leaves).
    fence = " OFFSET 0" if connection.vendor == "postgresql" else ""

    def unseen(earlier: tuple[str, list] | None, alias: str, *, in_town: bool) -> tuple[str, list]:
        """NOT EXISTS a row of the candidate `alias` in `earlier` (in its town, `in_town`)."""
        if earlier is None:
            return "TRUE", []
        same = f"earlier.{person_} = {alias}.{person_}"
        if in_town:
            same += f" AND earlier.{town_} = {alias}.{town_}"
        return f"NOT EXISTS (SELECT 1 FROM ({earlier[0]}) earlier WHERE {same}{fence})", list(earlier[1])

    # New to the town: no row there the month before (the set difference) nor before that.
    # New to the district: of the candidates' persons (a person with no row at all the
    # month before has every pair of this month among them), those with no row in any
    # earlier month.
    town_new, town_params = unseen(lines(1, number - 2), "pairs", in_town=True)
    person_new, person_params = unseen(lines(1, number - 1), "persons", in_town=False)
    padding = "0" * (12 - TOWN_DIGITS)
    statement = (
        f"WITH pairs AS ({pairs}) INSERT INTO {table} ({names}) "
        f"SELECT %s, %s, %s, {town_} || %s, COUNT(*) FROM pairs WHERE {town_} <> %s{towns_sql} AND {town_new} "
        f"GROUP BY {town_} UNION ALL SELECT %s, %s, %s, %s, COUNT(*) "
        f"FROM (SELECT DISTINCT {person_} FROM pairs) persons WHERE {person_new}"
    )
    arguments = [
        *params,
        *head,
        padding,
        district[:TOWN_DIGITS],
        *towns_params,
        *town_params,
        *head,
        district,
        *person_params,
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The two months' pairs are hashed for the set difference: in memory.
            cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(statement, arguments)
        inserted = cursor.rowcount
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL work_mem TO DEFAULT")
        return inserted


def _by_related(rows, field: str, condition) -> tuple:
    """`rows` narrowed to those whose related row meets `condition(name)` (a Q on the
    related model), when the date `field` is a related row's ("batch__month"): the related
    table is asked first and the rows picked by its ids, so the database reads them by the
    foreign key's index (a payroll batch's lines) instead of every row of the year, each
    joined to its batch to be dated. Returns the rows and the field's name on the related
    model (None: a field of the rows' own, left to the caller)."""
    relation, _, name = field.partition("__")
    if not name or "__" in name:
        return rows, None
    related = rows.model._meta.get_field(relation).related_model
    ids = list(related._base_manager.filter(condition(name)).values_list("pk", flat=True))
    return rows.filter(**{f"{relation}__in": ids}), name


def _month_after(year: int, number: int) -> datetime.date:
    """The 1st of the month after month `number` of `year`."""
    return datetime.date(year + number // 12, number % 12 + 1, 1)


def _dated_range(rows, field: str, first: datetime.date, end: datetime.date):
    """`rows` whose date `field` is on or after `first` and before `end` (`_by_related`)."""

    def condition(name: str) -> Q:
        return Q(**{f"{name}__gte": first, f"{name}__lt": end})

    rows, _ = _by_related(rows, field, condition)
    return rows.filter(condition(field))


def _dated_in(rows, field: str, year: int, months: set[int]):
    """`rows` whose date `field` is in one of `months` of `year` (`_by_related`)."""
    rows, _ = _by_related(rows, field, lambda name: _month_ranges(name, year, months))
    return rows.filter(_month_ranges(field, year, months))


def _years_of_first_months(key: str, year: int, areas: set[str], now: datetime.datetime) -> int:
    """The year's figures of `areas` as the sum of their months' first-timers (a measure
    kept by `_first_months_refresh`); an area with none has no year's figure."""
    sums = (
        FirstMonthCount.objects.filter(indicator=key, year=year, area_code__in=areas)
        .values("area_code")
        .annotate(total=Sum("value"))
        .filter(total__gt=0)
    )
    made = [
        IndicatorValue(
            indicator=key, year=year, month=WHOLE_YEAR, area_code=row["area_code"], value=row["total"], computed_at=now
        )
        for row in sums
    ]
    IndicatorValue.objects.bulk_create(made)
    return len(made)


def stock_month_ends_record(*, year: int, today: datetime.date | None = None) -> int:
    """Store the month-end figures of the stocks for the months of `year` before today's
    that have none: a district that went live in June has no refresh from its first
    months, so its certified persons were a single dot in December. Each is read back from
    the event chain as of the first day of the next month, where the data allows it (a
    stock with `measure_on`). Months with a stored figure keep it. Returns rows written."""
    today = today or timezone.localdate()
    last = 12 if year < today.year else today.month - 1
    district = district_code()
    quote = connection.ops.quote_name
    names = ", ".join(quote(IndicatorValue._meta.get_field(c).column) for c in COLUMNS)
    rows = 0
    for indicator in INDICATORS.values():
        if indicator.measure_on is None:
            continue
        with transaction.atomic():
            # The refresh's lock: two of these (or one and a refresh) take turns, and the
            # second sees the months the first stored.
            IndicatorRefresh.objects.bulk_create(
                [IndicatorRefresh(indicator=indicator.key, year=year)], ignore_conflicts=True
            )
            IndicatorRefresh.objects.select_for_update().get(indicator=indicator.key, year=year)
            stored = IndicatorValue.objects.filter(indicator=indicator.key, year=year, area_code=district)
            have = set(stored.values_list("month", flat=True))
            for number in (m for m in range(1, last + 1) if m not in have):
                day = datetime.date(year + number // 12, number % 12 + 1, 1)
                common = {
                    "key": indicator.key,
                    "year": year,
                    "now": timezone.now(),
                    "district": district,
                    "this_month": number,
                }
                measure = indicator.measure_on(day)
                by_town, whole = (_grouping(measure, by_town=t, by_month=True, **common) for t in (True, False))
                sql, params = by_town.union(whole, all=True).query.sql_with_params()
                with connection.cursor() as cursor:
                    cursor.execute(f"INSERT INTO {quote(IndicatorValue._meta.db_table)} ({names}) {sql}", params)
                    rows += cursor.rowcount
    return rows


def year_figures_missing(*, year: int, today: datetime.date | None = None) -> bool:
    """Whether `year` is a past year with records but no stored figures yet."""
    today = today or timezone.localdate()
    if year >= today.year or IndicatorRefresh.objects.filter(year=year).exists():
        return False
    return year in record_years()


def year_figures_ensure(*, year: int, today: datetime.date | None = None) -> bool:
    """Compute a past year's figures, the first time someone asks for a year that has
    records but no stored figures (a background task: at 10^6 persons every indicator of a
    year takes ~20 s). Returns whether it computed them."""
    today = today or timezone.localdate()
    if not year_figures_missing(year=year, today=today):
        return False
    indicators_refresh(year=year, today=today)
    stock_month_ends_record(year=year, today=today)
    return True


def indicators_refresh(
    *, year: int, keys: list[str] | None = None, source: str | None = None, today: datetime.date | None = None
) -> list[Refreshed]:
    """Recompute the indicators of `year` (those of `keys`, or built on `source`, or all),
    each in its own transaction."""
    chosen = [INDICATORS[k] for k in keys] if keys else indicators_of(source)
    return [indicator_refresh(indicator, year, today=today) for indicator in chosen]


def indicators_refresh_on_commit(*, year: int, source: str | None = None, keys: list[str] | None = None) -> None:
    """Queue a refresh of `source`'s indicators for `year` (or only those of `keys`, all of
    `source`), to run once the current transaction commits (at once outside one): never for
    a write that is rolled back, and not when a refresh that covers it is still waiting in
    the queue (at 10^6 a refresh of every indicator takes 20 s: a month-end burst of
    imports and approvals needs one more, not one each)."""
    from targets.tasks import refresh_indicators, refresh_waiting

    key = (year, source, tuple(keys or ()))
    # One refresh per transaction however many writes asked (a comparison import records
    # an event per row); a callback of a rolled-back savepoint is gone from this list.
    pending = transaction.get_connection().run_on_commit
    if any(getattr(callback, "indicators_refresh", None) == key for _, callback, _ in pending):
        return

    def enqueue() -> None:
        if not refresh_waiting(year=year, source=source):
            refresh_indicators.enqueue(year=year, source=source, **({"keys": list(keys)} if keys else {}))

    enqueue.indicators_refresh = key
    transaction.on_commit(enqueue)


def records_changed_refresh(sender, *, source: str, year: int | None = None, areas=None, days=None, **kwargs) -> None:
    """Receiver of `canlian.signals.records_changed`. A sender that names what it touched —
    `days` (the records' dates) and `areas` (their 12-digit area codes; None: every town,
    as a payroll batch of a month), collections that the rest of its transaction may still
    extend (`canlian.records.records_changed_once`) — gets only those towns and months
    recomputed (`indicator_refresh_part`); one that names no days, the whole year of its
    source's indicators."""
    year = year or timezone.localdate().year
    label = sender._meta.label if hasattr(sender, "_meta") else None
    readers = readers_elsewhere(label, source)
    if readers:
        readers_refresh_on_commit(year=year, readers=readers, label=label, areas=areas)
    if not indicators_of(source):
        return
    if days is not None:
        indicators_refresh_part_on_commit(year=year, source=source, areas=areas, days=days, sender=label)
        return
    indicators_refresh_on_commit(year=year, source=source)


def readers_elsewhere(label: str | None, source: str) -> list[Indicator]:
    """The indicators of other sources that declare they read the written model
    (`Indicator.reads`): a death in the registry changes the family-doctor share, an
    outreach indicator, whose own source's refresh the registry's write does not start."""
    if label is None:
        return []
    return [i for i in INDICATORS.values() if i.source != source and label in i.reads]


def _placed_by(indicator: Indicator, label: str) -> bool:
    """Whether a stock's rows are the written model's own rows (the persons, by their
    community): a write of some of them changes only the towns those rows are in."""
    return indicator.is_stock and _rows_label(indicator.key) == label


@functools.cache
def _rows_label(key: str) -> str:
    """The model of an indicator's rows (asked once: an import asks per row it changes)."""
    return INDICATORS[key].measure(2000).rows.model._meta.label


def readers_refresh_on_commit(*, year: int, readers: list[Indicator], label: str, areas) -> None:
    """Queue the refresh of `readers` (`readers_elsewhere`) once the transaction commits. A
    stock over the written model's rows (`_placed_by`), when the write names its rows'
    areas (a person's community; both, after a move), has only those towns and the
    district recomputed, in the current month (`indicator_refresh_part`); any other reader,
    or a write that names no areas (an import), its whole year (for a stock, that too is
    only the current month). Several writes of one transaction queue one refresh, of all
    the areas they named."""
    from targets.tasks import refresh_readers_part, refresh_waiting

    placed = [i for i in readers if areas is not None and _placed_by(i, label)]
    by_source: dict[str, list[str]] = {}
    for indicator in readers:
        if indicator not in placed:
            by_source.setdefault(indicator.source, []).append(indicator.key)
    for source, keys in by_source.items():
        indicators_refresh_on_commit(year=year, source=source, keys=keys)
    if not placed:
        return
    keys = [i.key for i in placed]
    key = (year, tuple(keys))
    for _, callback, _ in transaction.get_connection().run_on_commit:
        if getattr(callback, "readers_refresh", None) == key:
            callback.areas.update(areas)
            return
    named = set(areas)

    def enqueue() -> None:
        towns = sorted({a[:TOWN_DIGITS] + "0" * (12 - TOWN_DIGITS) for a in named if a})
        if not towns or all(refresh_waiting(year=year, source=i.source) for i in placed):
            return
        refresh_readers_part.enqueue(year=year, keys=keys, towns=towns)

    enqueue.readers_refresh, enqueue.areas = key, named
    transaction.on_commit(enqueue)


def readers_refresh_part(*, year: int, keys: list[str], towns: list[str], today=None) -> list[Refreshed]:
    """`indicator_refresh_part` of the readers' stocks in the towns a registry write named
    (`readers_refresh_on_commit`)."""
    return [indicator_refresh_part(INDICATORS[k], year, towns=set(towns), today=today) for k in keys]


def indicators_refresh_part_on_commit(*, year: int, source: str, areas, days, sender: str | None = None) -> None:
    """Queue the recomputation of the touched towns (`areas`; None: all) and months of
    `source`'s indicators once the transaction commits (read then: later writes of the
    transaction add to them), unless a whole-year refresh that covers them waits unstarted."""
    from targets.tasks import refresh_indicators_part, refresh_waiting

    def enqueue() -> None:
        months = sorted({d.month for d in days if d.year == year})
        towns = None if areas is None else sorted({a[:TOWN_DIGITS] + "0" * (12 - TOWN_DIGITS) for a in areas})
        if not months or towns == [] or refresh_waiting(year=year, source=source):
            return
        refresh_indicators_part.enqueue(year=year, source=source, towns=towns, months=months, sender=sender)

    transaction.on_commit(enqueue)


def indicators_refresh_part(
    *,
    year: int,
    source: str | None,
    towns: list[str] | None,
    months: list[int] | None,
    sender: str | None = None,
    today=None,
) -> list[Refreshed]:
    """`indicator_refresh_part` for each incremental indicator of `source` (all when None),
    the whole year for the others — except those that declare the models they read
    (`Indicator.reads`) and not `sender`'s (the label of the model written), left alone."""
    chosen = [i for i in indicators_of(source) if sender is None or not i.reads or sender in i.reads]
    return [
        indicator_refresh_part(
            indicator,
            year,
            towns=None if towns is None else set(towns),
            months=None if months is None else set(months),
            today=today,
        )
        if indicator.incremental
        else indicator_refresh(indicator, year, today=today)
        for indicator in chosen
    ]


# Targets ---------------------------------------------------------------------------------


def target_areas() -> list[Area]:
    """The areas a target can be set for: the district and its current towns."""
    return list(Area.objects.filter(level__in=[Level.DISTRICT, Level.TOWN], is_active=True).order_by("level", "code"))


@transaction.atomic
def targets_set(*, user, year: int, values: dict[tuple[str, str], Decimal | None], note: str = "") -> int:
    """Set the year's targets, `values[(indicator key, area code)]`; None removes one.
    District administrators only. Returns how many targets changed."""
    if not (user.has_perm("targets.change_target") and user.has_perm("targets.add_target")):
        raise PermissionDenied("您没有设置年度目标的权限")
    require_district(user, "年度目标覆盖全区和各镇(街)，只有区级用户可以设置")
    areas = {a.code: a for a in target_areas()}
    existing = {
        (t.indicator, t.area_id): t for t in Target.objects.select_for_update().filter(year=year, area__in=areas)
    }
    changed = 0
    for (key, code), value in values.items():
        if key not in INDICATORS or code not in areas:
            raise ValidationError(f"未知的指标或区划：{key} {code}")
        if value is not None and value < 0:
            raise ValidationError(f"{INDICATORS[key].name}的目标不能为负数")
        target = existing.get((key, code))
        if value is None:
            if target is not None:
                target.delete()
                changed += 1
            continue
        if target is not None and target.value == value:
            continue
        if target is None:
            target = Target(year=year, indicator=key, area=areas[code])
        elif target.basis == Basis.SPLIT:
            target.basis = Basis.ADJUSTED  # the split's figure, changed by hand
        target.value, target.updated_by = value, user
        if note:
            target.note = note[:200]
        target.save()
        changed += 1
    if changed:
        audit_write(action="targets.target.changed", user=user, data={"year": year, "changed": changed, "note": note})
    return changed


def certified_by_town() -> dict[str, int]:
    """Active certificate holders per current town (its 12-digit code), from the counters
    the database keeps (`registry_personcount`): the shares a district target is split by."""
    from registry.models import PersonCount, Status

    towns = {a.code: 0 for a in target_areas() if a.level == Level.TOWN}
    rows = (
        PersonCount.objects.filter(status=Status.ACTIVE)
        .annotate(town=Substr("area_id", 1, TOWN_DIGITS))
        .values("town")
        .annotate(persons=Sum("persons"))
    )
    for row in rows:
        code = row["town"] + "0" * (12 - TOWN_DIGITS)
        if code in towns:
            towns[code] = row["persons"] or 0
    return towns


def split_by_share(total: Decimal, weights: dict[str, int], *, step: Decimal) -> dict[str, Decimal]:
    """`total` shared out in proportion to `weights`, in multiples of `step` (1 person,
    0.01 元), adding up to `total` exactly: each gets its share rounded down, and what is
    left goes one step at a time to the largest remainders (the largest-remainder method).
    With no weight at all every share is zero."""
    whole = sum(weights.values())
    if whole <= 0:
        return dict.fromkeys(weights, Decimal(0))
    steps = int((total / step).to_integral_value(rounding="ROUND_HALF_UP"))
    exact = {code: Decimal(steps) * weight / whole for code, weight in weights.items()}
    parts = {code: int(value) for code, value in exact.items()}
    left = steps - sum(parts.values())
    for code in sorted(exact, key=lambda c: (-(exact[c] - parts[c]), c))[:left]:
        parts[code] += 1
    return {code: (step * n).quantize(step) for code, n in parts.items()}


@transaction.atomic
def targets_split(*, user, year: int, keys: list[str]) -> int:
    """Split the district's target of each indicator in `keys` among the towns by their
    share of certified persons today, overwriting the towns' targets of those indicators
    (their basis becomes "split"; the district administrator then adjusts them by hand). A
    share (coverage 90 %) is the same in every town. An indicator with no district target
    is refused. Returns how many town targets changed."""
    if not (user.has_perm("targets.change_target") and user.has_perm("targets.add_target")):
        raise PermissionDenied("您没有设置年度目标的权限")
    require_district(user, "年度目标覆盖全区和各镇(街)，只有区级用户可以设置")
    district = Area.objects.get(code=district_code())
    weights = certified_by_town()
    towns = {a.code: a for a in target_areas() if a.level == Level.TOWN}
    changed = 0
    for key in keys:
        if key not in INDICATORS:
            raise ValidationError(f"未知的指标：{key}")
        indicator = INDICATORS[key]
        whole = Target.objects.filter(year=year, indicator=key, area=district).first()
        if whole is None:
            raise ValidationError(f"{indicator.name}尚未设置全区目标，无法分解到各镇(街)")
        if indicator.is_share:
            parts = dict.fromkeys(weights, whole.value)
        else:
            parts = split_by_share(whole.value, weights, step=Decimal("0.01") if indicator.is_money else Decimal(1))
        existing = {t.area_id: t for t in Target.objects.select_for_update().filter(year=year, indicator=key)}
        for code, value in parts.items():
            target = existing.get(code) or Target(year=year, indicator=key, area=towns[code])
            if target.pk and target.value == value and target.basis == Basis.SPLIT:
                continue
            target.value, target.basis, target.updated_by = value, Basis.SPLIT, user
            target.note = f"按持证残疾人数占比分解（{weights[code]} 人）"
            target.save()
            changed += 1
    if changed:
        audit_write(
            action="targets.target.changed", user=user, data={"year": year, "changed": changed, "split": list(keys)}
        )
    return changed


def seed_target_values() -> dict[str, tuple[Decimal, str]]:
    """The seed's figures by indicator key: those `SEED_TARGETS` names, and those the apps
    declare on their indicators (`Indicator.seed_target`), which win."""
    values = dict(SEED_TARGETS)
    values.update({i.key: i.seed_target for i in INDICATORS.values() if i.seed_target is not None})
    return values


def seed_targets(*, year: int) -> int:
    """The seed's numbers as the district's targets of `year`, for the indicators that
    exist and have none yet. Returns how many were set."""
    district = Area.objects.get(code=district_code())
    made = 0
    for key, (value, note) in seed_target_values().items():
        if key not in INDICATORS:
            continue
        _, created = Target.objects.get_or_create(
            year=year, indicator=key, area=district, defaults={"value": value, "note": note}
        )
        made += created
    return made
