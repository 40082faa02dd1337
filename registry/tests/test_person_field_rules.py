"""One rule per contact and payment field, for the form and the import alike (issue 11, item 4).

The import accepted "1380000" as a phone; the edit form refused it, so every later edit
of that person failed on a field the officer had not touched, and the list showed the
number whole because its mask kept 3 + 4 of its 7 digits.
"""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registry.changes import change_request_create
from registry.identifiers import mask_account, mask_phone
from registry.imports import persons_import
from registry.models import Person
from registry.presenters import PersonView
from registry.scoping import Privacy
from registry.tests.workbooks import person_row, write_workbook
from registry.validators import FieldError, bank_account_clean, phone_clean


def _edit_data(client, person) -> dict:
    form = client.get(reverse("registry:person_edit", args=[person.pk])).context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.pop("lives_alone", None)
    return data


def _imported(users, tmp_path, **cells):
    path = write_workbook(tmp_path / "名单.xlsx", [person_row(**cells)])
    return persons_import(user=users["officer"], path_or_file=path, source_name=path.name)


# The key fields a change request changes: its kind, and the other values it asks for.
BY_REQUEST = {
    "guardian_phone": ("guardian", {"guardian_name": "李监护"}),
    "bank_account": ("bank", {"bank_name": "农业银行"}),
}


@pytest.mark.parametrize(
    ("column", "field", "value", "message"),
    [
        ("联系电话", "phone", "1380000", "联系电话格式不正确"),
        ("联系电话", "phone", "+86 138 1234 5678", "联系电话格式不正确"),
        ("监护人电话", "guardian_phone", "123", "监护人电话格式不正确"),
        ("银行账号", "bank_account", "1234567", "银行账号应为 8–30 位数字"),
        ("姓名", "name", "A", "姓名应为 2 个以上汉字"),
    ],
)
def test_the_import_and_the_form_refuse_the_same_value_with_the_same_reason(
    users, login, person, tmp_path, column, field, value, message
):
    result = _imported(users, tmp_path, **{column: value})
    (rejected,) = result.rejected
    (issue,) = [i for i in rejected.reasons if i.column == column]
    assert issue.message.startswith(message)
    assert not Person.objects.exclude(pk=person.pk).exists()

    if field in BY_REQUEST:
        # A key field changes by a change request (registry.changes), checked by the same rule.
        kind, others = BY_REQUEST[field]
        with pytest.raises(ValidationError) as refused:
            change_request_create(
                user=users["officer"],
                person=person,
                field=kind,
                values={**others, field: value},
                reason="更正",
                evidence=SimpleUploadedFile("证明.pdf", b"%PDF-1.4 test"),
            )
        assert refused.value.messages == [issue.message]
        return
    client = login(users["officer"])
    data = _edit_data(client, person)
    data[field] = value
    response = client.post(reverse("registry:person_edit", args=[person.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [issue.message]


@pytest.mark.parametrize(
    ("column", "field", "value", "stored"),
    [
        ("联系电话", "phone", "０７５０－３９５２７６８", "0750-3952768"),
        ("监护人电话", "guardian_phone", "139 0000 2222", "13900002222"),
        ("银行账号", "bank_account", "6228 4800 9999 8888", "6228480099998888"),
        ("姓名", "name", "买买提•艾力", "买买提·艾力"),
    ],
)
def test_a_value_the_import_accepts_the_form_accepts_unchanged(users, login, tmp_path, column, field, value, stored):
    result = _imported(users, tmp_path, **{column: value})
    assert result.created == 1, result.as_report()
    person = Person.objects.get()
    assert getattr(person, field) == stored
    client = login(users["officer"])
    data = _edit_data(client, person)
    data["address"] = "新地址1号"
    assert client.post(reverse("registry:person_edit", args=[person.pk]), data).status_code == 302
    person.refresh_from_db()
    assert (getattr(person, field), person.address) == (stored, "新地址1号")


def test_a_stored_bad_value_is_named_in_the_edit_and_clearing_it_saves_the_other_change(login, users, person):
    Person.objects.filter(pk=person.pk).update(phone="1380000")  # as an older import stored it
    client = login(users["officer"])
    data = _edit_data(client, person)
    data["address"] = "新地址1号"
    response = client.post(reverse("registry:person_edit", args=[person.pk]), data)
    (error,) = response.context["form"].errors["phone"]
    assert error.startswith("系统中原有的联系电话格式不正确") and error.endswith("请改正，或清空该项后保存")
    data["phone"] = ""
    assert client.post(reverse("registry:person_edit", args=[person.pk]), data).status_code == 302
    person.refresh_from_db()
    assert (person.phone, person.address) == ("", "新地址1号")


def test_short_stored_values_are_masked_whole(person):
    assert mask_phone("1380000") == "*******"
    assert mask_account("1234") == "****"
    assert mask_phone("0201234567") == "020***4567"
    assert mask_account("62284800") == "****4800"
    person.phone, person.guardian_phone, person.bank_account = "1380000", "123456789", "1234567"
    view = PersonView(person, Privacy(personal=True, may_reveal=True))
    assert (view.phone, view.guardian_phone, view.bank_account) == ("*******", "*********", "*******")


def test_the_list_does_not_show_a_short_phone_whole(login, users, person):
    Person.objects.filter(pk=person.pk).update(phone="1380000")
    page = login(users["officer"]).get(reverse("registry:person_list")).content.decode()
    assert person.name in page and "1380000" not in page


def test_the_rules_are_one_function_each():
    with pytest.raises(FieldError, match="脱敏"):
        phone_clean("138****5678")
    with pytest.raises(FieldError, match="脱敏"):
        bank_account_clean("************8888")
    assert phone_clean("") == "" and bank_account_clean("") == ""
