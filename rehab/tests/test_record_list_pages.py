"""The scoped record list: the town's officer sees their town's records; an officer of
another town does not see them; a leader gets 403 (a row per person-time) and reads the figures.
Filters by town, item and dates, and pages."""

import datetime

import pytest
from django.urls import reverse

from rehab import views

TODAY = datetime.date.today()
URL = reverse("rehab:record_list")


def _html(response):
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def two_towns(person, other_person, record_for):
    record_for(person, days_ago=3)
    record_for(other_person, days_ago=5, by="other_officer")


def test_the_officer_sees_their_towns_records_with_masked_ids(login, users, person, other_person, two_towns):
    html = _html(login(users["officer"]).get(URL))
    assert "共 1 条记录" in html and person.name in html and other_person.name not in html
    assert person.id_number not in html and person.id_number[:6] + "********" in html
    assert "白沙街道 / 紫沙社区" in html and "运动功能训练" in html


def test_an_officer_of_another_town_does_not_see_them(login, users, person, other_person, two_towns):
    html = _html(login(users["other_officer"]).get(URL))
    assert "共 1 条记录" in html and other_person.name in html and person.name not in html


def test_a_leader_gets_403_and_reads_the_figures_instead(login, users, two_towns):
    client = login(users["leader"])
    assert client.get(URL).status_code == 403
    figures = client.get(reverse("rehab:figures")).content.decode()
    assert "白沙街道" in figures and URL not in figures


def test_centre_staff_see_nothing(login, users, two_towns):
    assert login(users["centre"]).get(URL).status_code == 403


def test_the_town_filter_narrows_but_never_widens_the_scope(login, users, areas, person, other_person, two_towns):
    admin = login(users["admin"])
    assert "共 1 条记录" in _html(admin.get(URL, {"town": areas["hetang"].code}))
    officer = login(users["officer"])
    html = _html(officer.get(URL, {"town": areas["hetang"].code}))
    assert other_person.name not in html and "该条件未使用" in html


def test_item_and_date_filters(login, users, person, record_for, other_item):
    record_for(person, days_ago=40, item=other_item)
    record_for(person, days_ago=2)
    client = login(users["officer"])
    assert "共 1 条记录" in _html(client.get(URL, {"item": other_item.pk}))
    since = (TODAY - datetime.timedelta(days=10)).isoformat()
    html = _html(client.get(URL, {"date_from": since, "date_to": TODAY.isoformat()}))
    assert "共 1 条记录" in html and "精神障碍社区康复训练" not in html.split("<tbody>")[1]


def test_reversed_dates_are_refused_and_ignored(login, users, person, record_for):
    record_for(person)
    html = _html(login(users["officer"]).get(URL, {"date_from": TODAY.isoformat(), "date_to": "2020-01-01"}))
    assert "起始日期不能晚于截止日期" in html and "共 1 条记录" in html


def test_pages_are_newest_first_and_htmx_gets_the_table_only(login, users, person, record_for, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for days in (1, 2, 3, 4, 5):
        record_for(person, days_ago=days)
    client = login(users["officer"])
    html = _html(client.get(URL, {"page": 3}))
    assert "第 3/3 页" in html
    assert (TODAY - datetime.timedelta(days=5)).isoformat() in html
    assert (TODAY - datetime.timedelta(days=4)).isoformat() not in html
    partial = _html(client.get(URL, {"page": 1}, HTTP_HX_REQUEST="true"))
    assert "<html" not in partial and (TODAY - datetime.timedelta(days=1)).isoformat() in partial
