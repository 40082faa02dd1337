from django import template

from benefits.exports import yuan as yuan_text

register = template.Library()


@register.filter
def yuan(fen: int | None) -> str:
    """Fen as 元 with two decimals (12345 → 123.45)."""
    return yuan_text(fen)
