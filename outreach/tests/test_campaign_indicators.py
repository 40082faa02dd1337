"""The campaign indicators: gifts delivered in the year by the town and month of delivery,
and the share of the year's campaign lists delivered (a stock, with its base)."""

from outreach.campaigns import delivery_record, delivery_void
from targets.models import WHOLE_YEAR, IndicatorValue
from targets.services import indicators_refresh

from .conftest import TODAY

DISTRICT, BAISHA, HETANG = "440703000000", "440703002000", "440703102000"


def values(key: str, year: int = TODAY.year) -> dict[tuple[str, int], tuple[int, int | None]]:
    rows = IndicatorValue.objects.filter(indicator=key, year=year)
    return {(v.area_code, v.month): (v.value, v.base) for v in rows}


def test_deliveries_and_the_delivered_share_per_town(users, person, other_person, campaign_for):
    campaign = campaign_for()
    delivery_record(user=users["officer"], campaign=campaign, person=person, delivered_on=TODAY, deliverer="林姐")
    voided = delivery_record(
        user=users["other_officer"], campaign=campaign, person=other_person, delivered_on=TODAY, deliverer="黄伯"
    )
    delivery_void(user=users["other_officer"], delivery=voided, reason="发错人")
    # The share is the year the campaign started in (30 days ago: last year in January).
    started = campaign.starts_on.year
    indicators_refresh(year=TODAY.year, keys=["outreach_deliveries"])
    indicators_refresh(year=started, keys=["outreach_delivered_share"])
    delivered, share = values("outreach_deliveries"), values("outreach_delivered_share", started)
    assert delivered[(BAISHA, TODAY.month)] == delivered[(DISTRICT, WHOLE_YEAR)] == (1, None)
    assert (HETANG, WHOLE_YEAR) not in delivered
    assert share[(BAISHA, WHOLE_YEAR)] == (1, 1)
    assert share[(HETANG, WHOLE_YEAR)] == (0, 1)
    assert share[(DISTRICT, WHOLE_YEAR)] == (1, 2)
