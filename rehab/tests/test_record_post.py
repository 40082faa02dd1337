"""Posting a service record from the person page: the town's officer records it; an officer
of another town gets 404 (the person does not exist for them); a leader may not (403); a
refused record comes back with its reason and writes nothing."""

import datetime

from django.urls import reverse

from rehab.models import ServiceRecord

TODAY = datetime.date.today()


def _post(client, person, item, provider, **extra):
    data = {"item": item.pk, "provider": provider.pk, "served_on": TODAY.isoformat(), "sessions": "3", "note": ""}
    data.update(extra)
    return client.post(reverse("rehab:record_create", args=[person.pk]), data)


def test_the_towns_officer_records_a_service(login, users, person, item, provider):
    response = _post(login(users["officer"]), person, item, provider)
    assert response.status_code == 302 and response.url == reverse("registry:person_detail", args=[person.pk])
    record = ServiceRecord.objects.get()
    assert (record.person, record.sessions, record.recorded_by) == (person, 3, users["officer"])


def test_an_officer_of_another_town_gets_404(login, users, person, item, provider):
    assert _post(login(users["other_officer"]), person, item, provider).status_code == 404
    assert not ServiceRecord.objects.exists()


def test_a_leader_may_not_record(login, users, person, item, provider):
    assert _post(login(users["leader"]), person, item, provider).status_code == 403
    assert not ServiceRecord.objects.exists()


def test_a_future_date_comes_back_with_the_reason(login, users, person, item, provider):
    tomorrow = (TODAY + datetime.timedelta(days=1)).isoformat()
    response = _post(login(users["officer"]), person, item, provider, served_on=tomorrow)
    assert response.status_code == 400 and "服务日期不能晚于今天" in response.content.decode()
    assert not ServiceRecord.objects.exists()


def test_an_inactive_item_is_not_offered_and_not_accepted(login, users, person, item, provider):
    item.is_active = False
    item.save()
    response = _post(login(users["officer"]), person, item, provider)
    assert response.status_code == 400 and "所选康复项目不存在或已停用" in response.content.decode()
    assert not ServiceRecord.objects.exists()


def test_zero_sessions_come_back_with_the_reason(login, users, person, item, provider):
    response = _post(login(users["officer"]), person, item, provider, sessions="0")
    assert response.status_code == 400 and "服务次数至少为 1 次" in response.content.decode()


def test_a_get_is_not_allowed(login, users, person):
    assert login(users["officer"]).get(reverse("rehab:record_create", args=[person.pk])).status_code == 405
