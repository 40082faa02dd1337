"""Child rehabilitation assistance as indicators: children assisted (each once) and the
amount, from standing records only, by the town and month of the service."""

import datetime

from rehab.services_children import child_record, child_record_void
from rehab.tests.conftest import TODAY
from targets.models import WHOLE_YEAR, IndicatorValue
from targets.services import indicators_refresh

BAISHA, DISTRICT = "440703002000", "440703000000"


def _values(key):
    return {(v.area_code, v.month): v.value for v in IndicatorValue.objects.filter(indicator=key, year=TODAY.year)}


def test_children_assisted_and_amount(users, placed):
    application = placed()
    officer = users["officer"]
    first = child_record(
        user=officer, application=application, served_on=TODAY, content="听觉言语训练", sessions=4, amount_fen=200_000
    )
    child_record(
        user=officer, application=application, served_on=TODAY, content="助听器验配", sessions=1, amount_fen=300_000
    )
    voided = child_record(
        user=officer, application=application, served_on=TODAY, content="重复登记", sessions=1, amount_fen=100_000
    )
    child_record_void(user=officer, record=voided, reason="重复")
    indicators_refresh(year=TODAY.year, keys=["child_rehab_children", "child_rehab_amount"])
    children = _values("child_rehab_children")
    assert children[(BAISHA, WHOLE_YEAR)] == children[(DISTRICT, WHOLE_YEAR)] == 1
    assert children[(BAISHA, TODAY.month)] == 1
    amount = _values("child_rehab_amount")
    assert amount[(DISTRICT, WHOLE_YEAR)] == amount[(BAISHA, TODAY.month)] == 500_000
    assert first.amount_fen == 200_000 and datetime.date.today().year == TODAY.year
