"""The workshop indicators (members at month end, income paid in the period, sales in the
period) per town, and a member's timeline entries."""

import pytest

from targets.models import WHOLE_YEAR, IndicatorValue
from targets.services import indicators_refresh
from workshops.models import Channel
from workshops.panels import timeline
from workshops.services import Entry, month_save, sale_record
from workshops.tests.conftest import LAST_MONTH, TODAY

pytestmark = pytest.mark.django_db
DISTRICT, BAISHA, HETANG = "440703000000", "440703002000", "440703102000"


def values(key: str, year: int) -> dict:
    return {(v.area_code, v.month): v.value for v in IndicatorValue.objects.filter(indicator=key, year=year)}


def test_members_income_and_sales_per_town(users, workshop, other_workshop, members, other_member):
    month_save(
        user=users["admin"], workshop=workshop, month=LAST_MONTH, entries={members[0].person_id: Entry(20, 80000)}
    )
    sale_record(user=users["admin"], workshop=other_workshop, channel=Channel.EVENT, sold_on=TODAY, amount_fen=12300)
    indicators_refresh(year=TODAY.year, keys=["workshop_members", "workshop_sales"])
    indicators_refresh(year=LAST_MONTH.year, keys=["workshop_income"])
    members_now = values("workshop_members", TODAY.year)
    assert members_now[(BAISHA, WHOLE_YEAR)] == 3 and members_now[(HETANG, WHOLE_YEAR)] == 1
    assert members_now[(DISTRICT, WHOLE_YEAR)] == 4
    income = values("workshop_income", LAST_MONTH.year)
    assert income[(BAISHA, LAST_MONTH.month)] == income[(DISTRICT, WHOLE_YEAR)] == 80000
    sales = values("workshop_sales", TODAY.year)
    assert sales[(HETANG, WHOLE_YEAR)] == 12300 and (BAISHA, WHOLE_YEAR) not in sales


def test_a_members_timeline_has_joining_and_each_month(users, workshop, members):
    month_save(
        user=users["admin"], workshop=workshop, month=LAST_MONTH, entries={members[0].person_id: Entry(20, 80000)}
    )
    entries = list(timeline(members[0].person, users["officer"]))
    assert [(e.kind, e.title) for e in entries] == [
        ("workshop_member", "进入车间：白沙就业爱心车间"),
        ("workshop_month", f"{LAST_MONTH:%Y-%m} 白沙就业爱心车间：工作 20 天"),
    ]
    assert entries[1].detail == "收入 800.00 元"
    assert list(timeline(members[0].person, users["leader"])) == []
