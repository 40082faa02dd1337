"""Recording a delivery: once per person on the list, in the campaign's period and the
person's life; a second delivery, a person not on the list, a number outside the scope are
each refused with a Chinese message and write nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import make_person
from outreach.campaigns import NOT_FOUND, delivery_record, delivery_void, person_by_id_number
from outreach.models import CampaignDelivery

from .conftest import DAY, TODAY


@pytest.fixture
def deliver(users):
    def _deliver(campaign, person, *, by="officer", day=TODAY, deliverer="社区 林姐"):
        return delivery_record(user=users[by], campaign=campaign, person=person, delivered_on=day, deliverer=deliverer)

    return _deliver


def test_a_delivery_is_recorded_once(campaign_for, person, deliver):
    campaign = campaign_for()
    delivery = deliver(campaign, person)
    assert (delivery.area_code, delivery.deliverer, delivery.delivered_on) == (person.area_id, "社区 林姐", TODAY)
    with pytest.raises(ValidationError) as refused:
        deliver(campaign, person, day=TODAY - DAY)
    assert refused.value.messages == [f"该人员已于 {TODAY:%Y-%m-%d} 领取过“生活爱心包”，不能重复发放"]
    assert CampaignDelivery.objects.count() == 1


def test_after_a_void_the_right_delivery_can_be_recorded(users, campaign_for, person, deliver):
    campaign = campaign_for()
    delivery_void(user=users["officer"], delivery=deliver(campaign, person), reason="发错人")
    deliver(campaign, person, day=TODAY - DAY)
    assert CampaignDelivery.objects.standing().get().delivered_on == TODAY - DAY


def test_a_person_not_on_the_list_is_refused(areas, campaign_for, person, deliver):
    dibao = campaign_for("dibao_tekun")
    with pytest.raises(ValidationError) as refused:
        deliver(dibao, person)
    assert refused.value.messages == ["该人员不在“生活爱心包”的发放名单内，不能发放"]
    everyone = campaign_for(name="全民爱心包")
    certified_since = make_person(areas["baisha_a"], name="周新证", sequence=139)
    with pytest.raises(ValidationError, match="不在“全民爱心包”的发放名单内"):
        deliver(everyone, certified_since)
    assert not CampaignDelivery.objects.exists()


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (TODAY - 31 * DAY, f"发放日期应在活动期间（{TODAY - 30 * DAY:%Y-%m-%d} 至 {TODAY + 30 * DAY:%Y-%m-%d}）"),
        (TODAY + DAY, "发放日期不能晚于今天"),
    ],
)
def test_a_day_outside_the_period_or_in_the_future_is_refused(campaign_for, person, deliver, day, message):
    campaign = campaign_for()
    with pytest.raises(ValidationError) as refused:
        deliver(campaign, person, day=day)
    assert refused.value.messages == [message]
    assert not CampaignDelivery.objects.exists()


def test_a_campaign_not_started_takes_no_delivery(campaign_for, person, deliver):
    with pytest.raises(ValidationError, match="尚未启动"):
        deliver(campaign_for(start=False), person)


def test_a_person_who_died_is_refused_after_the_death(users, campaign_for, person, deliver):
    from registry.services import person_event_record

    campaign = campaign_for()
    person_event_record(user=users["officer"], person=person, kind="death", date=TODAY - 2 * DAY)
    with pytest.raises(ValidationError, match="死亡，发放日期不能晚于此日期"):
        deliver(campaign, person)


def test_another_towns_person_is_not_found_and_a_leader_never_delivers(users, campaign_for, person, other_person):
    campaign = campaign_for()
    with pytest.raises(ValidationError) as refused:
        person_by_id_number(users["officer"], other_person.id_number)
    assert refused.value.messages == [NOT_FOUND]
    with pytest.raises(ValidationError, match="身份证号有误"):
        person_by_id_number(users["officer"], "4407031980")
    assert person_by_id_number(users["officer"], f" {person.id_number.lower()} ") == person
    with pytest.raises(PermissionDenied):
        delivery_record(user=users["leader"], campaign=campaign, person=person, delivered_on=TODAY, deliverer="x")
    assert not CampaignDelivery.objects.exists()
