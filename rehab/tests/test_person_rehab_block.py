"""The rehabilitation block of the person page: the town's officer sees the records and the
year's assessment with the forms; an officer of another town gets 404 for the person; a
leader gets no person page (403), so neither the services nor their notes."""

import datetime

from django.urls import reverse

from rehab.services import need_assess

TODAY = datetime.date.today()


def _detail(client, person):
    return client.get(reverse("registry:person_detail", args=[person.pk]))


def test_the_towns_officer_sees_records_assessment_and_forms(login, users, person, record_for):
    record_for(person, note="家属陪同")
    need_assess(
        user=users["officer"], person=person, year=TODAY.year, has_need=True, kinds=["physical"], assessed_on=TODAY
    )
    response = _detail(login(users["officer"]), person)
    html = response.content.decode()
    assert response.status_code == 200
    assert "精准康复服务" in html and "运动功能训练" in html and "家属陪同" in html
    assert "有康复需求" in html and f"修改{TODAY.year}年康复需求评估" in html
    assert reverse("rehab:record_create", args=[person.pk]) in html
    assert reverse("rehab:assessment_save", args=[person.pk]) in html


def test_without_an_assessment_the_block_says_so(login, users, person):
    html = _detail(login(users["officer"]), person).content.decode()
    assert "本年度尚未评估" in html and "暂无康复服务记录" in html


def test_an_officer_of_another_town_gets_404(login, users, person, record_for):
    record_for(person)
    assert _detail(login(users["other_officer"]), person).status_code == 404


def test_a_leader_gets_no_services_and_no_notes(login, users, person, record_for):
    record_for(person, note="家属陪同")
    response = _detail(login(users["leader"]), person)
    html = response.content.decode()
    assert response.status_code == 403 and "运动功能训练" not in html and "家属陪同" not in html


def test_the_correction_form_starts_from_the_years_assessment(login, users, person):
    need_assess(
        user=users["officer"],
        person=person,
        year=TODAY.year,
        has_need=True,
        kinds=["visual", "assistive"],
        assessed_on=TODAY,
        note="复评",
    )
    html = _detail(login(users["officer"]), person).content.decode()
    for value in ('value="1"', 'value="visual"', 'value="assistive"'):
        checked = [line for line in html.split("<input") if value in line and "checked" in line]
        assert checked, value
    assert not [line for line in html.split("<input") if 'value="physical"' in line and "checked" in line]
    assert 'value="复评"' in html
