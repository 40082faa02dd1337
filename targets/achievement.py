"""How a figure stands against its target: the achievement (actual ÷ target), the progress
expected by now, and the traffic light (红绿灯) whose thresholds are data (`TrafficLight`).

Small pure functions, so the rules are tested against tables of cases:

- achievement = actual ÷ target × 100, one decimal; none without a target or with a zero
  target (a town given nothing to do divides by nothing);
- the expected progress of a flow (a count or a sum over the year) is linear: by the end of
  the current month, month ÷ 12 of the target; a past year expects all of it, a future one
  nothing yet. A stock (certified persons today) and a share (coverage 90 %) are measured
  against the whole target at any time;
- the light compares the actual with the expected progress: at least `green_from` percent
  of it is green, at least `amber_from` amber, below that red; none without a target, with
  a zero target, or before anything is expected.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from canlian.indicators import Indicator

ONE_DECIMAL = Decimal("0.1")


class Light:
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    LABELS = {GREEN: "绿灯：进度达标", AMBER: "黄灯：进度稍慢", RED: "红灯：进度落后"}


@dataclass(frozen=True)
class Thresholds:
    green_from: Decimal = Decimal(100)
    amber_from: Decimal = Decimal(80)


def year_share(year: int, today: datetime.date) -> Decimal:
    """The share of `year` a flow's target expects by now: month ÷ 12 of the current year
    (linear, to the end of the current month), 1 for a past year, 0 for one to come."""
    if year < today.year:
        return Decimal(1)
    if year > today.year:
        return Decimal(0)
    return Decimal(today.month) / Decimal(12)


def expected(indicator: Indicator, target: Decimal | None, share: Decimal) -> Decimal | None:
    """The part of the target expected by now, in the indicator's unit."""
    if target is None:
        return None
    if indicator.is_stock or indicator.is_share:
        return target
    return target * share


def achievement(value: Decimal | None, target: Decimal | None) -> Decimal | None:
    """Actual ÷ target in percent, one decimal (may pass 100); None with no figure, no
    target or a zero target."""
    if value is None or not target:
        return None
    return (value * 100 / target).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def light(value: Decimal | None, expected_now: Decimal | None, thresholds: Thresholds) -> str | None:
    """The traffic light of a figure against its expected progress, or None."""
    if value is None or not expected_now:
        return None
    percent = value * 100 / expected_now
    if percent >= thresholds.green_from:
        return Light.GREEN
    if percent >= thresholds.amber_from:
        return Light.AMBER
    return Light.RED


def thresholds_by_indicator() -> tuple[Thresholds, dict[str, Thresholds]]:
    """The default thresholds and each indicator's own, from the `TrafficLight` rows."""
    from targets.models import TrafficLight

    default, own = Thresholds(), {}
    for row in TrafficLight.objects.all():
        thresholds = Thresholds(row.green_from, row.amber_from)
        if row.indicator:
            own[row.indicator] = thresholds
        else:
            default = thresholds
    return default, own
