import datetime

from registry.models import Person, PersonEvent
from registry.testing import make_certificate, make_id_number


def _new_person(areas, **extra):
    id_number = make_id_number(birth="19900315", sequence=211)
    body = {
        "name": "黄小明",
        "gender": "M",
        "id_number": id_number,
        "certificate_number": make_certificate(id_number, 1, 2),
        "category": 1,
        "grade": 2,
        "area": areas["baisha_b"].code,
        "phone": "13900001111",
    }
    body.update(extra)
    return body


def test_an_officer_registers_a_person_of_their_town(api_as, areas):
    response = api_as("officer").post("/api/persons", _new_person(areas))
    assert response.status_code == 201, response.content
    body = response.json()
    person = Person.objects.get(pk=body["id"])
    assert person.name == "黄小明"
    assert person.area_id == areas["baisha_b"].code
    assert person.birth_date == datetime.date(1990, 3, 15)
    assert body["id_number"] != person.id_number  # answered masked
    assert person.history.first().history_user.username == "officer"


def test_a_registration_in_another_town_is_refused_and_writes_nothing(api_as, areas):
    response = api_as("officer").post("/api/persons", _new_person(areas, area=areas["hetang_a"].code))
    assert response.status_code == 400
    assert "area" in response.json()["details"]
    assert not Person.objects.filter(name="黄小明").exists()


def test_a_bad_id_number_is_refused_with_the_forms_reason(api_as, areas):
    response = api_as("officer").post("/api/persons", _new_person(areas, id_number="440703199003152110"))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "id_number" in body["details"]
    assert not Person.objects.filter(name="黄小明").exists()


def test_a_leader_may_not_register(api_as, areas):
    response = api_as("leader").post("/api/persons", _new_person(areas))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_an_edit_changes_only_the_fields_given(api_as, person):
    response = api_as("officer").patch(f"/api/persons/{person.pk}", {"address": "白沙大道2号"})
    assert response.status_code == 200, response.content
    person.refresh_from_db()
    assert person.address == "白沙大道2号"
    assert person.phone == "13812345678"
    assert person.bank_account == "6228480012345678"


def test_an_edit_that_moves_a_person_out_of_the_officers_town_is_refused(api_as, areas, person):
    response = api_as("officer").patch(f"/api/persons/{person.pk}", {"area": areas["hetang_a"].code})
    assert response.status_code == 400
    person.refresh_from_db()
    assert person.area_id == areas["baisha_a"].code


def test_an_edit_of_a_person_of_another_town_is_404(api_as, other_person):
    response = api_as("officer").patch(f"/api/persons/{other_person.pk}", {"address": "x"})
    assert response.status_code == 404
    other_person.refresh_from_db()
    assert other_person.address == "白沙大道1号"


def test_a_status_event_is_recorded_once(api_as, person):
    api = api_as("officer")
    body = {"kind": "grade", "date": "2024-05-01", "value": "1", "reason": "复评"}
    first = api.post(f"/api/persons/{person.pk}/events", body)
    assert first.status_code == 201, first.content
    assert first.json()["new_value"] == "1"
    person.refresh_from_db()
    assert person.grade == 1
    again = api.post(f"/api/persons/{person.pk}/events", body)
    assert again.status_code == 200
    assert PersonEvent.objects.filter(person=person).count() == 1
    listed = api.get(f"/api/persons/{person.pk}/events").json()
    assert [e["kind"] for e in listed] == ["grade"]


def test_a_future_event_is_refused_in_chinese(api_as, person):
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    response = api_as("officer").post(
        f"/api/persons/{person.pk}/events", {"kind": "death", "date": tomorrow, "reason": "x"}
    )
    assert response.status_code == 400
    assert response.json()["message"] == "生效日期不能晚于今天"
    assert not PersonEvent.objects.filter(person=person).exists()


def test_a_key_field_changes_by_a_change_request_not_by_an_edit(api_as, person):
    response = api_as("officer").patch(f"/api/persons/{person.pk}", {"bank_account": "6228480099990001"})
    assert response.status_code == 400
    assert "变更申请" in response.json()["message"] and "bank_account" in response.json()["details"]
    person.refresh_from_db()
    assert person.bank_account == "6228480012345678"
    # The stored value (or its masked form) sent back with another change is no change.
    response = api_as("officer").patch(
        f"/api/persons/{person.pk}", {"bank_account": "************5678", "address": "白沙大道3号"}
    )
    assert response.status_code == 200, response.content


def test_flagging_a_person_as_living_alone_makes_the_watch_share_current(
    api_as, person, django_capture_on_commit_callbacks
):
    """The PATCH goes through the same edit as the page: the on-time share of the person's
    town counts them at once (never contacted: 0 of 1)."""
    from django.utils import timezone

    from targets.models import WHOLE_YEAR, IndicatorValue
    from targets.services import indicators_refresh

    year = timezone.localdate().year
    indicators_refresh(year=year, keys=["outreach_watch_on_time"])
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as("officer").patch(f"/api/persons/{person.pk}", {"lives_alone": True})
    assert response.status_code == 200, response.content
    share = IndicatorValue.objects.get(
        indicator="outreach_watch_on_time", year=year, month=WHOLE_YEAR, area_code="440703002000"
    )
    assert (share.value, share.base) == (0, 1)
