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


def _summary(html: str) -> str:
    """The error summary: the one alert that opens the form's errors."""
    found = re.findall(r'<div class="alert alert-danger error-summary" role="alert">(.*?)</div>', html, re.S)
    assert len(found) == 1, found
    return found[0]


def test_the_error_summary_links_to_each_invalid_field(login, users, person):
    response = login(users["officer"]).post(
        reverse("registry:person_edit", args=[person.pk]),
        {"name": "", "gender": person.gender, "id_number": person.id_number, "area": person.area_id, "phone": "12345"},
    )
    html = response.content.decode()
    summary = _summary(html)
    assert "请更正下面标红的内容后再保存。" in summary
    links = re.findall(r'<a class="alert-link" href="#([^"]+)">([^<]+)</a>：([^<]+)</li>', summary)
    assert [(target, label) for target, label, _ in links] == [("id_name", "姓名"), ("id_phone", "联系电话")]
    assert "联系电话格式不正确" in links[1][2]
    # Each link leads to the field marked invalid.
    assert set(_marked_fields(html)) == {"id_name", "id_phone"}


def test_the_shared_form_fields_give_the_summary_and_a_form_error_alone(login, users, person):
    client = login(users["officer"])
    response = client.post(reverse("registry:person_event", args=[person.pk]), {"kind": "grade", "date": ""})
    summary = _summary(response.content.decode())
    assert summary.startswith("未登记：请更正下面标红的内容后再提交。")
    assert [t for t in re.findall(r'href="#([^"]+)"', summary)] == ["id_date", "id_grade", "id_reason"]


def test_the_summary_renders_nothing_for_a_valid_form():
    from django.template.loader import render_to_string

    form = _Form(data={"name": "张三", "kind": "a"})
    assert form.is_valid()
    assert render_to_string("_error_summary.html", {"form": form}).strip() == ""
    form = _Form(data={"kind": "b"})
    form.is_valid()
    html = render_to_string("_error_summary.html", {"form": form})
    assert re.findall(r'href="#([^"]+)"', html) == ["id_name", "id_kind"]
