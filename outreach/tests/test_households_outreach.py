"""Outreach counts households (户), not persons: two visited members of one household are
one household visited, and a campaign of one gift per household (每户一份) refuses a second
member of a household that received it, on the page's path and in the import."""

import pytest
from django.core.exceptions import ValidationError

from conftest import make_person
from outreach.campaigns import delivery_record
from outreach.models import CampaignDelivery, HomeVisit
from outreach.selectors import visit_summary
from registry.tests.households import household_of_two
from targets.models import WHOLE_YEAR, IndicatorValue
from targets.services import indicators_refresh

from .conftest import DAY, TODAY


@pytest.fixture
def two_members(users, areas, person):
    _, second = household_of_two(users, areas, person)
    return person, second


@pytest.fixture
def per_household(users):
    from outreach.campaigns import campaign_create, campaign_start

    campaign = campaign_create(
        user=users["admin"],
        name="每户爱心包",
        gift="米、油一份",
        starts_on=TODAY - 30 * DAY,
        ends_on=TODAY + 30 * DAY,
        rule="certified",
        per_household=True,
    )
    campaign_start(user=users["admin"], campaign=campaign)
    return campaign


def test_two_visited_members_of_one_household_are_one_household(two_members, areas, visit_for):
    lone = make_person(areas["baisha_a"], name="孤单人", sequence=555)
    for member in (*two_members, lone):
        visit_for(member, days_ago=0)
    assert visit_summary(HomeVisit.objects.all()).households == 2
    indicators_refresh(year=TODAY.year, keys=["outreach_households_visited"])
    value = IndicatorValue.objects.get(
        indicator="outreach_households_visited", year=TODAY.year, area_code="440703000000", month=WHOLE_YEAR
    )
    assert value.value == 2


def test_a_second_member_of_a_household_is_refused_a_per_household_gift(users, two_members, per_household):
    first, second = two_members
    deliver = {"user": users["officer"], "campaign": per_household, "delivered_on": TODAY, "deliverer": "林姐"}
    delivery_record(person=first, **deliver)
    with pytest.raises(ValidationError) as refused:
        delivery_record(person=second, **deliver)
    assert "每户一份" in refused.value.messages[0] and first.name in refused.value.messages[0]
    assert CampaignDelivery.objects.count() == 1


def test_a_campaign_per_person_gives_every_member_one(users, two_members, campaign_for):
    campaign = campaign_for()
    for member in two_members:
        delivery_record(user=users["officer"], campaign=campaign, person=member, delivered_on=TODAY, deliverer="林姐")
    assert CampaignDelivery.objects.count() == 2


def test_the_import_refuses_the_second_member_of_the_file(users, two_members, per_household, tmp_path):
    from outreach.imports import DeliveryImporter
    from registry.tests.workbooks import write_workbook

    headers = [c.header for c in DeliveryImporter.columns]
    cells = {"活动名称": per_household.name, "发放日期": TODAY, "发放人": "林姐"}
    rows = [{headers[0]: m.id_number, **cells} for m in two_members]
    path = write_workbook(tmp_path / "发放.xlsx", rows, headers)
    result = DeliveryImporter(user=users["officer"], source_name="发放.xlsx").run(path)
    assert (result.created, result.rejected_count) == (1, 1)
    assert "每户一份" in result.rejected[0].reasons[0].message
