"""The void (作废) buttons of a love-pack delivery and a living-alone watch contact: with a
written reason, audited; a voided delivery puts the person back on the remaining list (and
the gift may be given again), a voided contact gives the watch its previous last contact;
a blank reason or another town's record writes nothing."""

import pytest
from django.urls import reverse

from canlian.models import AuditEntry
from canlian.timeline import person_timeline
from conftest import make_person
from outreach.campaigns import delivery_record
from outreach.models import CampaignDelivery, WatchContact
from outreach.selectors import delivered_to
from outreach.watch import contact_record, person_watch

from .conftest import DAY, TODAY


@pytest.fixture
def campaign(campaign_for, person, other_person, areas):
    make_person(areas["baisha_b"], name="王丰乐", sequence=131)
    return campaign_for()


def remaining_names(campaign) -> set[str]:
    return set(campaign.targets.filter(~delivered_to(campaign)).values_list("person__name", flat=True))


def kinds(person, user) -> list[str]:
    return [e.kind for e in person_timeline(person, user, show_all=True).entries]


def test_voiding_a_delivery_on_the_person_page_makes_the_person_remaining_again(client, users, person, campaign):
    made = delivery_record(
        user=users["officer"], campaign=campaign, person=person, delivered_on=TODAY, deliverer="林姐"
    )
    assert "陈建国" not in remaining_names(campaign)
    client.force_login(users["officer"])
    url = reverse("outreach:delivery_void", args=[made.pk])
    assert f'action="{url}"' in client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    response = client.post(url, {"reason": "发错人了", "back": "person"})
    assert response.url == reverse("registry:person_detail", args=[person.pk])
    made.refresh_from_db()
    assert (made.voided_by, made.void_reason) == (users["officer"], "发错人了")
    entry = AuditEntry.objects.get(action="outreach.delivery.voided")
    assert (entry.person_id, entry.data["reason"]) == (person.pk, "发错人了")
    assert "陈建国" in remaining_names(campaign)
    assert "outreach_delivery" not in kinds(person, users["officer"])
    # The gift can be recorded again, once.
    delivery_record(user=users["officer"], campaign=campaign, person=person, delivered_on=TODAY, deliverer="王姐")
    assert CampaignDelivery.objects.standing().get().deliverer == "王姐"


def test_the_entry_page_voids_its_recent_delivery_and_goes_back_to_the_entry(client, users, person, campaign):
    made = delivery_record(
        user=users["officer"], campaign=campaign, person=person, delivered_on=TODAY, deliverer="林姐"
    )
    client.force_login(users["officer"])
    entry_url = reverse("outreach:delivery_entry", args=[campaign.pk])
    url = reverse("outreach:delivery_void", args=[made.pk])
    assert f'action="{url}"' in client.get(entry_url).content.decode()
    assert client.post(url, {"reason": "录入重复"}).url == entry_url


def test_a_delivery_void_with_a_blank_reason_or_of_another_town_writes_nothing(
    client, users, person, other_person, campaign
):
    mine = delivery_record(
        user=users["officer"], campaign=campaign, person=person, delivered_on=TODAY, deliverer="林姐"
    )
    theirs = delivery_record(
        user=users["other_officer"], campaign=campaign, person=other_person, delivered_on=TODAY, deliverer="张姐"
    )
    client.force_login(users["officer"])
    response = client.post(reverse("outreach:delivery_void", args=[mine.pk]), {"reason": " "}, follow=True)
    assert "未能作废：请填写作废原因" in response.content.decode()
    assert client.post(reverse("outreach:delivery_void", args=[theirs.pk]), {"reason": "x"}).status_code == 404
    client.force_login(users["reviewer"])
    assert client.post(reverse("outreach:delivery_void", args=[mine.pk]), {"reason": "x"}).status_code == 403
    assert not CampaignDelivery.objects.exclude(voided_at=None).exists()
    assert not AuditEntry.objects.filter(action="outreach.delivery.voided").exists()


@pytest.fixture
def alone(person, other_person):
    for p in (person, other_person):
        p.lives_alone = True
        p.save(update_fields=["lives_alone"])
    return person


def test_voiding_a_contact_gives_the_watch_its_previous_contact(client, users, alone):
    earlier = TODAY - 5 * DAY
    contact_record(user=users["officer"], person=alone, contacted_on=earlier, method="visit")
    wrong = contact_record(user=users["officer"], person=alone, contacted_on=TODAY, method="phone", note="打错电话")
    assert person_watch(alone).last == TODAY
    client.force_login(users["officer"])
    url = reverse("outreach:contact_void", args=[wrong.pk])
    assert f'action="{url}"' in client.get(reverse("registry:person_detail", args=[alone.pk])).content.decode()
    response = client.post(url, {"reason": "联系的不是本人"})
    assert response.url == reverse("registry:person_detail", args=[alone.pk])
    assert person_watch(alone).last == earlier
    entry = AuditEntry.objects.get(action="outreach.contact.voided")
    assert (entry.person_id, entry.data["reason"]) == (alone.pk, "联系的不是本人")
    timeline = person_timeline(alone, users["officer"], kind="outreach_contact", show_all=True).entries
    assert [e.date for e in timeline] == [earlier]


def test_a_contact_void_with_a_blank_reason_or_of_another_town_writes_nothing(client, users, alone, other_person):
    mine = contact_record(user=users["officer"], person=alone, contacted_on=TODAY, method="phone")
    theirs = contact_record(user=users["other_officer"], person=other_person, contacted_on=TODAY, method="phone")
    client.force_login(users["officer"])
    response = client.post(reverse("outreach:contact_void", args=[mine.pk]), {"reason": ""}, follow=True)
    assert "未能作废：请填写作废原因" in response.content.decode()
    assert client.post(reverse("outreach:contact_void", args=[theirs.pk]), {"reason": "x"}).status_code == 404
    assert not WatchContact.objects.exclude(voided_at=None).exists()
