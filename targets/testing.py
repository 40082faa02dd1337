"""For tests: the figures a refresh stored, as the known-answer tests read them."""

from targets.models import IndicatorValue

DISTRICT, BAISHA, HETANG = "440703000000", "440703002000", "440703102000"


def stored_figures(keys, year: int) -> dict[str, dict[tuple[str, int], int]]:
    """Each indicator's stored non-zero figures of `year`, by (area code, month; 0 the year)."""
    got: dict[str, dict[tuple[str, int], int]] = {key: {} for key in keys}
    for v in IndicatorValue.objects.filter(indicator__in=keys, year=year).exclude(value=0):
        got[v.indicator][(v.area_code, v.month)] = v.value
    return got
