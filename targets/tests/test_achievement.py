"""Achievement, the progress expected by now and the traffic light, against tables of
cases; a zero target divides by nothing."""

import datetime
from decimal import Decimal

import pytest

from canlian.indicators import Indicator, Measure, Unit
from targets.achievement import Light, Thresholds, achievement, expected, light, year_share


def _flow(year):
    return Measure(rows=None, area="area_code", month="day", value=None)


def _stock(year):
    return Measure(rows=None, area="area_code", month=None, value=None)


FLOW = Indicator("flow", "流量", Unit.PERSON_TIMES, "test", _flow)
STOCK = Indicator("stock", "存量", Unit.PERSONS, "test", _stock)
SHARE = Indicator("share", "比例", Unit.SHARE, "test", _flow)


@pytest.mark.parametrize(
    ("year", "today", "share"),
    [
        (2026, datetime.date(2026, 1, 15), Decimal(1) / 12),
        (2026, datetime.date(2026, 6, 1), Decimal(6) / 12),
        (2026, datetime.date(2026, 12, 31), Decimal(1)),
        (2025, datetime.date(2026, 3, 1), Decimal(1)),
        (2027, datetime.date(2026, 3, 1), Decimal(0)),
    ],
)
def test_the_year_share_is_linear_by_the_current_month(year, today, share):
    assert year_share(year, today) == share


@pytest.mark.parametrize(
    ("value", "target", "want"),
    [
        (Decimal(1800), Decimal(1800), Decimal("100.0")),
        (Decimal(910), Decimal(9100), Decimal("10.0")),
        (Decimal(2), Decimal(3), Decimal("66.7")),
        (Decimal(200), Decimal(170), Decimal("117.6")),
        (Decimal(5), Decimal(0), None),  # a town with a zero target: no division
        (Decimal(0), Decimal(0), None),
        (None, Decimal(10), None),
        (Decimal(5), None, None),
    ],
)
def test_achievement_is_actual_over_target_in_percent(value, target, want):
    assert achievement(value, target) == want


def test_a_flow_expects_its_share_of_the_year_a_stock_and_a_share_the_whole_target():
    half = Decimal(6) / 12
    assert expected(FLOW, Decimal(1800), half) == Decimal(900)
    assert expected(STOCK, Decimal(9100), half) == Decimal(9100)
    assert expected(SHARE, Decimal(90), half) == Decimal(90)
    assert expected(FLOW, None, half) is None
    assert expected(FLOW, Decimal(0), half) == Decimal(0)


@pytest.mark.parametrize(
    ("value", "expected_now", "want"),
    [
        (Decimal(900), Decimal(900), Light.GREEN),
        (Decimal(901), Decimal(900), Light.GREEN),
        (Decimal(720), Decimal(900), Light.AMBER),  # exactly 80 %
        (Decimal(719), Decimal(900), Light.RED),
        (Decimal(0), Decimal(900), Light.RED),
        (Decimal(5), Decimal(0), None),  # zero target: no light
        (None, Decimal(900), None),
        (Decimal(5), None, None),
    ],
)
def test_the_default_light_is_green_at_the_expected_progress_amber_from_80_percent(value, expected_now, want):
    assert light(value, expected_now, Thresholds()) == want


def test_the_thresholds_are_data(db):
    from targets.achievement import thresholds_by_indicator
    from targets.models import TrafficLight

    default, own = thresholds_by_indicator()
    assert default == Thresholds(Decimal(100), Decimal(80)) and own == {}  # the migration's row
    TrafficLight.objects.create(indicator="rehab_coverage", green_from=Decimal(95), amber_from=Decimal(90))
    TrafficLight.objects.filter(indicator="").update(amber_from=Decimal(50))
    default, own = thresholds_by_indicator()
    assert default.amber_from == Decimal(50)
    assert light(Decimal(92), Decimal(100), own["rehab_coverage"]) == Light.AMBER
    assert light(Decimal(92), Decimal(100), default) == Light.AMBER
    assert light(Decimal(60), Decimal(100), default) == Light.AMBER
    assert light(Decimal(60), Decimal(100), own["rehab_coverage"]) == Light.RED
