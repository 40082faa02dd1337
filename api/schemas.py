"""The shapes the API answers with. A person's fields come through `PersonView` only, so
the API masks exactly what the pages mask."""

import datetime

from ninja import Schema

from registry.presenters import PersonView
from registry.scoping import Privacy


class Page(Schema):
    """A keyset page: `next_cursor` is passed as `cursor` for the next page (null: the last)."""

    next_cursor: str | None


class PersonRow(Schema):
    id: int
    name: str
    gender: str
    id_number: str
    category: int
    category_label: str
    grade: int
    grade_label: str
    area_code: str
    area_name: str
    economic_status: str
    status: str
    status_label: str
    lives_alone: bool
    phone: str


class PersonDetail(PersonRow):
    certificate_number: str
    birth_date: datetime.date | None
    certificate_issued: datetime.date | None
    certificate_valid_until: datetime.date | None
    status_date: datetime.date | None
    address: str
    guardian_name: str
    guardian_phone: str
    bank_name: str
    bank_account: str
    revealed: bool


def _area_name(area) -> str:
    parent = area.parent.name if area.parent_id else ""
    return f"{parent} {area.name}".strip()


def _row(view: PersonView) -> dict:
    return {
        "id": view.pk,
        "name": view.name,
        "gender": view.gender,
        "id_number": view.id_number,
        "category": view.category,
        "category_label": view.get_category_display(),
        "grade": view.grade,
        "grade_label": view.get_grade_display(),
        "area_code": view.area_id,
        "area_name": _area_name(view.area),
        "economic_status": view.economic_status,
        "status": view.status,
        "status_label": view.get_status_display(),
        "lives_alone": view.lives_alone,
        "phone": view.phone,
    }


def person_row_out(person, privacy: Privacy) -> dict:
    return _row(PersonView(person, privacy))


def person_detail_out(view: PersonView) -> dict:
    return {
        **_row(view),
        "certificate_number": view.certificate_number,
        "birth_date": view.birth_date,
        "certificate_issued": view.certificate_issued,
        "certificate_valid_until": view.certificate_valid_until,
        "status_date": view.status_date,
        "address": view.address,
        "guardian_name": view.guardian_name,
        "guardian_phone": view.guardian_phone,
        "bank_name": view.bank_name,
        "bank_account": view.bank_account,
        "revealed": view.revealed,
    }


class PersonRef(Schema):
    """A record's person: id, name and community, never an identifier."""

    id: int
    name: str
    area_code: str


def person_ref(person, privacy: Privacy) -> dict:
    view = PersonView(person, privacy)
    return {"id": view.pk, "name": view.name, "area_code": view.area_id}
