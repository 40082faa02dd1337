"""A campaign's target list: the rule's persons when it starts, frozen in one set-based
statement; persons certified later are added on request; only a district user decides."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from canlian.models import AuditEntry
from conftest import make_person
from outreach.campaigns import campaign_create, campaign_start, campaign_targets_add
from outreach.models import Campaign, CampaignTarget
from registry.services import person_event_record

from .conftest import DAY, TODAY


def on_list(campaign) -> set[str]:
    return set(CampaignTarget.objects.filter(campaign=campaign).values_list("person__name", flat=True))


@pytest.fixture
def registry(areas, person, other_person):
    """陈建国 (白沙) and 李秀英 (荷塘) plus: a 低保 person, a 特困 one living alone, one who
    died, one whose certificate expired."""
    return {
        "dibao": make_person(areas["baisha_b"], name="王低保", sequence=131, economic_status="dibao"),
        "tekun": make_person(areas["hetang_b"], name="赵特困", sequence=133, economic_status="tekun", lives_alone=True),
        "dead": make_person(areas["baisha_a"], name="钱已故", sequence=135, status="deceased", status_date=TODAY),
        "expired": make_person(areas["baisha_a"], name="孙过期", sequence=137, certificate_valid_until=TODAY - DAY),
    }


@pytest.mark.parametrize(
    ("rule", "names"),
    [
        ("certified", {"陈建国", "李秀英", "王低保", "赵特困"}),
        ("dibao_tekun", {"王低保", "赵特困"}),
        ("living_alone", {"赵特困"}),
    ],
)
def test_starting_freezes_the_rules_persons(campaign_for, registry, rule, names):
    campaign = campaign_for(rule)
    assert on_list(campaign) == names
    target = CampaignTarget.objects.get(campaign=campaign, person=registry["tekun"])
    assert (target.area_code, target.added_on, target.added_by) == (registry["tekun"].area_id, TODAY, None)


def test_the_list_stays_frozen_and_persons_certified_later_are_added_on_request(users, areas, campaign_for, registry):
    campaign = campaign_for("dibao_tekun")
    newcomer = make_person(areas["baisha_a"], name="周新证", sequence=139, economic_status="dibao")
    person_event_record(user=users["admin"], person=registry["dibao"], kind="economic", date=TODAY, value="none")
    assert on_list(campaign) == {"王低保", "赵特困"}
    assert campaign_targets_add(user=users["admin"], campaign=campaign) == 1
    assert on_list(campaign) == {"王低保", "赵特困", "周新证"}
    assert CampaignTarget.objects.get(person=newcomer).added_by == users["admin"]
    assert campaign_targets_add(user=users["admin"], campaign=campaign) == 0
    entry = AuditEntry.objects.get(action="outreach.campaign.targets_added")
    assert entry.data == {"added": 1}


def test_a_campaign_starts_once_and_is_audited(users, campaign_for, registry):
    campaign = campaign_for()
    with pytest.raises(ValidationError, match="已于 .* 启动"):
        campaign_start(user=users["admin"], campaign=Campaign.objects.get(pk=campaign.pk))
    assert CampaignTarget.objects.filter(campaign=campaign).count() == 4
    assert AuditEntry.objects.get(action="outreach.campaign.started").data == {"targets": 4}


def test_only_a_district_user_creates_or_starts_a_campaign(users, campaign_for, registry):
    draft = campaign_for(start=False)
    with pytest.raises(PermissionDenied):
        campaign_start(user=users["officer"], campaign=draft)
    with pytest.raises(PermissionDenied):
        campaign_create(
            user=users["officer"], name="镇里的", gift="米", starts_on=TODAY, ends_on=TODAY, rule="certified"
        )
    assert not CampaignTarget.objects.exists() and Campaign.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": " "}, "请填写活动名称"),
        ({"gift": ""}, "请填写发放内容"),
        ({"ends_on": TODAY - 31 * DAY}, "结束日期不能早于开始日期"),
        ({"rule": "everyone"}, "请选择发放对象"),
        ({"name": "生活爱心包"}, "已有名为“生活爱心包”的活动"),
    ],
)
def test_a_bad_campaign_is_refused(users, campaign_for, fields, message):
    campaign_for(start=False)
    values = {"name": "助残日慰问", "gift": "米", "starts_on": TODAY - 30 * DAY, "ends_on": TODAY, "rule": "certified"}
    with pytest.raises(ValidationError) as refused:
        campaign_create(user=users["admin"], **{**values, **fields})
    assert refused.value.messages == [message]
    assert Campaign.objects.count() == 1


def test_a_person_on_the_list_who_moves_is_the_new_towns(users, areas, person, campaign_for):
    from registry.services import person_update

    campaign = campaign_for()
    person_update(user=users["admin"], person=person, data={"area": areas["hetang_b"]})
    assert CampaignTarget.objects.get(campaign=campaign, person=person).area_code == areas["hetang_b"].code
