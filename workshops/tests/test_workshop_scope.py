"""Who sees what: a workshop's staff their workshop's members and rows only (the workshop
provider, ORed with care's centre provider), town officers their town's, leaders figures
only; out of scope answers 404 as a missing row."""

import pytest
from django.urls import reverse

from care.models import Institution, InstitutionKind
from care.services.membership import enrolment_apply
from conftest import make_person
from registry.models import Person
from workshops.models import Channel, Membership, Sale, WorkMonth, Workshop
from workshops.services import Entry, month_save, sale_record
from workshops.tests.conftest import JOINED, LAST_MONTH, TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def months(workshop, other_workshop, members, other_member, users):
    month_save(user=users["admin"], workshop=workshop, month=LAST_MONTH, entries={members[0].person_id: Entry(20, 1)})
    month_save(
        user=users["admin"], workshop=other_workshop, month=LAST_MONTH, entries={other_member.person_id: Entry(20, 1)}
    )
    for w in (workshop, other_workshop):
        sale_record(user=users["admin"], workshop=w, channel=Channel.SHOP, sold_on=TODAY, amount_fen=100)


def test_staff_see_their_workshop_and_its_rows_only(users, workshop, months):
    staff = users["centre"]
    assert list(Workshop.objects.visible_to(staff)) == [workshop]
    assert {m.workshop_id for m in Membership.objects.visible_to(staff)} == {workshop.pk}
    assert {w.workshop_id for w in WorkMonth.objects.visible_to(staff)} == {workshop.pk}
    assert {s.workshop_id for s in Sale.objects.visible_to(staff)} == {workshop.pk}


def test_staff_see_their_members_today_in_the_registry_and_no_one_else(users, members, other_member, areas):
    make_person(areas["baisha_a"], name="邻居", sequence=690)  # same community, not a member
    assert set(Person.objects.visible_to(users["centre"])) == {m.person for m in members}


def test_a_member_who_left_drops_out_of_the_staff_registry_scope(users, members):
    from workshops.services import membership_end

    membership_end(user=users["admin"], membership=members[0], ended_on=TODAY - __import__("datetime").timedelta(1))
    assert members[0].person not in Person.objects.visible_to(users["centre"])
    # Their rows of the workshop stay the workshop's.
    assert Membership.objects.visible_to(users["centre"]).filter(pk=members[0].pk).exists()


def test_a_centre_and_a_workshop_of_one_user_combine(users, areas, members):
    centre = Institution.objects.create(
        code="KY9", name="紫沙康园中心", kind=InstitutionKind.CENTRE, area=areas["baisha"], capacity=5, open_days=127
    )
    centre.staff.add(users["centre"])
    care_member = make_person(areas["baisha_b"], name="康园会员", sequence=691, category=5, grade=3)
    enrolment_apply(user=users["admin"], institution=centre, person=care_member, started_on=JOINED)
    assert set(Person.objects.visible_to(users["centre"])) == {care_member, *(m.person for m in members)}
    # The workshop provider grants nothing on care's own models.
    assert list(Institution.objects.visible_to(users["centre"])) == [centre]


def test_staff_of_no_workshop_are_granted_nothing_here(users, workshop, months):
    workshop.staff.clear()
    assert not Workshop.objects.visible_to(users["centre"]).exists()
    assert not WorkMonth.objects.visible_to(users["centre"]).exists()


def test_town_officers_see_their_towns_workshops(users, workshop, other_workshop, months):
    assert list(Workshop.objects.visible_to(users["officer"])) == [workshop]
    assert list(Workshop.objects.visible_to(users["other_officer"])) == [other_workshop]
    assert {w.workshop_id for w in WorkMonth.objects.visible_to(users["officer"])} == {workshop.pk}


def test_staff_get_404_for_another_workshops_pages_and_200_for_their_own(
    login, users, workshop, other_workshop, months
):
    client = login(users["centre"])
    for name in ("workshops:month_entry", "workshops:sales", "workshops:month_totals", "workshops:month_export"):
        assert client.get(reverse(name, args=[workshop.pk])).status_code == 200, name
        assert client.get(reverse(name, args=[other_workshop.pk])).status_code == 404, name


def test_leaders_read_figures_and_no_member_page(login, users, workshop, members, months):
    client = login(users["leader"])
    listing = client.get(reverse("workshops:workshop_list"))
    assert listing.status_code == 200
    assert "白沙就业爱心车间" in listing.content.decode()
    assert members[0].person.name not in listing.content.decode()
    assert client.get(reverse("workshops:month_totals", args=[workshop.pk])).status_code == 200
    assert client.get(reverse("workshops:month_entry", args=[workshop.pk])).status_code == 403
    assert client.get(reverse("workshops:workshop_detail", args=[workshop.pk])).status_code == 403
    assert client.get(reverse("workshops:sales", args=[workshop.pk])).status_code == 403


def test_the_month_page_shows_only_the_members_the_user_may_see(login, users, workshop, members, areas):
    from workshops.services import membership_start

    from_hetang = make_person(areas["hetang_a"], name="荷塘成员", sequence=692)
    membership_start(user=users["admin"], workshop=workshop, person=from_hetang, started_on=JOINED)
    page = login(users["officer"]).get(reverse("workshops:month_entry", args=[workshop.pk]))
    body = page.content.decode()
    assert members[0].person.name in body
    assert "荷塘成员" not in body
    staff_page = login(users["centre"]).get(reverse("workshops:month_entry", args=[workshop.pk])).content.decode()
    assert "荷塘成员" in staff_page
