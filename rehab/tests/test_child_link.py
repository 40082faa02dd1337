"""A child is linked to the registry when certified: at registration when a person has the
child's ID number, when a person with it is registered or imported later (the registry's
`records_changed`, in the same transaction), or by an officer on the child's page (the
same ID number, or for a child recorded by birth certificate the same name and birth
date). A link moves nothing: the child's applications and records stay the child's."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from canlian.models import AuditEntry
from conftest import make_person
from registry.imports import persons_import
from registry.models import EventKind, Person
from registry.services import person_create, person_event_record, person_update
from registry.testing import make_certificate, make_id_number
from registry.tests.workbooks import person_row, write_workbook
from rehab import services_children
from rehab.models import Child
from rehab.selectors_children import registered_match
from rehab.services_children import child_link, child_record, children_link_registered

from .conftest import TODAY, years_ago

BIRTH = years_ago(4)
BIRTH_TEXT = f"{BIRTH:%Y%m%d}"
NUMBER = make_id_number(birth=BIRTH_TEXT, sequence=301)


def _person(areas, **extra):
    return make_person(areas["baisha_a"], name="林小雨", birth=BIRTH_TEXT, sequence=301, category=2, grade=1, **extra)


def _person_data(areas) -> dict:
    """The registration of the child's person, as the person form gives it."""
    return {
        "name": "林小雨",
        "gender": "M",
        "id_number": NUMBER,
        "birth_date": BIRTH,
        "certificate_number": make_certificate(NUMBER, 2, 1),
        "category": 2,
        "grade": 1,
        "area": areas["baisha_a"],
    }


def test_a_child_registered_with_a_registered_persons_id_number_is_linked_at_once(areas, child_of):
    person = _person(areas)
    child = child_of(id_number=NUMBER, gender="M", name="林小雨")
    assert child.person == person and child.linked_at is not None
    entry = AuditEntry.objects.get(action="rehab.child.linked")
    assert (entry.person_id, entry.data) == (person.pk, {"automatic": True})


def test_a_person_registered_later_is_linked_to_the_child(users, areas, child_of):
    child = child_of(id_number=NUMBER, gender="M")
    assert child.person_id is None
    data = _person_data(areas)
    person = person_create(user=users["officer"], data=data)
    child.refresh_from_db()
    assert child.person == person
    assert child.history.first().person_id == person.pk  # the link is in the child's history


def test_an_id_number_corrected_on_the_edit_form_links_the_child(users, areas, child_of):
    child = child_of(id_number=NUMBER, gender="M")
    person = make_person(areas["baisha_a"], name="林小雨", birth=BIRTH_TEXT, sequence=302, category=2, grade=1)
    child.refresh_from_db()
    assert child.person_id is None
    person_update(user=users["officer"], person=person, data={"id_number": NUMBER})
    child.refresh_from_db()
    assert child.person == person


def test_a_status_event_does_not_look_for_children_to_link(users, areas, child_of, monkeypatch):
    calls = []
    monkeypatch.setattr(services_children, "children_link_registered", lambda: calls.append(1))
    person = _person(areas)
    person_event_record(
        user=users["officer"], person=person, kind=EventKind.DEATH, date=TODAY - datetime.timedelta(days=3), value=""
    )
    assert calls == []
    other = make_id_number(birth=BIRTH_TEXT, sequence=303)
    data = {**_person_data(areas), "id_number": other, "certificate_number": make_certificate(other, 2, 1)}
    person_create(user=users["officer"], data=data)
    assert calls == [1]


def test_a_person_import_links_the_child_in_the_imports_transaction(users, areas, child_of, tmp_path):
    child = child_of(id_number=NUMBER, gender="M")
    row = person_row(name="林小雨", birth=BIRTH_TEXT, sequence=301, category=2, grade=1, **{"发证日期": ""})
    path = write_workbook(tmp_path / "名单.xlsx", [row])
    result = persons_import(user=users["officer"], path_or_file=path, source_name="名单.xlsx")
    assert result.created == 1
    child.refresh_from_db()
    assert child.person == Person.objects.get(id_number=NUMBER)


