"""Voiding a mistaken record (作废): the town that recorded it may, with a reason; the record
then counts nowhere, keeps who voided it and why, and the right one can be entered. An
officer of another town gets 404 for it, a leader 403."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from canlian.scoping import OutOfScope
from rehab.models import ServiceRecord, ServiceYear
from rehab.selectors import town_figures
from rehab.services import service_record_void

TODAY = datetime.date.today()


def test_a_voided_record_counts_nowhere_and_the_right_one_can_be_entered(login, users, person, record_for):
    record = record_for(person, days_ago=0, sessions=40)
    voided = service_record_void(user=users["officer"], record=record, reason="次数录入错误")
    assert (voided.voided_by, voided.void_reason) == (users["officer"], "次数录入错误") and voided.voided_at
    assert not ServiceYear.objects.exists()
    assert town_figures(users["officer"], TODAY.year)[1].person_times == 0
    html = login(users["officer"]).get(reverse("rehab:record_list")).content.decode()
    assert "共 0 条记录" in html
    again = record_for(person, days_ago=0, sessions=4)  # same item, same day: no longer a double entry
    assert ServiceYear.objects.get().records == 1 and ServiceRecord.objects.count() == 2
    assert again.pk != record.pk


def test_a_reason_is_required_and_a_record_is_voided_once(users, person, record_for):
    record = record_for(person)
    with pytest.raises(ValidationError, match="请填写作废原因"):
        service_record_void(user=users["officer"], record=record, reason="  ")
    service_record_void(user=users["officer"], record=record, reason="重复")
    with pytest.raises(ValidationError, match="已于 .* 作废"):
        service_record_void(user=users["officer"], record=record, reason="重复")


def test_another_towns_officer_and_a_leader_may_not_void(users, person, record_for):
    record = record_for(person)
    with pytest.raises(OutOfScope, match="管辖范围"):
        service_record_void(user=users["other_officer"], record=record, reason="x")
    with pytest.raises(PermissionDenied, match="没有作废"):
        service_record_void(user=users["leader"], record=record, reason="x")
    assert ServiceRecord.objects.get().voided_at is None


def _post(client, record, reason="项目选错"):
    return client.post(reverse("rehab:record_void", args=[record.pk]), {"reason": reason})


def test_the_towns_officer_voids_from_the_person_page(login, users, person, record_for):
    record = record_for(person)
    client = login(users["officer"])
    page = client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    assert reverse("rehab:record_void", args=[record.pk]) in page
    response = _post(client, record)
    assert response.status_code == 302 and response.url == reverse("registry:person_detail", args=[person.pk])
    assert ServiceRecord.objects.get().void_reason == "项目选错"
    page = client.get(response.url).content.decode()
    assert "已作废" in page and "暂无康复服务记录" in page


def test_an_empty_reason_comes_back_as_a_message(login, users, person, record_for):
    record = record_for(person)
    client = login(users["officer"])
    page = client.get(_post(client, record, reason="").url).content.decode()
    assert "未能作废：请填写作废原因" in page and ServiceRecord.objects.get().voided_at is None


def test_an_officer_of_another_town_gets_404(login, users, person, record_for):
    record = record_for(person)
    assert _post(login(users["other_officer"]), record).status_code == 404
    assert ServiceRecord.objects.get().voided_at is None


def test_a_leader_gets_403_and_no_void_control(login, users, person, record_for):
    record = record_for(person)
    client = login(users["leader"])
    assert _post(client, record).status_code == 403
    page = client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    assert reverse("rehab:record_void", args=[record.pk]) not in page


def test_the_new_town_does_not_void_the_old_towns_record(login, users, areas, person, record_for):
    from registry.services import person_update

    record = record_for(person)
    person_update(user=users["admin"], person=person, data={"area": areas["hetang_a"]})
    client = login(users["other_officer"])
    page = client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    assert "运动功能训练" in page and reverse("rehab:record_void", args=[record.pk]) not in page
    assert _post(client, record).status_code == 404
