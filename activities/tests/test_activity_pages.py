"""The activity pages as each role reads them: the list (a town's activities and the
district's, never another town's), an activity's participants (the user's own persons by
name, the others counted per town), adding a participant by ID number or by name, and the
registration form."""

import pytest
from django.urls import reverse

from activities.models import Activity, Participation
from activities.selectors import organiser_figures, town_participation
from conftest import make_person
from registry.identifiers import mask_id

from .conftest import days_ago


@pytest.fixture
def three(make_activity, activity, district_activity, areas):
    """白沙's activity, the district's, and 荷塘's."""
    hetang = make_activity(by="other_officer", name="荷塘镇助残日活动", area=areas["hetang"])
    return activity, district_activity, hetang


def _text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_an_officer_lists_their_towns_and_the_districts_activities(login, users, three):
    page = _text(login(users["officer"]).get(reverse("activities:activity_list")))
    assert "白沙街道助残日活动" in page and "全国助残日主题活动" in page and "荷塘镇助残日活动" not in page
    leader = _text(login(users["leader"]).get(reverse("activities:activity_list")))
    assert all(name in leader for name in ("白沙街道助残日活动", "全国助残日主题活动", "荷塘镇助残日活动"))


def test_another_towns_activity_answers_404(login, users, three):
    _home, _district, hetang = three
    assert login(users["officer"]).get(reverse("activities:activity_detail", args=[hetang.pk])).status_code == 404


def test_the_participants_of_the_districts_activity_show_the_officers_persons_only(
    login, users, district_activity, person, neighbour, other_person, join
):
    join(district_activity, person)
    join(district_activity, neighbour)
    join(district_activity, other_person, by="other_officer")
    url = reverse("activities:activity_detail", args=[district_activity.pk])
    page = _text(login(users["officer"]).get(url))
    assert "陈建国" in page and "王小明" in page and mask_id(person.id_number) in page
    assert "李秀英" not in page and mask_id(other_person.id_number) not in page
    assert "共 3 人" in page and "另有荷塘镇 1 人，不在您的管辖范围内，不显示姓名" in page
    admin = _text(login(users["admin"]).get(url))
    assert "李秀英" in admin and "陈建国" in admin
    leader = _text(login(users["leader"]).get(url))
    assert "陈建国" not in leader and "白沙街道 2 人、荷塘镇 1 人（只显示人数）" in leader


def _add(client, activity, **data):
    return client.post(reverse("activities:participant_add", args=[activity.pk]), data)


def test_an_officer_adds_a_participant_by_id_number(login, users, activity, person):
    response = _add(login(users["officer"]), activity, query=person.id_number, attended_on=activity.starts_on)
    assert response.status_code == 302 and response.url == reverse("activities:activity_detail", args=[activity.pk])
    assert Participation.objects.get().person == person


def test_a_name_lists_the_matches_of_the_officers_scope_to_choose_from(
    login, users, district_activity, person, other_person
):
    make_person(person.area, name="陈建华", sequence=141)
    make_person(other_person.area, name="陈建伟", sequence=143)
    client = login(users["officer"])
    page = _text(_add(client, district_activity, query="陈建"))
    assert "陈建国" in page and "陈建华" in page and "陈建伟" not in page and "找到的人员" in page
    assert not Participation.objects.exists()
    response = _add(client, district_activity, person=person.pk, attended_on=district_activity.starts_on)
    assert response.status_code == 302 and Participation.objects.get().person == person


def test_a_refusal_comes_back_on_the_page_with_its_reason(login, users, activity, person, join):
    join(activity, person)
    client = login(users["officer"])
    twice = _add(client, activity, query=person.id_number)
    assert twice.status_code == 400 and "陈建国已在本活动的参加人员中，请勿重复添加" in twice.content.decode()
    wrong = _add(client, activity, query="440703198001011230")
    assert wrong.status_code == 400 and "校验" in wrong.content.decode()
    nobody = _add(client, activity, query="无此人")
    assert nobody.status_code == 400 and "在您的管辖范围内没有找到“无此人”" in nobody.content.decode()
    empty = _add(client, activity, query="")
    assert empty.status_code == 400 and "请填写参加人员的公民身份号码或姓名" in empty.content.decode()
    assert Participation.objects.count() == 1


def test_another_towns_person_is_not_found_by_number(login, users, district_activity, other_person):
    response = _add(login(users["officer"]), district_activity, query=other_person.id_number)
    assert response.status_code == 400 and "在您的管辖范围内没有该身份证号的持证人员" in response.content.decode()
    chosen = _add(login(users["officer"]), district_activity, person=other_person.pk)
    assert chosen.status_code == 404 and not Participation.objects.exists()


def test_an_officer_registers_an_activity_on_the_form(login, users):
    data = {
        "name": "白沙街道普法讲座",
        "kind": "legal",
        "organiser": "town",
        "town": "440703002000",
        "starts_on": days_ago(2).isoformat(),
        "place": "白沙街道党群服务中心",
        "volunteers": "3",
    }
    client = login(users["officer"])
    response = client.post(reverse("activities:activity_create"), data)
    activity = Activity.objects.get()
    assert response.status_code == 302 and response.url == reverse("activities:activity_detail", args=[activity.pk])
    assert (activity.volunteers, activity.family_members, activity.area_id) == (3, 0, "440703002000")
    refused = client.post(reverse("activities:activity_create"), {**data, "organiser": "district"})
    assert refused.status_code == 400 and "只能由区级用户登记" in refused.content.decode()
    assert Activity.objects.count() == 1


def test_the_edit_form_saves_a_correction(login, users, activity):
    client = login(users["officer"])
    url = reverse("activities:activity_edit", args=[activity.pk])
    assert "白沙街道助残日活动" in _text(client.get(url))
    data = {
        "name": "白沙街道助残日游园",
        "kind": "town_day",
        "organiser": "town",
        "town": "440703002000",
        "starts_on": activity.starts_on.isoformat(),
        "place": "白沙公园",
    }
    assert client.post(url, data).status_code == 302
    activity.refresh_from_db()
    assert (activity.name, activity.place) == ("白沙街道助残日游园", "白沙公园")


def test_the_figures_count_activities_by_organiser_and_participants_by_town(
    login, users, three, person, other_person, join
):
    home, district, _hetang = three
    join(home, person)
    join(district, person)
    join(district, other_person, by="other_officer")
    page = _text(login(users["officer"]).get(reverse("activities:figures"), {"year": days_ago(5).year}))
    assert "区残联" in page and "白沙街道（含康园中心）" in page and "荷塘镇（含康园中心）" not in page

    rows, total = organiser_figures(users["admin"], days_ago(5).year)
    assert [(r.name, r.activities, r.registered) for r in rows] == [
        ("区残联", 1, 2),
        ("白沙街道（含康园中心）", 1, 1),
        ("荷塘镇（含康园中心）", 1, 0),
    ]
    towns, all_towns = town_participation(users["officer"], days_ago(5).year)
    assert [(t.name, t.person_times, t.persons) for t in towns] == [("白沙街道", 2, 1)]
    assert (all_towns.person_times, all_towns.persons) == (2, 1)
