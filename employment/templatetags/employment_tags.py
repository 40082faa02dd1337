"""Display helpers of the employment pages."""

from django import template

register = template.Library()


@register.filter
def yuan(fen: int | None) -> str:
    """An amount in fen as 元 with two decimals and thousands separators: 500000 → 5,000.00."""
    if fen is None:
        return "—"
    return f"{fen // 100:,}.{fen % 100:02d}"
