"""The edit form and identifiers: an officer who may reveal them sees them in full, and the
open is logged as a reveal; one who may edit but not reveal sees them masked, and a masked
value sent back unchanged keeps the stored one."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import User
from canlian.models import AuditEntry

SECRETS = ("id_number", "phone", "guardian_phone", "bank_account")


@pytest.fixture
def guarded(person):
    person.guardian_phone = "13987654321"
    person.save(update_fields=["guardian_phone"])
    return person


@pytest.fixture
def editor(areas):
    """May see and edit the persons of 白沙街道, not reveal their identifiers."""
    user = User.objects.create_user(username="editor", password="x-Canlian-2026", area=areas["baisha"])
    codenames = ["view_person", "view_personal_data", "change_person"]
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="registry", codename__in=codenames))
    return user


def _url(person):
    return reverse("registry:person_edit", args=[person.pk])


def _form_data(response) -> dict:
    """What the browser sends back: each field's rendered value."""
    form = response.context["form"]
    data = {}
    for bound in form:
        if bound.field.widget.input_type == "checkbox":
            if bound.value():
                data[bound.html_name] = "on"
            continue
        value = bound.field.widget.format_value(bound.value())
        data[bound.html_name] = "" if value is None else value
    return data


def test_opening_the_form_with_reveal_permission_shows_the_identifiers_and_is_logged(login, users, guarded):
    response = login(users["officer"]).get(_url(guarded))
    html = response.content.decode()
    for field in SECRETS:
        assert getattr(guarded, field) in html, field
    assert "打开本页已记入访问记录" in html
    log = AuditEntry.objects.get()
    assert (log.user, log.action, log.person_id, log.data) == (
        users["officer"],
        "registry.identifiers.revealed",
        guarded.pk,
        {"page": "edit"},
    )


def test_an_editor_who_may_not_reveal_sees_masked_values_and_nothing_is_logged(login, editor, guarded):
    response = login(editor).get(_url(guarded))
    html = response.content.decode()
    assert response.status_code == 200
    for field in SECRETS:
        assert getattr(guarded, field) not in html, field
    assert "440703********" in html and "138****5678" in html and "************5678" in html
    assert "已记入访问记录" not in html and not AuditEntry.objects.exists()


def test_masked_values_sent_back_unchanged_keep_the_stored_ones(login, editor, guarded):
    client = login(editor)
    data = _form_data(client.get(_url(guarded)))
    data["address"] = "白沙大道2号"
    response = client.post(_url(guarded), data)
    assert response.status_code == 302, response.context["form"].errors
    before = {field: getattr(guarded, field) for field in SECRETS}
    guarded.refresh_from_db()
    assert guarded.address == "白沙大道2号"
    assert {field: getattr(guarded, field) for field in SECRETS} == before


def test_an_editor_who_may_not_reveal_types_a_new_value_over_a_masked_one(login, editor, guarded):
    client = login(editor)
    data = _form_data(client.get(_url(guarded)))
    data["phone"] = "13700002222"
    assert client.post(_url(guarded), data).status_code == 302
    guarded.refresh_from_db()
    assert guarded.phone == "13700002222" and guarded.bank_account == "6228480012345678"


def test_a_refused_edit_shows_the_kept_values_masked_again(login, editor, guarded):
    client = login(editor)
    data = _form_data(client.get(_url(guarded)))
    data["phone"] = "12"
    html = client.post(_url(guarded), data).content.decode()
    assert "联系电话格式不正确" in html
    assert guarded.id_number not in html and guarded.bank_account not in html and guarded.phone not in html
