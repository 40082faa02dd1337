"""A pasted ID-card reading on the person forms: filled where empty, never overwriting a
value unless the officer ticks it, nothing saved until "保存", a bad reading refused."""

import datetime

import pytest

from registry.models import Person
from registry.testing import make_id_number

pytestmark = pytest.mark.django_db

NEW_ID = make_id_number(birth="19900305", sequence=246)  # even: female


def form_values(form) -> dict:
    """What the browser would post back from the form as shown."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, datetime.date):
            data[name] = value.isoformat()
        elif value is not None:
            data[name] = value
    return data


def test_a_reading_fills_an_empty_new_person_form(login, users, areas):
    client = login(users["officer"])
    reading = f"姓名=王小红\n性别=女\n公民身份号码={NEW_ID}\n住址=江门市蓬江区白沙大道8号"

    response = client.post("/persons/new/", {"reading_action": "read", "reading": reading})

    assert response.status_code == 200
    form = response.context["form"]
    assert not form.is_bound
    assert (form["name"].value(), form["gender"].value(), form["id_number"].value()) == ("王小红", "F", NEW_ID)
    assert form["address"].value() == "江门市蓬江区白沙大道8号"
    body = response.content.decode()
    assert "已从读卡结果填入原为空的项：姓名、性别、公民身份号码、住址" in body
    assert "尚未保存" in body
    assert not Person.objects.filter(id_number=NEW_ID).exists()


def test_a_typed_value_is_not_overwritten_until_the_officer_ticks_it(login, users, areas):
    client = login(users["officer"])
    reading = f"姓名=王小红\n性别=女\n公民身份号码={NEW_ID}\n住址=白沙大道8号"
    typed = {"name": "王小虹", "address": "白沙大道9号", "phone": "13800001111"}

    read = client.post("/persons/new/", {**typed, "reading_action": "read", "reading": reading})
    form = read.context["form"]
    assert (form["name"].value(), form["address"].value(), form["phone"].value()) == (
        "王小虹",
        "白沙大道9号",
        "13800001111",
    )
    assert form["id_number"].value() == NEW_ID  # it was empty
    conflicts = [(c.field, c.old, c.new) for c in read.context["reading"].conflicts]
    assert conflicts == [("name", "王小虹", "王小红"), ("address", "白沙大道9号", "白沙大道8号")]
    assert 'name="reading_accept" value="name"' in read.content.decode()

    applied = client.post(
        "/persons/new/",
        {**form_values(form), "reading_action": "apply", "reading": reading, "reading_accept": ["address"]},
    )
    form = applied.context["form"]
    assert (form["name"].value(), form["address"].value()) == ("王小虹", "白沙大道8号")
    assert "已采用读卡结果：住址" in applied.content.decode()
    assert [c.field for c in applied.context["reading"].conflicts] == ["name"]
    assert not Person.objects.filter(id_number=NEW_ID).exists()


def test_on_the_edit_form_the_stored_values_stand_until_confirmed(login, users, person):
    client = login(users["officer"])
    url = f"/persons/{person.pk}/edit/"
    shown = form_values(client.get(url).context["form"])
    reading = f"姓名={person.name}\n公民身份号码={person.id_number}\n住址=白沙大道100号"

    read = client.post(url, {**shown, "reading_action": "read", "reading": reading})

    assert read.status_code == 200
    assert read.context["form"]["address"].value() == "白沙大道1号"
    assert [(c.field, c.old, c.new) for c in read.context["reading"].conflicts] == [
        ("address", "白沙大道1号", "白沙大道100号")
    ]
    person.refresh_from_db()
    assert person.address == "白沙大道1号"

    saved = client.post(url, {**form_values(read.context["form"])})
    assert saved.status_code == 302
    person.refresh_from_db()
    assert person.address == "白沙大道1号"  # saved without ticking: the old value kept


def test_a_bad_reading_changes_nothing_and_says_why(login, users, person):
    client = login(users["officer"])
    url = f"/persons/{person.pk}/edit/"
    shown = form_values(client.get(url).context["form"])
    bad = f"姓名=陈建国\n公民身份号码={person.id_number[:17]}{'0' if person.id_number[17] != '0' else '1'}"

    response = client.post(url, {**shown, "name": "陈建民", "reading_action": "read", "reading": bad})

    assert response.status_code == 400
    assert "读卡结果未采用：读卡结果中的身份证号有误" in response.content.decode()
    assert response.context["form"]["name"].value() == "陈建民"  # as typed, not the reading's
    person.refresh_from_db()
    assert person.name == "陈建国"


def test_the_read_button_is_offered_only_when_the_reader_is_configured(login, users, settings):
    client = login(users["officer"])
    off = client.get("/persons/new/").content.decode()
    assert "粘贴读卡结果" in off and "data-idcard-read" not in off and "idcard.js" not in off
    settings.IDCARD_READER = {"url": "http://127.0.0.1:8989/read", "fields": {}}
    on = client.get("/persons/new/").content.decode()
    assert "data-idcard-read" in on and '"url": "http://127.0.0.1:8989/read"' in on


def test_the_application_form_checks_the_card_against_the_applicant(login, users, person, other_person):
    client = login(users["officer"])
    url = f"/benefits/applications/new/?person={person.pk}"
    same = client.post(
        url,
        {
            "person": person.pk,
            "reading_action": "read",
            "reading": f"公民身份号码={person.id_number}\n住址=白沙大道2号",
        },
    )
    assert same.status_code == 200
    body = same.content.decode()
    assert "读卡结果与登记信息有以下不同" in body and "白沙大道2号" in body
    other = client.post(
        url, {"person": person.pk, "reading_action": "read", "reading": f"公民身份号码={other_person.id_number}"}
    )
    assert other.status_code == 400
    assert "这不是申请人本人的身份证" in other.content.decode()
    assert other_person.id_number not in other.content.decode()
    assert not person.applications.exists()
