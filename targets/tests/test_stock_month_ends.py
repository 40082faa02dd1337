"""The certified persons of the months before a district's first refresh: each month-end
read back from the status events, so the series starts at go-live and not in December.
The year selector offers every year with records, computed when first chosen."""

import datetime

from django.urls import reverse

from targets.models import IndicatorRefresh, IndicatorValue
from targets.services import indicators_refresh, stock_month_ends_record
from targets.tests.conftest import YEAR

BAISHA, HETANG, DISTRICT = "440703002000", "440703102000", "440703000000"


def stock(year: int = YEAR) -> dict[tuple[str, int], int]:
    rows = IndicatorValue.objects.filter(indicator="certified_persons", year=year)
    return {(v.area_code, v.month): v.value for v in rows}


def test_past_month_ends_are_read_back_from_the_events(paid_year):
    # The woman of 荷塘 died on 15 February: counted at the end of January only.
    written = stock_month_ends_record(year=YEAR, today=datetime.date(YEAR, 7, 15))
    expected = {(HETANG, 1): 2, (BAISHA, 1): 1, (DISTRICT, 1): 3}
    for number in range(2, 7):
        expected |= {(HETANG, number): 1, (BAISHA, number): 1, (DISTRICT, number): 2}
    # Every stock with month-ends read back is written (the employed share too).
    assert stock() == expected and written == IndicatorValue.objects.filter(year=YEAR).count()


def test_a_month_with_a_stored_figure_keeps_it(paid_year):
    IndicatorValue.objects.create(
        indicator="certified_persons",
        year=YEAR,
        month=1,
        area_code=DISTRICT,
        value=7,
        computed_at=datetime.datetime.now(datetime.UTC),
    )
    stock_month_ends_record(year=YEAR, today=datetime.date(YEAR, 3, 1))
    assert stock()[(DISTRICT, 1)] == 7 and stock()[(DISTRICT, 2)] == 2
    assert (BAISHA, 1) not in stock()  # January was recorded, for the district, by a refresh


# A fixed day in July: six past months, whatever the day the suite runs.
JULY = datetime.date(YEAR, 7, 15)


def test_the_current_months_refresh_leaves_the_past_months(paid_year):
    stock_month_ends_record(year=YEAR, today=JULY)
    before = {k: v for k, v in stock().items() if k[1] != JULY.month}
    indicators_refresh(year=YEAR, keys=["certified_persons"], today=JULY)
    after = {k: v for k, v in stock().items() if k[1] not in (JULY.month, 0)}
    # The district and its two towns, January to June.
    assert after == before and len(before) == 3 * 6


def test_the_seed_command_records_the_past_month_ends(paid_year, capsys, monkeypatch):
    from django.core.management import call_command
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: JULY)
    call_command("seed_targets")
    assert {m for _, m in stock()} == set(range(1, 7))
    assert "补记往月月末数" in capsys.readouterr().out


def test_the_year_selector_offers_every_year_with_records_and_computes_it_when_chosen(login, users, paid_year):
    client = login(users["leader"])
    page = client.get(reverse("targets:dashboard")).content.decode()
    assert f'<option value="{YEAR}">{YEAR} 年</option>' in page
    assert not IndicatorRefresh.objects.filter(year=YEAR).exists()
    page = client.get(reverse("targets:dashboard"), {"year": YEAR}).content.decode()
    assert IndicatorRefresh.objects.filter(year=YEAR).exists()
    # 白沙's nursing recipients of that year: computed on demand, shown.
    assert IndicatorValue.objects.filter(indicator="nursing_recipients", year=YEAR, month=0, area_code=BAISHA).exists()
    assert f'<option value="{YEAR}" selected>' in page
    assert stock()[(DISTRICT, 12)] == 2


def test_a_past_year_is_computed_in_the_background_and_the_page_says_so(login, users, paid_year, settings):
    # With a queue that holds the task, the page does not wait for the year's figures.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    page = login(users["leader"]).get(reverse("targets:dashboard"), {"year": YEAR}).content.decode()
    assert 'id="year-computing"' in page and f"{YEAR} 年的数值正在后台计算" in page
    assert not IndicatorRefresh.objects.filter(year=YEAR).exists()
