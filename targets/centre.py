"""A care institution's figures, for its page (康园中心指标): the indicators whose rows name
their institution (`Indicator.institution`: members, attendance, boarding placements, and
the participations in the activities it organised), computed live for that one
institution from the care and activity records.

Nothing per institution is stored: `IndicatorValue` and `Target` are per area (the
district or a town), and a centre has tens of members, so the queries of its page — one per
indicator for a flow's months, one per month-end for a stock — read a few thousand rows at
most. Targets are set for areas, not centres: the page sets the centre's year beside its
town's and the district's figure and target, where the user's scope holds that area (a
town officer: their town; a district user or a leader: both; centre staff: neither, as on
the dashboard they have no area's figures).
"""

import dataclasses
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models.functions import ExtractMonth
from django.utils import timezone

from areas.models import Area, Level
from registry.scoping import areas_visible_to
from targets.exports import chart_spec
from targets.indicators import INDICATORS, Indicator, Measure
from targets.models import WHOLE_YEAR, IndicatorRefresh
from targets.selectors import MONTHS, last_month_of, shown_value, targets_visible_to, values_visible_to


def centre_indicators() -> list[Indicator]:
    """The indicators that can be computed per institution, in the catalogue's order."""
    return [i for i in INDICATORS.values() if i.institution]


@dataclass
class Context:
    """An area's figure and target of the year, beside the centre's."""

    area: Area
    value: Decimal | None
    target: Decimal | None


@dataclass
class CentreFigure:
    indicator: Indicator
    value: Decimal | None  # the year's (a stock: now, or at the year's end)
    months: list[Decimal | None]  # January … December; None for a month to come
    context: list[Context] = dataclasses.field(default_factory=list)


def _of(measure: Measure, indicator: Indicator, institution) -> Measure:
    return dataclasses.replace(measure, rows=measure.rows.filter(**{indicator.institution: institution}))


def _figure(indicator: Indicator, measure: Measure) -> Decimal | None:
    """The measure's rows as one figure in the unit shown (a share of nothing: None)."""
    aggregates = {"value": measure.value}
    if measure.base is not None:
        aggregates["base"] = measure.base
    found = measure.rows.order_by().aggregate(**aggregates)
    return indicator.display(found["value"] or 0, found.get("base"))


def _by_month(indicator: Indicator, measure: Measure) -> dict[int, Decimal | None]:
    """A flow's figure of each month that has rows (one grouped query)."""
    aggregates = {"_value": measure.value}
    if measure.base is not None:
        aggregates["_base"] = measure.base
    rows = measure.rows.order_by().annotate(_month=ExtractMonth(measure.month)).values("_month").annotate(**aggregates)
    return {row["_month"]: indicator.display(row["_value"] or 0, row.get("_base")) for row in rows}


def _month_end(year: int, month: int) -> datetime.date:
    """The first day after `month`: a stock's `measure_on` of it is the month-end figure."""
    return datetime.date(year + month // 12, month % 12 + 1, 1)


def centre_figure(indicator: Indicator, institution, year: int, today: datetime.date) -> CentreFigure:
    """The institution's figure of `year` and of each of its months, as the dashboard shows
    an area's: a flow's months and year from the rows dated in them; a stock's months as the
    month-end figure (the current month: today's), its year the latest month's."""
    last = last_month_of(year, today)
    if indicator.is_stock:
        months: list[Decimal | None] = []
        for month in MONTHS:
            if month > last:
                months.append(None)
            elif year == today.year and month == today.month:
                months.append(_figure(indicator, _of(indicator.measure(year), indicator, institution)))
            elif indicator.measure_on is not None:
                month_end = indicator.measure_on(_month_end(year, month))
                months.append(_figure(indicator, _of(month_end, indicator, institution)))
            else:
                months.append(None)  # a stock with no month-end reading: today's only
        return CentreFigure(indicator, months[last - 1] if last else None, months)
    measure = _of(indicator.measure(year), indicator, institution)
    found = _by_month(indicator, measure)
    empty = None if indicator.is_share else indicator.display(0)
    months = [None if month > last else found.get(month, empty) for month in MONTHS]
    return CentreFigure(indicator, _figure(indicator, measure) if last else None, months)


def context_areas(user, institution) -> list[Area]:
    """The institution's town and the district, those of them in the user's scope."""
    town = institution.area.town
    district = Area.objects.filter(level=Level.DISTRICT, is_active=True).order_by("code").first()
    codes = [a.code for a in (town, district) if a is not None]
    visible = set(areas_visible_to(user).filter(code__in=codes).values_list("code", flat=True))
    return [a for a in (town, district) if a is not None and a.code in visible]


def centre_figures(user, institution, year: int, today: datetime.date | None = None) -> list[CentreFigure]:
    """Every per-institution indicator of the institution in `year`, each with the year's
    figure and target of the context areas (`context_areas`), read as the dashboard reads
    them (the stored figures, the user's scope)."""
    today = today or timezone.localdate()
    indicators = centre_indicators()
    areas = context_areas(user, institution)
    codes = [a.code for a in areas]
    keys = [i.key for i in indicators]
    stored = {
        (v.indicator, v.area_code): v
        for v in values_visible_to(user).filter(year=year, month=WHOLE_YEAR, area_code__in=codes, indicator__in=keys)
    }
    targets = {
        (t.indicator, t.area_id): t.value
        for t in targets_visible_to(user).filter(year=year, area__code__in=codes, indicator__in=keys)
    }
    computed = set(
        IndicatorRefresh.objects.filter(year=year, indicator__in=keys, computed_at__isnull=False).values_list(
            "indicator", flat=True
        )
    )
    last = last_month_of(year, today)
    figures = []
    for indicator in indicators:
        figure = centre_figure(indicator, institution, year, today)
        figure.context = [
            Context(
                area=area,
                value=shown_value(
                    indicator, stored.get((indicator.key, area.code)), WHOLE_YEAR, indicator.key in computed, last
                ),
                target=targets.get((indicator.key, area.code)),
            )
            for area in areas
        ]
        figures.append(figure)
    return figures


def centre_chart_data(figures: list[CentreFigure]) -> list[dict]:
    """The institution's months as the dashboard's charts draw them: per indicator with a
    month's figure, no target line (targets are set for areas); the page prints the same
    numbers in its months' table."""
    return [chart_spec(f.indicator, f.months) for f in figures if any(v is not None for v in f.months)]
