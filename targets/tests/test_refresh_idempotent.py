"""Refreshing twice gives the same figures; a refresh removes the figures whose records are
gone; each refresh is recorded with its time."""

import datetime

from targets.indicators import INDICATORS
from targets.models import IndicatorRefresh, IndicatorValue
from targets.services import indicators_refresh
from targets.tests.conftest import YEAR


def snapshot() -> set[tuple]:
    return set(IndicatorValue.objects.values_list("indicator", "year", "month", "area_code", "value", "base"))


def test_a_second_refresh_changes_nothing(paid_year):
    this_year = datetime.date.today().year
    for year in (YEAR, this_year):
        indicators_refresh(year=year)
    first = snapshot()
    assert {row[1] for row in first} == {YEAR, this_year}
    for year in (YEAR, this_year):
        indicators_refresh(year=year)
    assert snapshot() == first
    # Every indicator of this year; last year's without the stocks, counted only as of now.
    stocks = sum(1 for indicator in INDICATORS.values() if indicator.is_stock)
    assert stocks >= 1
    assert IndicatorRefresh.objects.filter(year=this_year).count() == len(INDICATORS)
    assert IndicatorRefresh.objects.filter(year=YEAR).count() == len(INDICATORS) - stocks
    assert all(r.computed_at for r in IndicatorRefresh.objects.all())


def test_a_figure_whose_rows_are_gone_is_removed(paid_year):
    indicators_refresh(year=YEAR, keys=["nursing_recipients"])
    assert IndicatorValue.objects.filter(indicator="nursing_recipients", year=YEAR).exists()
    IndicatorValue.objects.filter(indicator="nursing_recipients").update(value=999)
    from benefits.models import PaymentMonth

    PaymentMonth.objects.all().delete()
    indicators_refresh(year=YEAR, keys=["nursing_recipients"])
    assert not IndicatorValue.objects.filter(indicator="nursing_recipients", year=YEAR).exists()


def test_the_command_refreshes_a_year(paid_year, capsys):
    from django.core.management import call_command

    call_command("refresh_indicators", year=YEAR, indicator=["nursing_amount"])
    assert "护理补贴发放金额" in capsys.readouterr().out
    assert IndicatorValue.objects.filter(indicator="nursing_amount", year=YEAR).count() == 11


def test_an_approval_recomputes_its_month_and_the_full_refresh_then_changes_nothing(
    paid_year, users, django_capture_on_commit_callbacks
):
    """The April batch left a draft: approving it refreshes April in every town (the money
    adds its months up, the distinct recipients read the year), as a full refresh would."""
    from benefits.models import PayrollBatch
    from benefits.payroll import payroll_approve

    indicators_refresh(year=YEAR, source="payroll")
    draft = PayrollBatch.objects.get(state=PayrollBatch.State.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        payroll_approve(batch=draft, user=users["reviewer"], version=draft.version)
    amount = {
        (v.area_code, v.month): v.value
        for v in IndicatorValue.objects.filter(indicator="nursing_amount", year=YEAR, month__in=[0, 4])
    }
    rate = PayrollBatch.objects.get(pk=draft.pk).total_fen
    assert amount[("440703102000", 4)] == amount[("440703000000", 4)] == rate  # 陈建国, now in 荷塘
    assert amount[("440703000000", 0)] == sum(
        v.value
        for v in IndicatorValue.objects.filter(indicator="nursing_amount", year=YEAR, area_code="440703000000")
        if v.month
    )
    assert {r.indicator: r.changed for r in indicators_refresh(year=YEAR, source="payroll") if r.changed} == {}
