"""The campaign pages: the fast entry by ID number (kept day and deliverer, the refusals
shown and nothing written), the progress per town and community in the user's scope, and
the remaining list's export."""

import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from canlian.models import AuditEntry
from conftest import make_person
from outreach.campaigns import delivery_record
from outreach.models import CampaignDelivery

from .conftest import DAY, TODAY


@pytest.fixture
def campaign(campaign_for, person, other_person, areas):
    make_person(areas["baisha_b"], name="王丰乐", sequence=131)
    return campaign_for()


def test_an_officer_delivers_by_typing_an_id_number_and_keeps_the_day_and_deliverer(client, users, person, campaign):
    client.force_login(users["officer"])
    url = reverse("outreach:delivery_entry", args=[campaign.pk])
    page = client.get(url).content.decode()
    assert "autofocus" in page and "测试officer" in page
    day = TODAY - DAY
    response = client.post(url, {"id_number": person.id_number, "delivered_on": day.isoformat(), "deliverer": "林姐"})
    assert response.status_code == 302
    assert f"delivered_on={day.isoformat()}" in response["Location"] and "deliverer=" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "已登记：陈建国 领取“生活爱心包”" in page
    assert f'value="{day.isoformat()}"' in page and 'value="林姐"' in page
    assert CampaignDelivery.objects.get().deliverer == "林姐"


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("twice", "领取过“生活爱心包”，不能重复发放"),
        ("other_town", "系统中没有该身份证号的持证人员，或该人员不在您的管辖范围内"),
        ("not_on_list", "不在“生活爱心包”的发放名单内"),
    ],
)
def test_a_refused_delivery_shows_why_and_writes_nothing_more(
    client, users, areas, person, other_person, campaign, who, message
):
    delivery_record(user=users["officer"], campaign=campaign, person=person, delivered_on=TODAY, deliverer="林姐")
    target = {
        "twice": person,
        "other_town": other_person,
        "not_on_list": make_person(areas["baisha_a"], name="周新证", sequence=139),
    }[who]
    client.force_login(users["officer"])
    response = client.post(
        reverse("outreach:delivery_entry", args=[campaign.pk]),
        {"id_number": target.id_number, "delivered_on": TODAY.isoformat(), "deliverer": "林姐"},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert CampaignDelivery.objects.count() == 1


def test_the_campaign_page_counts_per_town_and_per_community_in_scope(client, users, person, campaign):
    delivery_record(user=users["officer"], campaign=campaign, person=person, delivered_on=TODAY, deliverer="林姐")
    client.force_login(users["officer"])
    page = client.get(reverse("outreach:campaign_detail", args=[campaign.pk])).content.decode()
    assert "白沙街道" in page and "荷塘镇" not in page
    assert "<td>2</td><td>1</td><td>1</td><td>50.0%</td>" in page
    page = client.get(
        reverse("outreach:campaign_detail", args=[campaign.pk]), {"town": "440703002000"}
    ).content.decode()
    assert "紫沙社区</th><td>1</td><td>1</td><td>0</td><td>100.0%</td>" in page
    assert "丰乐社区</th><td>1</td><td>0</td><td>1</td><td>0.0%</td>" in page
    client.force_login(users["leader"])
    page = client.get(reverse("outreach:campaign_detail", args=[campaign.pk])).content.decode()
    assert "<td>3</td><td>1</td><td>2</td><td>33.3%</td>" in page and "陈建国" not in page
    # Another town's code is not a way into it.
    client.force_login(users["officer"])
    page = client.get(
        reverse("outreach:campaign_detail", args=[campaign.pk]), {"town": "440703102000"}
    ).content.decode()
    assert "荷塘镇" not in page


def test_the_remaining_list_exports_the_scopes_persons_still_waiting(client, users, person, campaign):
    delivery_record(user=users["officer"], campaign=campaign, person=person, delivered_on=TODAY, deliverer="林姐")
    client.force_login(users["officer"])
    response = client.get(reverse("outreach:remaining_export", args=[campaign.pk]))
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    rows = book.get_sheet_by_name("未发放名单").to_python()
    assert rows[0][:4] == ["镇街", "村居", "姓名", "公民身份号码"]
    assert [row[:3] for row in rows[1:]] == [["白沙街道", "丰乐社区", "王丰乐"]]
    assert "*" in rows[1][3]
    entry = AuditEntry.objects.get(action="outreach.export")
    assert entry.data["rows"] == 1
    client.force_login(users["leader"])
    assert client.get(reverse("outreach:remaining_export", args=[campaign.pk])).status_code == 403
