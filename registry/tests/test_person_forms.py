import pytest
from django.urls import reverse

from registry.models import Person
from registry.testing import make_id_number


def _post_new(client, areas, **overrides):
    id_number = make_id_number(birth="19750505", sequence=321)
    data = {
        "name": "黄志强",
        "gender": "M",
        "id_number": id_number,
        "certificate_number": id_number + "42",
        "category": "4",
        "grade": "2",
        "certificate_issued": "2015-03-01",
        "certificate_valid_until": "",
        "area": areas["baisha_b"].code,
        "address": "",
        "phone": "13900001111",
        "guardian_name": "",
        "guardian_phone": "",
        "economic_status": "dibao",
        "bank_name": "",
        "bank_account": "",
    }
    data.update(overrides)
    return client.post(reverse("registry:person_create"), data)


def test_an_officer_registers_a_person_of_their_town(login, users, areas):
    response = _post_new(login(users["officer"]), areas)
    person = Person.objects.get(name="黄志强")
    assert response.status_code == 302 and person.birth_date.isoformat() == "1975-05-05"
    assert person.history.latest().history_user == users["officer"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id_number", "440703197505053210", "校验位错误"),
        ("gender", "F", "性别与身份证号第 17 位不符"),
        ("certificate_number", "x", "应为 20 位"),
        ("phone", "12345", "联系电话格式不正确"),
        ("name", "A", "姓名应为"),
        ("certificate_valid_until", "2014-01-01", "有效期至应晚于发证日期"),
        ("bank_account", "12ab", "银行账号应为"),
    ],
)
def test_bad_input_gets_a_chinese_message_and_nothing_is_saved(login, users, areas, field, value, message):
    response = _post_new(login(users["officer"]), areas, **{field: value})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Person.objects.exists()


def test_another_towns_community_is_not_a_choice(login, users, areas):
    response = _post_new(login(users["officer"]), areas, area=areas["hetang_a"].code)
    assert response.status_code == 200 and not Person.objects.exists()


def test_a_duplicate_id_is_refused(login, users, areas, other_person):
    response = _post_new(
        login(users["officer"]),
        areas,
        id_number=other_person.id_number,
        certificate_number=other_person.id_number + "42",
        gender=other_person.gender,
    )
    assert "该身份证号已登记" in response.content.decode()


def test_edit_saves_a_field_and_keeps_who_changed_it(login, users, person):
    client = login(users["officer"])
    form = client.get(reverse("registry:person_edit", args=[person.pk])).context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update(phone="12", area=person.area_id)
    data.pop("lives_alone", None)
    response = client.post(reverse("registry:person_edit", args=[person.pk]), data)
    assert "联系电话格式不正确" in response.content.decode()
    person.refresh_from_db()
    assert person.phone == "13812345678"
    data["phone"] = "13700002222"
    response = client.post(reverse("registry:person_edit", args=[person.pk]), data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.phone == "13700002222" and person.history.latest().history_user == users["officer"]


def test_edit_cannot_move_a_person_the_area_changes_by_request_only(login, users, person, areas):
    client = login(users["officer"])
    form = client.get(reverse("registry:person_edit", args=[person.pk])).context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data["area"] = areas["hetang_a"].code
    data.pop("lives_alone", None)
    response = client.post(reverse("registry:person_edit", args=[person.pk]), data)
    # The area is no field of the edit form (registry.changes): the posted one is ignored.
    assert "area" not in form.fields and response.status_code == 302
    person.refresh_from_db()
    assert person.area_id == areas["baisha_a"].code


def test_the_detail_page_lists_who_changed_which_field(login, users, person):
    from registry.services import person_update

    person_update(user=users["officer"], person=person, data={"phone": "13700002222"})
    html = login(users["officer"]).get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    assert "修改记录" in html and "联系电话" in html and users["officer"].display_name in html
