"""Service apps' records against a person: list, create and void, through each app's
selectors, forms and services. Rehabilitation service records (康复服务记录) so far."""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.responses import Status

from api.access import PERSONAL, require_perms
from api.errors import form_errors
from api.pagination import keyset_page
from api.schemas import Page, PersonRef, person_ref
from registry.scoping import Privacy
from registry.selectors import person_for_user
from rehab import selectors as rehab_selectors
from rehab import services as rehab_services
from rehab.forms import ServiceRecordForm

router = Router(tags=["服务记录"])


class RehabRecordOut(Schema):
    id: int
    person: PersonRef
    item_code: str
    item_name: str
    provider: str
    served_on: datetime.date
    sessions: int
    note: str
    area_code: str
    voided: bool
    void_reason: str


class RehabRecordPage(Page):
    items: list[RehabRecordOut]


class RehabRecordFilters(Schema):
    town: str | None = None
    item: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def _rehab_out(record, privacy) -> dict:
    return {
        "id": record.pk,
        "person": person_ref(record.person, privacy),
        "item_code": record.item.code,
        "item_name": record.item.name,
        "provider": record.provider.name,
        "served_on": record.served_on,
        "sessions": record.sessions,
        "note": record.note,
        "area_code": record.area_code,
        "voided": record.voided_at is not None,
        "void_reason": record.void_reason,
    }


@router.get("/rehab/records", response=RehabRecordPage, summary="康复服务记录列表")
def rehab_record_list(request, filters: Query[RehabRecordFilters], cursor: str | None = None, limit: int | None = None):
    """Standing service records of the caller's scope, newest first, filtered as on the page."""
    require_perms(request, "rehab.view_servicerecord", PERSONAL)
    records, form = rehab_selectors.filtered_records(request)
    if form.is_bound and not form.is_valid():
        raise form_errors(form)
    page = keyset_page(rehab_selectors.with_display(records), cursor=cursor, limit=limit)
    privacy = Privacy.for_user(request.user)
    return {"items": [_rehab_out(r, privacy) for r in page.rows], "next_cursor": page.next_cursor}


class RehabRecordIn(Schema):
    person: int
    item: int
    provider: int
    served_on: datetime.date
    sessions: int = 1
    note: str = ""


@router.post("/rehab/records", response={201: RehabRecordOut}, summary="登记康复服务")
def rehab_record_create(request, body: RehabRecordIn):
    """One service given to a person of the caller's scope (404 for another's)."""
    require_perms(request, "rehab.add_servicerecord")
    person = person_for_user(request.user, body.person)
    form = ServiceRecordForm(body.dict(exclude={"person"}))
    if not form.is_valid():
        raise form_errors(form)
    data = form.cleaned_data
    record = rehab_services.service_record(
        user=request.user,
        person=person,
        item=data["item"],
        provider=data["provider"],
        served_on=data["served_on"],
        sessions=data["sessions"],
        note=data["note"],
    )
    return Status(201, _rehab_out(record, Privacy.for_user(request.user)))


class VoidIn(Schema):
    reason: str


@router.post("/rehab/records/{int:record_id}/void", response=RehabRecordOut, summary="作废康复服务记录")
def rehab_record_void(request, record_id: int, body: VoidIn):
    """Void a standing record of the caller's scope, with the reason (作废原因)."""
    require_perms(request, "rehab.void_servicerecord")
    queryset = rehab_selectors.records_visible_to(request.user).select_related("person", "item", "provider")
    record = get_object_or_404(queryset, pk=record_id)
    record = rehab_services.service_record_void(user=request.user, record=record, reason=body.reason)
    return _rehab_out(record, Privacy.for_user(request.user))
