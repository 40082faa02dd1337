"""The status-change form on a person's page: each event's own field, required fields
marked, every mistake reported at once, and a refusal shown on the person's page."""

import datetime
import re

from django.urls import reverse

from registry.models import PersonEvent


def _post(client, person, **data):
    return client.post(reverse("registry:person_event", args=[person.pk]), data)


def _field_errors(html: str) -> dict[str, str]:
    return dict(re.findall(r'id="id_(\w+)_error">([^<]+)<', html))


def test_each_value_field_belongs_to_its_event_and_required_ones_are_marked(login, users, person):
    html = login(users["officer"]).get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    form = html[html.index('id="event-form"') :]
    assert 'data-shown-by="kind"' in form and "js/shown_for.js" in form
    shown_for = re.findall(r'data-shown-for="(\w+)">\s*<label class="form-label" for="id_(\w+)">([^<]+)(<span)?', form)
    assert [(kind, name, bool(star)) for kind, name, _label, star in shown_for] == [
        ("grade", "grade", True),
        ("category", "category", True),
        ("renewal", "valid_until", False),
    ]
    assert re.search(r'<select name="grade"[^>]*aria-required="true"', form)


def test_every_mistake_is_reported_at_once_on_the_person_page(login, users, person):
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    response = _post(login(users["officer"]), person, kind="grade", date=tomorrow.isoformat(), reason="")
    html = response.content.decode()
    assert response.status_code == 400
    assert '<h1 class="h3 mb-0">陈建国' in html  # the person's page, not a bare form
    assert re.search(r'<details class="card" id="event-form" open>', html)
    assert _field_errors(html) == {
        "date": "生效日期不能晚于今天",
        "grade": "请选择新等级",
        "reason": "这个字段是必填项。",
    }
    assert not PersonEvent.objects.exists()


def test_a_date_before_birth_is_reported_with_the_other_mistakes(login, users, person):
    response = _post(login(users["officer"]), person, kind="category", date="1970-01-01", reason="")
    errors = _field_errors(response.content.decode())
    assert errors == {"date": "生效日期不能早于出生日期", "category": "请选择新类别", "reason": "这个字段是必填项。"}


def test_a_value_of_another_event_is_ignored(login, users, person):
    response = _post(login(users["officer"]), person, kind="death", date="2025-07-15", grade="1", reason="民政死亡名单")
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.status == "deceased" and person.grade == 2


def test_a_refusal_by_the_service_stays_on_the_person_page(login, users, person):
    response = _post(login(users["officer"]), person, kind="grade", date="2025-01-01", grade="2", reason="复核")
    html = response.content.decode()
    assert response.status_code == 400 and 'id="event-form" open' in html
    refusal = "该人员在 2025-01-01 已是此状态，无需登记"
    assert re.search(rf'<div class="alert alert-danger error-summary" role="alert">{refusal}</div>', html)


def test_an_event_must_be_chosen(login, users, person):
    response = _post(login(users["officer"]), person, date="2025-01-01", reason="复核")
    assert response.status_code == 400 and _field_errors(response.content.decode()) == {"kind": "这个字段是必填项。"}
