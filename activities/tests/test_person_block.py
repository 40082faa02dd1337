"""The person page's block of activities and the timeline: what the person took part in,
this year's five ones with the direct entry and its void, the associations; the timeline
reads them in a fixed number of queries; a leader sees none of it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import FiveOneRecord, Participation
from activities.panels import person_activities
from activities.services import five_one_record, membership_add
from canlian.timeline import person_timeline

from .conftest import TODAY, days_ago


def _page(client, person, **params):
    response = client.get(reverse("registry:person_detail", args=[person.pk]), params)
    assert response.status_code == 200
    return response


def test_the_block_shows_activities_five_ones_and_associations(
    login, users, person, five_ones_activity, district_activity, join, association
):
    join(five_ones_activity, person)
    join(district_activity, person)
    membership_add(
        user=users["officer"], association=association, person=person, position="committee", joined_on=days_ago(9)
    )
    page = _page(login(users["officer"]), person).content.decode()
    assert "文体活动与专门协会" in page and f"{TODAY.year} 年“五个一”：已完成 1 项" in page
    assert "看一次电影（" in page and "参加活动“无障碍电影专场”" in page
    assert district_activity.code in page and "蓬江区肢残人协会" in page and "委员" in page
    assert "直接登记“五个一”" in page


def test_the_block_is_for_users_who_see_participations(rf, users, person):
    request = rf.get("/")
    for role, shown in (("reviewer", True), ("leader", False), ("centre", False)):
        request.user = users[role]
        assert bool(person_activities(request, person)["show"]) is shown
    request.user = users["reviewer"]
    assert person_activities(request, person)["five_one_form"] is None


def test_an_officer_records_a_five_one_from_the_person_page(login, users, person):
    client = login(users["officer"])
    url = reverse("activities:five_one_create", args=[person.pk])
    response = client.post(url, {"item": "park", "done_on": days_ago(1).isoformat()})
    assert response.status_code == 302 and FiveOneRecord.objects.get().item == "park"
    again = client.post(url, {"item": "park", "done_on": days_ago(1).isoformat()})
    assert again.status_code == 400 and "已完成“游一次园”，请勿重复登记" in again.content.decode()
    future = client.post(url, {"item": "book", "done_on": (TODAY + datetime.timedelta(days=1)).isoformat()})
    assert future.status_code == 400 and "完成日期不能晚于今天" in future.content.decode()
    assert FiveOneRecord.objects.count() == 1
    assert (
        login(users["other_officer"]).post(url, {"item": "book", "done_on": days_ago(1).isoformat()}).status_code == 404
    )


def test_voids_from_the_pages(login, users, person, activity, join):
    record = five_one_record(user=users["officer"], person=person, item="book", done_on=days_ago(2))
    participation = join(activity, person)
    client = login(users["officer"])
    response = client.post(reverse("activities:five_one_void", args=[record.pk]), {"reason": "录错"})
    assert response.url == reverse("registry:person_detail", args=[person.pk])
    assert not FiveOneRecord.objects.standing().exists()
    url = reverse("activities:participation_void", args=[participation.pk])
    assert login(users["other_officer"]).post(url, {"reason": "错"}).status_code == 404
    response = login(users["officer"]).post(url, {"reason": "未到场", "back": "person"})
    assert response.url == reverse("registry:person_detail", args=[person.pk])
    assert not Participation.objects.standing().exists()


def test_the_timeline_has_the_persons_activities(users, person, five_ones_activity, activity, join, association):
    join(five_ones_activity, person)
    join(activity, person)
    five_one_record(user=users["officer"], person=person, item="book", done_on=days_ago(3))
    membership_add(
        user=users["officer"], association=association, person=person, position="member", joined_on=days_ago(9)
    )
    timeline = person_timeline(person, users["officer"])
    mine = [(e.kind, e.title) for e in timeline.entries if e.kind in ("activity", "five_ones", "association")]
    assert sorted(mine) == [
        ("activity", "无障碍电影专场"),
        ("activity", "白沙街道助残日活动"),
        ("association", "加入蓬江区肢残人协会"),
        ("five_ones", "“五个一”：读一本书"),
    ]


@pytest.mark.parametrize("count", [2, 30])
def test_the_timeline_reads_a_fixed_number_of_queries(users, person, make_activity, join, count):
    for index in range(count):
        join(make_activity(name=f"活动{index}"), person)
    with CaptureQueriesContext(connection) as queries:
        list(person_timeline(person, users["officer"]).entries)
    assert len([q for q in queries.captured_queries if "activities_" in q["sql"]]) == 3
