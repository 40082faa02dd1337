"""The centre scope provider: centre staff see the members of their institutions today
(the person list and pages, 200 for their member, 404 for another centre's), their
institutions' care rows, and nothing else; other roles keep their area."""

import datetime

import pytest
from django.urls import reverse

from accounts.roles import Role
from accounts.services import user_create
from canlian.scoping import NOTHING, scope_filter
from care.models import Attendance, Enrolment, Institution
from care.services.attendance import Mark, attendance_save
from care.services.membership import enrolment_end
from care.tests.conftest import open_day
from conftest import PASSWORD
from registry.models import Person


def test_centre_staff_see_their_members_in_the_person_list(login, users, member, other_member, person, other_person):
    page = login(users["centre"]).get(reverse("registry:person_list")).content.decode()
    assert "共 1 人" in page and person.name in page and other_person.name not in page


def test_centre_staff_open_their_member_and_not_another_centres(login, users, member, other_member):
    client = login(users["centre"])
    assert client.get(reverse("registry:person_detail", args=[member.person_id])).status_code == 200
    assert client.get(reverse("registry:person_detail", args=[other_member.person_id])).status_code == 404


def test_a_person_who_is_not_a_member_is_not_seen(login, users, centre, person):
    assert not Person.objects.visible_to(users["centre"]).exists()
    assert login(users["centre"]).get(reverse("registry:person_detail", args=[person.pk])).status_code == 404


def test_a_member_who_left_is_no_longer_seen_but_the_centres_rows_stay(users, member, person):
    enrolment_end(
        user=users["admin"],
        enrolment=member,
        ended_on=datetime.date.today() - datetime.timedelta(days=1),
        reason="family",
    )
    staff = users["centre"]
    assert not Person.objects.visible_to(staff).exists()
    # The enrolment is a row of their institution: its history stays theirs.
    assert list(Enrolment.objects.visible_to(staff)) == [member]


def test_centre_staff_see_their_institutions_and_their_rows_only(users, centre, other_centre, member, other_member):
    staff = users["centre"]
    day = open_day()
    attendance_save(user=users["admin"], institution=centre, day=day, marks={member.person_id: Mark(True)})
    attendance_save(user=users["admin"], institution=other_centre, day=day, marks={other_member.person_id: Mark(True)})
    assert list(Institution.objects.visible_to(staff)) == [centre]
    assert list(Enrolment.objects.visible_to(staff)) == [member]
    assert [a.person_id for a in Attendance.objects.visible_to(staff)] == [member.person_id]


def test_staff_of_two_institutions_see_both(users, centre, other_centre, member, other_member):
    other_centre.staff.add(users["centre"])
    assert set(Person.objects.visible_to(users["centre"])) == {member.person, other_member.person}


def test_centre_staff_of_no_institution_are_granted_nothing(users, centre, member):
    centre.staff.clear()
    assert scope_filter(users["centre"], Person) == NOTHING


def test_the_provider_serves_centre_staff_only(users, areas, centre, member, other_member):
    """An officer put on an institution's staff by mistake keeps their area, no more."""
    centre.staff.add(users["other_officer"])
    assert list(Person.objects.visible_to(users["other_officer"])) == [other_member.person]


@pytest.mark.parametrize("name", ["care:institution_detail", "care:attendance_day", "care:attendance_month"])
def test_an_institution_page_answers_its_staff_and_404_to_another_centres(login, users, centre, other_centre, name):
    client = login(users["centre"])
    assert client.get(reverse(name, args=[centre.pk])).status_code == 200
    assert client.get(reverse(name, args=[other_centre.pk])).status_code == 404


def test_town_officers_see_their_towns_institutions(login, users, centre, other_centre):
    client = login(users["officer"])
    assert client.get(reverse("care:institution_detail", args=[centre.pk])).status_code == 200
    assert client.get(reverse("care:institution_detail", args=[other_centre.pk])).status_code == 404
    page = client.get(reverse("care:institution_list")).content.decode()
    assert centre.name in page and other_centre.name not in page


def test_the_member_list_shows_a_centres_members_only(login, users, member, other_member, person, other_person):
    page = login(users["centre"]).get(reverse("care:member_list")).content.decode()
    assert person.name in page and other_person.name not in page


def test_leaders_read_the_institution_list_but_no_member(login, users, centre, member, person):
    client = login(users["leader"])
    page = client.get(reverse("care:institution_list")).content.decode()
    assert centre.name in page and person.name not in page
    assert client.get(reverse("care:institution_detail", args=[centre.pk])).status_code == 403
    assert client.get(reverse("care:member_list")).status_code == 403


def test_a_new_staff_account_sees_its_centres_members_on_its_first_request(client, areas, centre, member, person):
    staff = user_create(username="kynew", password=PASSWORD, role=Role.CENTRE_STAFF, area=areas["baisha"])
    centre.staff.add(staff)
    client.force_login(staff)
    assert person.name in client.get(reverse("registry:person_list")).content.decode()
