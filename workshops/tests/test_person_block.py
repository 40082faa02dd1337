"""The person page's workshop block: memberships and recent months, the joining form for
officers; joining and leaving from the pages, a refusal coming back in words."""

import pytest
from django.urls import reverse

from canlian.models import AuditEntry
from workshops.models import Membership
from workshops.services import Entry, month_save
from workshops.tests.conftest import LAST_MONTH, TODAY

pytestmark = pytest.mark.django_db


def test_an_officer_joins_a_person_to_a_workshop_from_the_person_page(login, users, workshop, person):
    client = login(users["officer"])
    page = client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    assert "登记进入车间" in page and "白沙就业爱心车间" in page
    response = client.post(
        reverse("workshops:join", args=[person.pk]),
        {"workshop-workshop": workshop.pk, "workshop-started_on": f"{TODAY:%Y-%m-%d}"},
    )
    assert response.status_code == 302
    membership = Membership.objects.get()
    assert (membership.person, membership.workshop, membership.started_on) == (person, workshop, TODAY)
    again = client.post(
        reverse("workshops:join", args=[person.pk]),
        {"workshop-workshop": workshop.pk, "workshop-started_on": f"{TODAY:%Y-%m-%d}"},
        follow=True,
    )
    assert "未能登记：该人员" in again.content.decode()
    assert Membership.objects.count() == 1


def test_the_block_shows_the_months_and_the_member_leaves_from_the_workshop_page(login, users, workshop, members):
    month_save(
        user=users["admin"], workshop=workshop, month=LAST_MONTH, entries={members[0].person_id: Entry(20, 80000)}
    )
    client = login(users["officer"])
    page = client.get(reverse("registry:person_detail", args=[members[0].person_id])).content.decode()
    assert "近期月报" in page and "800.00" in page
    response = client.post(
        reverse("workshops:membership_end", args=[members[0].pk]), {"ended_on": f"{TODAY:%Y-%m-%d}", "note": "就业"}
    )
    assert response.status_code == 302
    assert Membership.objects.get(pk=members[0].pk).ended_on == TODAY
    assert AuditEntry.objects.filter(action="workshops.membership.ended").exists()


def test_a_workshops_staff_see_the_block_without_the_joining_form(login, users, workshop, members):
    page = login(users["centre"]).get(reverse("registry:person_detail", args=[members[0].person_id]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "车间成员登记" in body and "登记进入车间" not in body
