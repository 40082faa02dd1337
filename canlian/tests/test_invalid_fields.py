"""A field with an error is marked red (Bootstrap's is-invalid), aria-invalid, and described
by its message, in every form: the renderer's bound field does it, not each template."""

import re

from django import forms
from django.urls import reverse


class _Form(forms.Form):
    name = forms.CharField(label="姓名", widget=forms.TextInput(attrs={"class": "form-control"}))
    kind = forms.ChoiceField(label="类别", choices=[("a", "甲")], widget=forms.Select(attrs={"class": "form-select"}))
    note = forms.CharField(label="备注", required=False)


def test_the_renderer_marks_each_invalid_field_and_keeps_its_class():
    form = _Form(data={"kind": "b"})
    assert not form.is_valid()
    name, kind, note = (str(form[n]) for n in ("name", "kind", "note"))
    assert 'class="form-control is-invalid"' in name and 'aria-invalid="true"' in name
    assert 'aria-describedby="id_name_error"' in name
    assert 'class="form-select is-invalid"' in kind
    assert "is-invalid" not in note and "aria-invalid" not in note


def _marked_fields(html: str) -> list[str]:
    """The ids of the invalid controls, each checked: red, and described by an element
    that is in the page."""
    ids = []
    for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html):
        if 'aria-invalid="true"' not in tag:
            continue
        assert re.search(r'class="[^"]*\bis-invalid\b', tag), tag
        described = re.search(r'aria-describedby="([^"]+)"', tag).group(1).split()
        assert all(f'id="{ref}"' in html for ref in described), tag
        ids.append(re.search(r'\sid="([^"]+)"', tag).group(1))
    return ids


def test_the_person_edit_form_marks_the_wrong_phone(login, users, person):
    response = login(users["officer"]).post(
        reverse("registry:person_edit", args=[person.pk]),
        {"name": person.name, "gender": person.gender, "id_number": person.id_number, "phone": "12345"},
    )
    assert "请更正下面标红的内容" in response.content.decode()
    assert "id_phone" in _marked_fields(response.content.decode())
    assert "id_name" not in _marked_fields(response.content.decode())


def test_the_status_change_form_marks_its_missing_fields(login, users, person):
    response = login(users["officer"]).post(
        reverse("registry:person_event", args=[person.pk]), {"kind": "grade", "date": ""}
    )
    assert _marked_fields(response.content.decode()) == ["id_date", "id_grade", "id_reason"]


def test_the_rehab_record_form_marks_its_missing_fields(login, users, person):
    response = login(users["officer"]).post(reverse("rehab:record_create", args=[person.pk]), {})
    assert "id_served_on" in _marked_fields(response.content.decode())
