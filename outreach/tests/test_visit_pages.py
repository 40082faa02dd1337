"""The visit pages: the form on the person's page, its refusals, the scoped list with the
households and money of the period, the visit's page and the open needs closed from it."""

import datetime

from django.urls import reverse

from outreach.models import HomeVisit, VisitNeed

from .conftest import DAY, TODAY, png


def test_an_officer_records_a_visit_from_the_form(client, users, media, person):
    client.force_login(users["officer"])
    url = reverse("outreach:visit_create", args=[person.pk])
    assert "登记走访慰问：陈建国" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "visited_on": (TODAY - DAY).isoformat(),
            "visitors": [users["officer"].pk],
            "other_visitors": "区领导",
            "needs": ["living", "rehab"],
            "money": "300",
            "gifts": "食用油",
            "photos": [png()],
        },
    )
    visit = HomeVisit.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("outreach:visit_detail", args=[visit.pk])
    page = client.get(response["Location"]).content.decode()
    assert "区领导" in page and "300.00 元" in page and "走访照片 1" in page
    assert VisitNeed.objects.count() == 2


def test_a_visit_dated_before_birth_or_in_the_future_shows_why_and_writes_nothing(client, users, person):
    client.force_login(users["officer"])
    url = reverse("outreach:visit_create", args=[person.pk])
    for day, message in (
        (datetime.date(1970, 1, 1), "走访日期不能早于出生日期（1980-01-01）"),
        (TODAY + DAY, "走访日期不能晚于今天"),
    ):
        response = client.post(url, {"visited_on": day.isoformat(), "visitors": [users["officer"].pk]})
        assert response.status_code == 400
        assert message in response.content.decode()
    assert not HomeVisit.objects.exists()


def test_the_list_shows_the_towns_visits_households_and_money(client, users, person, other_person, visit_for):
    visit_for(person, days_ago=3)
    visit_for(person, days_ago=2)
    visit_for(other_person, by="other_officer", days_ago=2)
    client.force_login(users["officer"])
    page = client.get(reverse("outreach:visit_list")).content.decode()
    assert "共 2 次走访，1 户，慰问金额 1,000.00 元" in page
    assert "陈建国" in page and "李秀英" not in page
    client.force_login(users["admin"])
    assert "共 3 次走访，2 户，慰问金额 1,500.00 元" in client.get(reverse("outreach:visit_list")).content.decode()


def test_an_open_need_is_closed_from_the_need_list(client, users, person, visit_for):
    visit_for(person, needs=["housing"])
    need = VisitNeed.objects.get()
    client.force_login(users["officer"])
    assert "未办结" in client.get(reverse("outreach:need_list")).content.decode()
    response = client.post(
        reverse("outreach:need_close", args=[need.pk]), {"outcome": "已申请危房改造", "closed_on": TODAY.isoformat()}
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.outcome == "已申请危房改造"
    assert "共 0 项" in client.get(reverse("outreach:need_list")).content.decode()


def test_the_person_page_shows_the_visits_and_the_timeline_entry(client, users, person, visit_for):
    visit_for(person, needs=["medical"], other_visitors="区领导")
    client.force_login(users["officer"])
    page = client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    assert "慰问关爱" in page and "登记走访慰问" in page
    assert "发现需求：医疗" in page
