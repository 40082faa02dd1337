"""Drill-downs: the persons or records behind a figure of the dashboard (a click on it).

An indicator's figure is an aggregate of its measure's rows (`canlian.indicators.Measure`);
the records behind a figure are those same rows, narrowed the way the refresh groups them
— by the first 9 digits of `Measure.area` for a town, by `Measure.month` for a month — so
the list cannot drift from the figure. Which rows are listed depends on the aggregate:

- `Count("pk")` / `Count("id")`: the rows themselves (person-times, cases, follow-ups);
- `Count("person", distinct=True)`: the distinct persons of those rows;
- anything else (a sum of money, a share, a distinct count of something that is not a
  person) has no list, and the dashboard prints the figure without a link.

An indicator whose measure's rows are not the records (certified persons are summed from
the registry's counters) declares `Indicator.records`: a measure over the persons counted
whose value counts its rows, listed the same way. A stock's rows are those of today, so
only its current figures (this year, this month) have a list.

Lists show persons only through `PersonView` (masked identifiers), and only to users with
`registry.view_personal_data`: a leader reads the figure, never the names.
"""

import datetime
from dataclasses import dataclass
from functools import cache

from django.db.models import CharField, Count, F, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from areas.models import Area, Level
from canlian.indicators import Measure
from registry.models import Person
from targets.indicators import INDICATORS, Indicator

TOWN_DIGITS = 9
PERSONS, RECORDS = "persons", "records"
# Where a record's person is, in the order tried: on the record, or on its case.
PERSON_PATHS = ("person", "case__person")


def _listed_measure(indicator: Indicator, year: int) -> Measure:
    return (indicator.records or indicator.measure)(year)


def _kind_of(measure: Measure) -> tuple[str, str] | None:
    """(PERSONS or RECORDS, the counted field) if the measure's value counts its rows or
    their distinct persons, else None."""
    value = measure.value
    if not isinstance(value, Count) or value.filter is not None or measure.base is not None:
        return None
    expressions = value.get_source_expressions()[:1] if value.filter is None else []
    if len(expressions) != 1 or not isinstance(expressions[0], F):
        return None
    name = expressions[0].name
    if name in ("pk", "id") and not value.distinct:
        # Rows that are persons are listed as persons (through `PersonView`).
        return (PERSONS if measure.rows.model is Person else RECORDS), name
    if value.distinct:
        field = measure.rows.model._meta.get_field(name)
        if field.is_relation and field.related_model is Person:
            return PERSONS, name
    return None


@cache
def _kind(key: str) -> tuple[str, str] | None:
    """Asked per figure on every page; the measure's shape does not change with the year."""
    return _kind_of(_listed_measure(INDICATORS[key], 2000))


def has_records(indicator: Indicator) -> bool:
    return _kind(indicator.key) is not None


def drillable(indicator: Indicator, year: int, month: int | None, *, today: datetime.date | None = None) -> bool:
    """Whether a figure (`month` None: the whole year) has a list of records: its
    indicator counts rows, and for a stock only its current figures (its rows are today's)."""
    if not has_records(indicator):
        return False
    if indicator.is_stock:
        today = today or timezone.localdate()
        return year == today.year and month in (None, today.month)
    return True


def person_path(model) -> str | None:
    """The path from a record to its person (`PERSON_PATHS`), or None."""
    for path in PERSON_PATHS:
        current = model
        for part in path.split("__"):
            try:
                field = current._meta.get_field(part)
            except Exception:  # FieldDoesNotExist: try the next path
                current = None
                break
            current = field.related_model if field.is_relation else None
            if current is None:
                break
        if current is Person:
            return path
    return None


@dataclass(frozen=True)
class Listing:
    """The records behind one figure: `rows` are persons (`kind` PERSONS) or the records
    themselves (RECORDS), ordered for paging; `date` is the records' date field (None for
    a stock), `area` their area code field, `person` the path to a record's person."""

    indicator: Indicator
    kind: str
    rows: QuerySet
    date: str | None
    area: str
    person: str | None

    @property
    def of_persons(self) -> bool:
        return self.kind == PERSONS


def _month_range(field: str, year: int, month: int) -> Q:
    end = datetime.date(year + month // 12, month % 12 + 1, 1)
    return Q(**{f"{field}__gte": datetime.date(year, month, 1), f"{field}__lt": end})


def listing(indicator: Indicator, *, area: Area, year: int, month: int | None) -> Listing:
    """The records behind `indicator`'s figure for `area` (a town, or the district: every
    row) in `year` (`month` None: the whole year). The caller checked `drillable` and the
    user's scope over `area`."""
    measure = _listed_measure(indicator, year)
    kind, counted = _kind(indicator.key)
    rows = measure.rows.order_by()
    if area.level != Level.DISTRICT:
        town = Substr(measure.area, 1, TOWN_DIGITS, output_field=CharField())
        rows = rows.annotate(_town=town).filter(_town=area.code[:TOWN_DIGITS])
    if month is not None and measure.month is not None:
        rows = rows.filter(_month_range(measure.month, year, month))
    if kind == PERSONS:
        persons = Person.objects.filter(pk__in=rows.values(counted)).select_related("area").order_by("area_id", "pk")
        return Listing(indicator, PERSONS, persons, None, "area_id", "")
    path = person_path(rows.model)
    # The person, and the rows a date or an area code is read through (a payment's batch).
    related = [path] if path else []
    related += [field.rsplit("__", 1)[0] for field in (measure.month, measure.area) if field and "__" in field]
    if related:
        rows = rows.select_related(*related)
    ordering = [measure.month, "pk"] if measure.month else ["pk"]
    return Listing(indicator, RECORDS, rows.order_by(*ordering), measure.month, measure.area, path)


def value_at(record, path: str):
    """`record`'s value at a lookup path (`batch__month`, `case__person`, `area_id`)."""
    value = record
    for part in path.split("__"):
        if value is None:
            return None
        value = getattr(value, part)
    return value


def drillable_indicators() -> list[Indicator]:
    return [i for i in INDICATORS.values() if has_records(i)]
