from decimal import Decimal

from django import template

from targets.indicators import Indicator

register = template.Library()


@register.simple_tag
def shown(indicator: Indicator, value: Decimal | None) -> str:
    """A figure as the page prints it: 9,100 persons, 1,234.56 元, 90.5 %; — for none."""
    if value is None:
        return "—"
    if indicator.is_money:
        return f"{value:,.2f}"
    if indicator.is_share:
        return f"{value:.1f}"
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"


@register.simple_tag(takes_context=True)
def records_url(context, figure, month: int | None = None) -> str:
    """The drill-down of a figure (`month` None: its year), or "" where there is none or
    the user may not see the records behind it (a leader: no names)."""
    from django.urls import reverse

    from targets.drilldown import drillable

    if not context.get("may_see_records") or not figure.value:
        return ""
    year = context["year"]
    if not drillable(figure.indicator, year, month):
        return ""
    query = f"?area={figure.area.code}&year={year}" + (f"&month={month}" if month else "")
    return reverse("targets:records", args=[figure.indicator.key]) + query


@register.simple_tag
def progress_rows(figure) -> list[tuple[int, Decimal | None, Decimal | None, Decimal | None]]:
    """The progress chart's table: (month, the month's figure, the chart's actual — the
    cumulative where months add up — and the target line), from `exports.progress` as the
    chart's data is."""
    from targets.exports import progress

    actual, target = progress(figure)
    return list(zip(range(1, 13), figure.months, actual, target, strict=True))


@register.simple_tag
def town_figures(board, indicator) -> list:
    from targets.exports import town_figures as figures

    return figures(board, indicator)


@register.filter
def is_additive(indicator) -> bool:
    from targets.exports import is_additive as additive

    return additive(indicator.key)
