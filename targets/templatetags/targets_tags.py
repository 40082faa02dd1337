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
