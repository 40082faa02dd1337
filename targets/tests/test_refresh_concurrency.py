"""Two refreshes of the same figures at once take turns on the indicator's lock: both
succeed and leave one set of figures (PostgreSQL: concurrent transactions; SQLite, the
demo's database, serialises all writers anyway)."""

import pytest
from django.db import connection

from benefits.tests.test_payroll_concurrency import run_together
from targets.models import IndicatorValue
from targets.services import indicators_refresh
from targets.tests.conftest import YEAR

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions (PostgreSQL)"),
]


def test_two_refreshes_at_once_leave_one_set_of_figures(paid_year):
    keys = ["nursing_recipients", "nursing_amount"]
    outcomes = run_together(
        lambda: indicators_refresh(year=YEAR, keys=keys), lambda: indicators_refresh(year=YEAR, keys=keys)
    )
    assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
    figures = IndicatorValue.objects.filter(year=YEAR)
    assert figures.count() == 2 * 11
    assert len(set(figures.values_list("indicator", "month", "area_code"))) == 2 * 11
