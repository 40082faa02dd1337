"""Registering a child for rehabilitation assistance, with or without a certificate: the ID
number by the project's rule (or a birth certificate number), the guardian's phone by the
registry's, the community in the officer's town; a refusal names the field and writes
nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from canlian.models import AuditEntry
from canlian.scoping import OutOfScope
from registry.testing import make_id_number
from rehab.models import Child
from rehab.services_children import child_register, child_update

from .conftest import years_ago

BIRTH = years_ago(2)
ID_NUMBER = make_id_number(birth=f"{BIRTH:%Y%m%d}", sequence=202)


def _fields(areas, **extra):
    fields = {
        "name": "黄梓轩",
        "gender": "",
        "id_number": ID_NUMBER,
        "birth_certificate": "",
        "birth_date": None,
        "disability": "autism",
        "diagnosis": "孤独症谱系障碍",
        "guardian_name": "黄国明",
        "guardian_phone": "13800138000",
        "area": areas["baisha_a"],
    }
    fields.update(extra)
    return fields


def test_an_uncertified_child_is_recorded_with_the_birth_date_and_gender_of_the_id_number(users, areas):
    child = child_register(user=users["officer"], **_fields(areas))
    assert (child.id_number, child.birth_date, child.gender, child.person_id) == (ID_NUMBER, BIRTH, "F", None)
    assert child.area_id == areas["baisha_a"].code and child.registered_by == users["officer"]
    assert child.history.count() == 1
    assert AuditEntry.objects.filter(action="rehab.child.registered", object_id=str(child.pk)).exists()


def test_a_child_without_an_id_number_is_recorded_by_birth_certificate(users, areas):
    child = child_register(
        user=users["officer"],
        **_fields(areas, id_number="", birth_certificate=" r440123456 ", birth_date=BIRTH, gender="M"),
    )
    assert (child.id_number, child.birth_certificate) == ("", "R440123456")


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"id_number": ID_NUMBER[:-1] + ("0" if ID_NUMBER[-1] != "0" else "1")}, "id_number", "校验位错误"),
        (
            {"id_number": "", "birth_date": BIRTH},
            "id_number",
            "请填写身份证号；尚未办理身份证的，请填写出生医学证明编号",
        ),
        ({"id_number": "", "birth_certificate": "44012345", "birth_date": BIRTH}, "birth_certificate", "格式不正确"),
        ({"birth_date": years_ago(3)}, "birth_date", "出生日期与身份证号中的"),
        ({"gender": "M"}, "gender", "性别与身份证号第 17 位不符"),
        ({"guardian_phone": "1381234"}, "guardian_phone", "监护人电话格式不正确"),
        ({"guardian_phone": ""}, "guardian_phone", "请填写监护人电话"),
        ({"guardian_name": "x"}, "guardian_name", "监护人姓名应为 2 个以上汉字"),
        ({"diagnosis": "  "}, "diagnosis", "请填写诊断"),
        ({"disability": "mental"}, "disability", "请选择残疾类别"),
        ({"name": "陈**"}, "name", "脱敏后的姓名"),
    ],
)
def test_a_bad_field_is_refused_with_its_reason_and_nothing_is_written(users, areas, extra, field, message):
    with pytest.raises(ValidationError) as refused:
        child_register(user=users["officer"], **_fields(areas, **extra))
    assert message in " ".join(refused.value.message_dict[field])
    assert not Child.objects.exists() and not AuditEntry.objects.exists()


def test_the_same_id_number_is_not_registered_twice_even_from_another_town(users, areas):
    child_register(user=users["officer"], **_fields(areas))
    with pytest.raises(ValidationError, match="该身份证号的儿童已登记"):
        child_register(user=users["other_officer"], **_fields(areas, area=areas["hetang_a"]))
    assert Child.objects.count() == 1


def test_a_community_outside_the_officers_town_is_out_of_scope(users, areas):
    with pytest.raises(OutOfScope):
        child_register(user=users["officer"], **_fields(areas, area=areas["hetang_a"]))
    assert not Child.objects.exists()


def test_only_users_who_may_register_children_do(users, areas):
    for role in ("reviewer", "leader", "centre"):
        with pytest.raises(PermissionDenied):
            child_register(user=users[role], **_fields(areas))
    assert not Child.objects.exists()


def test_an_edit_keeps_a_blank_guardian_phone_and_moves_the_childs_applications(users, areas, child_of, placed):
    application = placed()
    child = application.child
    updated = child_update(
        user=users["officer"],
        child=child,
        disability="hearing",
        diagnosis="双耳重度感音神经性耳聋",
        diagnosed_by="江门市妇幼保健院",
        guardian_name="林志强",
        guardian_phone="",
        area=areas["baisha_b"],
        address="丰乐路1号",
    )
    assert (updated.guardian_phone, updated.area_id) == ("13912345678", areas["baisha_b"].code)
    application.refresh_from_db()
    assert application.area_code == areas["baisha_b"].code
    assert child.history.count() == 2


def test_an_edit_to_another_towns_community_is_refused(users, areas, child_of):
    child = child_of()
    with pytest.raises(OutOfScope):
        child_update(
            user=users["officer"],
            child=child,
            disability="hearing",
            diagnosis="耳聋",
            diagnosed_by="",
            guardian_name="林志强",
            guardian_phone="",
            area=areas["hetang_a"],
            address="",
        )
    child.refresh_from_db()
    assert child.area_id == areas["baisha_a"].code
