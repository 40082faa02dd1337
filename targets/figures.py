"""Every figure of a year as the dashboard shows it, one row per indicator, area and month:
what `manage.py indicator_values` writes (header 指标代码,区划代码,月份,值).

- 区划代码 is the significant part of the area code: 6 digits for the district, 9 for a
  town (the stored figures carry the 12-digit code);
- 月份 is "2026-05", or empty for the whole year;
- 值 is formatted as the dashboard prints it, without thousands separators: a count as an
  integer, 元 with two decimals, a share in percent with one decimal. A figure the
  dashboard shows as "—" (a month to come, a share of nothing) has no row.

Rows are sorted by the first three columns, as text, so the whole year's row (empty month)
of an area comes before its months. Reads the stored figures: run the refresh first
(`--refresh`) for figures of this minute."""

import datetime
from collections.abc import Iterator
from decimal import Decimal

from django.utils import timezone

from targets.indicators import INDICATORS, Indicator
from targets.models import WHOLE_YEAR, IndicatorRefresh, IndicatorValue
from targets.selectors import MONTHS, last_month_of, shown_value
from targets.services import TOWN_DIGITS, district_code, target_areas

HEADER = ("指标代码", "区划代码", "月份", "值")
DISTRICT_DIGITS = 6


def area_label(code: str, district: str) -> str:
    """The 6-digit district or the 9-digit town of a 12-digit code."""
    return code[:DISTRICT_DIGITS] if code == district else code[:TOWN_DIGITS]


def value_text(indicator: Indicator, value: Decimal) -> str:
    if indicator.is_money:
        return f"{value:.2f}"
    if indicator.is_share:
        return f"{value:.1f}"
    return f"{value:.0f}" if value == value.to_integral_value() else f"{value:.2f}"


def figure_rows(*, year: int, month: int | None = None, today: datetime.date | None = None) -> Iterator[tuple]:
    """(指标代码, 区划代码, 月份, 值) of every indicator, for the district and each current
    town, for `month` only or for the whole year and each of its months; sorted."""
    today = today or timezone.localdate()
    district = district_code()
    areas = [a.code for a in target_areas()]
    months = [month] if month else [WHOLE_YEAR, *MONTHS]
    stored = {
        (v.indicator, v.area_code, v.month): v
        for v in IndicatorValue.objects.filter(year=year, area_code__in=areas, month__in=months)
    }
    computed = set(
        IndicatorRefresh.objects.filter(year=year, computed_at__isnull=False).values_list("indicator", flat=True)
    )
    last_month = last_month_of(year, today)
    rows = []
    for indicator in INDICATORS.values():
        for code in areas:
            for number in months:
                value = shown_value(
                    indicator, stored.get((indicator.key, code, number)), number, indicator.key in computed, last_month
                )
                if value is None:
                    continue
                label = "" if number == WHOLE_YEAR else f"{year}-{number:02d}"
                rows.append((indicator.key, area_label(code, district), label, value_text(indicator, value)))
    rows.sort(key=lambda row: row[:3])
    yield from rows
