"""Indicators (指标), read only: the dashboard's figures of a year for each area the caller
may see, against the year's targets (targets.selectors.board)."""

import datetime
from decimal import Decimal

from django.utils import timezone
from ninja import Router, Schema

from api.access import require_perms
from api.errors import ApiError
from targets.selectors import board

router = Router(tags=["指标"])


class FigureOut(Schema):
    indicator: str
    name: str
    unit: str
    area_code: str
    area_name: str
    value: Decimal | None
    target: Decimal | None
    progress_percent: int | None
    months: list[Decimal | None]
    computed_at: datetime.datetime | None


class IndicatorsOut(Schema):
    year: int
    figures: list[FigureOut]


@router.get("/indicators", response=IndicatorsOut, summary="年度指标")
def indicator_list(request, year: int | None = None):
    """The figures of `year` (this year by default): the caller's own area with its months,
    and each town of their scope (the district too for a district user), as the dashboard.
    A figure is null where it has not been computed."""
    require_perms(request, "targets.view_indicatorvalue")
    this_year = timezone.localdate().year
    year = this_year if year is None else year
    if not 2000 <= year <= this_year + 1:
        raise ApiError(400, "invalid", f"年度应在 2000–{this_year + 1} 之间")
    shown = board(request.user, year)
    figures = []
    for indicator in shown.indicators:
        for area in shown.areas:
            figure = shown.figure(indicator, area)
            figures.append(
                {
                    "indicator": indicator.key,
                    "name": indicator.name,
                    "unit": indicator.unit,
                    "area_code": area.code,
                    "area_name": area.name,
                    "value": figure.value,
                    "target": figure.target,
                    "progress_percent": figure.progress,
                    "months": figure.months,
                    "computed_at": figure.computed_at,
                }
            )
    return {"year": year, "figures": figures}
