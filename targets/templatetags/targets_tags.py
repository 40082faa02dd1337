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