def test_a_rolled_back_registration_leaves_the_child_unlinked(users, areas, child_of):
    child = child_of(id_number=NUMBER, gender="M")
    data = _person_data(areas)
    with pytest.raises(RuntimeError), transaction.atomic():
        person_create(user=users["officer"], data=data)
        raise RuntimeError("the registration fails after the person was written")
    child.refresh_from_db()
    assert child.person_id is None and not AuditEntry.objects.filter(action="rehab.child.linked").exists()


def test_a_person_written_past_the_services_is_offered_for_linking_then_linked(users, areas, child_of, login):
    child = child_of(id_number=NUMBER, gender="M")
    # An ID number corrected outside the services (an admin's bulk update sends no change).
    person = _person(areas, id_number=make_id_number(birth=BIRTH_TEXT, sequence=303))
    Person.objects.filter(pk=person.pk).update(id_number=NUMBER)
    child.refresh_from_db()
    assert child.person_id is None
    assert list(Child.objects.filter(registered_match())) == [child]
    listed = login(users["officer"]).get(reverse("rehab:child_list"), {"certified": "match"})
    assert "可关联持证信息" in listed.content.decode() and listed.context["rows"][0]["matches"]
    page = login(users["officer"]).get(reverse("rehab:child_detail", args=[child.pk]))
    assert [p.pk for p in page.context["candidates"]] == [person.pk]
    response = login(users["officer"]).post(reverse("rehab:child_link", args=[child.pk]), {"person": person.pk})
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.person_id == person.pk
    assert AuditEntry.objects.get(action="rehab.child.linked").data == {"automatic": False}


def test_the_automatic_link_leaves_a_person_already_linked_to_another_child(areas, child_of):
    person = _person(areas)
    first = child_of(id_number=NUMBER, gender="M")
    assert first.person == person
    assert children_link_registered() == 0


def test_a_child_by_birth_certificate_is_linked_by_name_and_birth_date_and_takes_the_id_number(users, areas, child_of):
    child = child_of(name="林小雨", gender="M", birth_date=BIRTH)
    person = _person(areas)
    linked = child_link(user=users["officer"], child=child, person=person)
    assert (linked.person, linked.id_number, linked.birth_certificate) == (person, NUMBER, child.birth_certificate)


@pytest.mark.parametrize(
    ("child_fields", "message"),
    [
        ({"id_number": make_id_number(birth=BIRTH_TEXT, sequence=305), "gender": "M"}, "身份证号与儿童登记的"),
        ({"name": "林小雪", "birth_date": BIRTH}, "姓名或出生日期"),
        ({"name": "林小雨", "birth_date": BIRTH - datetime.timedelta(days=1)}, "姓名或出生日期"),
    ],
)
def test_a_link_to_someone_else_is_refused(users, areas, child_of, child_fields, message):
    child = child_of(**child_fields)
    person = _person(areas)
    with pytest.raises(ValidationError, match=message):
        child_link(user=users["officer"], child=child, person=person)
    child.refresh_from_db()
    assert child.person_id is None


def test_a_link_page_for_a_person_out_of_scope_answers_404_and_links_nothing(users, areas, child_of, login):
    child = child_of(name="林小雨", gender="M", birth_date=BIRTH)
    other = make_person(areas["hetang_a"], name="林小雨", birth=BIRTH_TEXT, sequence=301, category=2, grade=1)
    response = login(users["officer"]).post(reverse("rehab:child_link", args=[child.pk]), {"person": other.pk})
    assert response.status_code == 404
    child.refresh_from_db()
    assert child.person_id is None


def test_a_linked_child_moves_with_the_person_and_the_records_stay(users, areas, child_of, placed):
    person = _person(areas)
    child = child_of(id_number=NUMBER, gender="M")
    application = placed(child)
    record = child_record(
        user=users["officer"], application=application, served_on=TODAY, content="听觉言语康复训练", amount_fen=100
    )
    person_update(user=users["admin"], person=person, data={"area": areas["hetang_a"]})
    child.refresh_from_db()
    application.refresh_from_db()
    record.refresh_from_db()
    assert (child.area_id, application.area_code) == (areas["hetang_a"].code, areas["hetang_a"].code)
    assert record.area_code == areas["baisha_a"].code
