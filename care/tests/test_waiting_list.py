"""A full institution puts new applicants on its waiting list in order; each freed place
is offered to the first waiting, who takes it up or passes it on."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from canlian.models import AuditEntry
from care import selectors
from care.models import Enrolment, WaitingEntry
from care.services.membership import enrolment_end, waiting_accept, waiting_withdraw

TODAY = datetime.date.today()


@pytest.fixture
def full(centre, member, baisha_person, enrol):
    """The centre with one place, taken by the home person; two applicants wait."""
    centre.capacity = 1
    centre.save()
    first = enrol(baisha_person("周一", 301), centre, started_on=TODAY)
    second = enrol(baisha_person("周二", 302), centre, started_on=TODAY)
    return first, second


def test_applicants_to_a_full_institution_wait_in_order(centre, full):
    first, second = full
    assert isinstance(first, WaitingEntry) and isinstance(second, WaitingEntry)
    assert [w.pk for w in selectors.waiting_list(centre)] == [first.pk, second.pk]
    assert {e.state for e in full} == {WaitingEntry.State.WAITING}
    assert Enrolment.objects.count() == 1


def test_a_person_waits_once_at_an_institution(centre, full, enrol):
    with pytest.raises(ValidationError, match="已在“白沙紫沙康园中心”的轮候名单中"):
        enrol(full[0].person, centre, started_on=TODAY)


def test_the_rule_is_checked_before_a_person_waits(centre, full, baisha_person, enrol):
    with pytest.raises(ValidationError, match="不符合"):
        enrol(baisha_person("梁伯", 303, birth="19500101", category=4, grade=3), centre, started_on=TODAY)
    assert WaitingEntry.objects.count() == 2


def test_a_freed_place_is_offered_to_the_first_waiting(users, centre, member, full):
    _ended, offered = enrolment_end(user=users["officer"], enrolment=member, ended_on=TODAY, reason="employed")
    first, second = (WaitingEntry.objects.get(pk=e.pk) for e in full)
    assert offered == [first] and first.state == WaitingEntry.State.OFFERED and first.offered_on == TODAY
    assert second.state == WaitingEntry.State.WAITING
    assert AuditEntry.objects.filter(action="care.waiting.offered", person_id=first.person_id).exists()


def test_an_offered_place_is_held_for_the_person_offered(users, centre, member, full, baisha_person, enrol):
    """A newcomer cannot take a place already offered: they queue behind."""
    enrolment_end(user=users["officer"], enrolment=member, ended_on=TODAY - datetime.timedelta(days=1), reason="family")
    assert selectors.free_places(centre) == 0
    assert isinstance(enrol(baisha_person("周三", 304), centre, started_on=TODAY), WaitingEntry)


def test_the_person_offered_takes_up_the_place(users, centre, member, full):
    enrolment_end(user=users["officer"], enrolment=member, ended_on=TODAY, reason="employed")
    first = full[0]
    enrolment = waiting_accept(user=users["officer"], entry=first, started_on=TODAY)
    first.refresh_from_db()
    assert (first.state, first.enrolment) == (WaitingEntry.State.ENROLLED, enrolment)
    assert enrolment.person == first.person and enrolment.institution == centre


def test_only_the_person_offered_may_take_up_a_place(users, full):
    with pytest.raises(ValidationError, match="尚未轮到该人员"):
        waiting_accept(user=users["officer"], entry=full[1], started_on=TODAY)
    assert Enrolment.objects.count() == 1


def test_a_declined_offer_passes_to_the_next(users, member, full):
    enrolment_end(user=users["officer"], enrolment=member, ended_on=TODAY, reason="employed")
    offered = waiting_withdraw(user=users["officer"], entry=full[0], reason="已在其他机构入托")
    first, second = (WaitingEntry.objects.get(pk=e.pk) for e in full)
    assert first.state == WaitingEntry.State.WITHDRAWN and first.close_reason == "已在其他机构入托"
    assert offered == [second] and second.state == WaitingEntry.State.OFFERED


def test_a_withdrawal_needs_a_reason(users, full):
    with pytest.raises(ValidationError, match="请填写撤回原因"):
        waiting_withdraw(user=users["officer"], entry=full[0], reason="  ")
    assert WaitingEntry.objects.get(pk=full[0].pk).state == WaitingEntry.State.WAITING


def test_a_raised_capacity_offers_places_through_the_admin(client, users, centre, full):
    from django.contrib.auth.models import Permission

    admin = users["admin"]
    admin.is_staff = True
    admin.save()
    admin.user_permissions.add(*Permission.objects.filter(codename__in=["change_institution", "view_institution"]))
    client.force_login(admin)
    data = {
        "code": centre.code, "name": centre.name, "kind": centre.kind, "area": centre.area_id, "address": "",
        "capacity": 2, "weekdays": ["1", "2", "3", "4", "5"], "opens_at": "", "closes_at": "",
        "staff": [users["centre"].pk], "is_active": "on",
    }  # fmt: skip
    response = client.post(reverse("admin:care_institution_change", args=[centre.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert WaitingEntry.objects.get(pk=full[0].pk).state == WaitingEntry.State.OFFERED
    assert WaitingEntry.objects.get(pk=full[1].pk).state == WaitingEntry.State.WAITING


def test_the_institution_page_lists_the_queue_in_order(login, users, centre, full):
    page = login(users["officer"]).get(reverse("care:institution_detail", args=[centre.pk])).content.decode()
    assert page.index("周一") < page.index("周二") and "轮候名单（2 人）" in page
