"""Persons (持证残疾人): the registry's list, detail, registration, edits and status events,
through the selectors, forms and services the person pages use."""

import datetime

from django.forms.models import model_to_dict
from ninja import Query, Router, Schema
from ninja.responses import Status

from api.access import PERSONAL, require_perms
from api.errors import ApiError, form_errors
from api.pagination import keyset_page
from api.schemas import Page, PersonDetail, PersonRow, person_detail_out, person_row_out
from registry import services
from registry.changes import FORM_FIELDS_BY_REQUEST
from registry.forms import PersonEventForm, PersonForm
from registry.forms_edit import PersonEditForm
from registry.models import EventKind
from registry.presenters import IDENTIFIER_MASKS, PersonView
from registry.scoping import Privacy
from registry.selectors import (
    COUNT_COLUMNS,
    filtered_persons,
    filtered_persons_count,
    person_counts_table,
    person_for_user,
)

router = Router(tags=["人员"])


class PersonFilters(Schema):
    """The person list's filters, as on its page (姓名/证件号, 镇街, 村居, 类别, 等级, 状态…)."""

    q: str | None = None
    town: str | None = None
    community: str | None = None
    category: int | None = None
    grade: int | None = None
    status: str | None = None
    economic_status: str | None = None
    lives_alone: str | None = None
    sort: str | None = None


class PersonPage(Page):
    items: list[PersonRow]
    total: int


@router.get("/persons", response=PersonPage, summary="人员列表")
def person_list(
    request, filters: Query[PersonFilters], cursor: str | None = None, limit: int | None = None, reveal: bool = False
):
    """The persons of the caller's scope, filtered as the list page filters them, in its
    order (`sort`, by default community, name), a page after `cursor`. `total` counts the
    whole filtered list. Identifiers are masked; a full one is read per person (`reveal`)."""
    require_perms(request, "registry.view_person", PERSONAL)
    if reveal:
        # As on the pages, identifiers are revealed one person at a time, each logged.
        raise ApiError(400, "invalid", "列表不提供完整证件号，请逐人查看：GET /api/persons/{id}?reveal=1")
    queryset, form = filtered_persons(request)
    if form.is_bound and not form.is_valid():
        raise form_errors(form)
    privacy = Privacy.for_user(request.user)
    page = keyset_page(queryset, cursor=cursor, limit=limit)
    return {
        "items": [person_row_out(person, privacy) for person in page.rows],
        "next_cursor": page.next_cursor,
        "total": filtered_persons_count(request.user, form, queryset),
    }


class CountRow(Schema):
    name: str
    counts: list[int]
    total: int


class PersonCounts(Schema):
    area_label: str
    by: str
    by_label: str
    columns: list[str]
    rows: list[CountRow]
    totals: list[int]
    total: int


@router.get("/persons/counts", response=PersonCounts, summary="人员统计数")
def person_counts(request, filters: Query[PersonFilters], by: str = "category"):
    """The persons the list would show, counted per town (per community once a town or
    community is chosen) and by `by` (category, grade or status): what a leader reads
    instead of the list, and the same counters as the list's total. No row per person."""
    require_perms(request, "registry.view_person")
    if by not in COUNT_COLUMNS:
        raise ApiError(400, "invalid", f"by 应为 {'、'.join(COUNT_COLUMNS)} 之一")
    _, form = filtered_persons(request)
    if form.is_bound and not form.is_valid():
        raise form_errors(form)
    return {"by": by, **person_counts_table(request.user, form, by)}


def _detail(request, person, *, reveal: bool):
    privacy = Privacy.for_user(request.user)
    if reveal:
        # The service refuses a user who may not reveal, and logs the reveal (as the page).
        services.person_reveal(user=request.user, person=person, page="api")
    return person_detail_out(PersonView(person, privacy, revealed=reveal))


@router.get("/persons/{int:person_id}", response=PersonDetail, summary="人员详情")
def person_detail(request, person_id: int, reveal: bool = False):
    """One person of the caller's scope (404 outside it). With `reveal=1` the full ID number,
    certificate number, phones and bank account, for a user who may reveal them; each such
    read is an audit entry, as the reveal on the person page."""
    require_perms(request, "registry.view_person", PERSONAL)
    return _detail(request, person_for_user(request.user, person_id), reveal=reveal)


class PersonIn(Schema):
    name: str
    gender: str
    id_number: str
    certificate_number: str
    category: int
    grade: int
    certificate_issued: datetime.date | None = None
    certificate_valid_until: datetime.date | None = None
    area: str
    address: str = ""
    phone: str = ""
    guardian_name: str = ""
    guardian_phone: str = ""
    economic_status: str = "none"
    lives_alone: bool = False
    bank_name: str = ""
    bank_account: str = ""


class PersonPatch(Schema):
    name: str | None = None
    gender: str | None = None
    id_number: str | None = None
    certificate_number: str | None = None
    certificate_issued: datetime.date | None = None
    area: str | None = None
    address: str | None = None
    phone: str | None = None
    guardian_name: str | None = None
    guardian_phone: str | None = None
    lives_alone: bool | None = None
    bank_name: str | None = None
    bank_account: str | None = None


def _form_data(values: dict) -> dict:
    return {k: ("" if v is None else v) for k, v in values.items()}


@router.post("/persons", response={201: PersonDetail}, summary="登记人员")
def person_create(request, body: PersonIn):
    """Register a person: the registration form's checks (ID checksum, certificate = ID +
    category + grade, a community of the caller's scope), then the registry's service."""
    require_perms(request, "registry.add_person")
    form = PersonForm(_form_data(body.dict()), user=request.user)
    if not form.is_valid():
        raise form_errors(form)
    data = dict(form.cleaned_data)
    data["birth_date"] = form.parsed_id.birth_date
    data["flags"] = form.id_warnings
    person = services.person_create(user=request.user, data=data)
    return Status(201, _detail(request, person_for_user(request.user, person.pk), reveal=False))


@router.patch("/persons/{int:person_id}", response=PersonDetail, summary="修改人员信息")
def person_update(request, person_id: int, body: PersonPatch):
    """Change the plain fields given (the others stay). Grade, category, economic status,
    validity and status change through status events. For a user who may not reveal, a
    masked identifier sent back stands for the stored one, as on the edit page. An edit that
    would move the person out of the caller's scope is refused and writes nothing."""
    require_perms(request, "registry.view_person", "registry.change_person")
    person = person_for_user(request.user, person_id)
    full = Privacy.for_user(request.user).may_reveal
    changes = body.dict(exclude_unset=True)
    _refuse_key_fields(person, changes)
    form = PersonEditForm(None, instance=person, user=request.user, masked=not full)
    current = model_to_dict(person, fields=list(form.fields))
    form = PersonEditForm(_form_data({**current, **changes}), instance=person, user=request.user, masked=not full)
    if not form.is_valid():
        raise form_errors(form)
    data = {k: v for k, v in form.cleaned_data.items() if k in form.fields}
    data["birth_date"] = form.parsed_id.birth_date
    data["flags"] = form.id_warnings
    stored = person_for_user(request.user, person_id)
    services.person_update(user=request.user, person=stored, data=data)
    return _detail(request, person_for_user(request.user, person_id), reveal=False)


def _refuse_key_fields(person, changes: dict) -> None:
    """The bank account, area and guardian change by a change request (变更申请) approved
    by the district, as on the edit page: a PATCH that would change one is refused (its
    stored value, or the masked form of it, sent back is no change)."""
    changed = []
    for name in FORM_FIELDS_BY_REQUEST:
        if name not in changes:
            continue
        stored = str(getattr(person, "area_id" if name == "area" else name) or "")
        mask = IDENTIFIER_MASKS.get(name)
        if str(changes[name] or "") not in {stored, mask(stored) if mask else stored}:
            changed.append(name)
    if changed:
        raise ApiError(
            400,
            "invalid",
            "银行账户、户籍村(居)和监护人的变更须在人员页面提出变更申请，经区残联审核后生效",
            {name: ["须通过变更申请办理"] for name in changed},
        )


class EventOut(Schema):
    id: int
    kind: str
    kind_label: str
    field: str
    date: datetime.date
    old_value: str
    new_value: str
    reason: str
    source: str
    created_at: datetime.datetime


def _event_out(event) -> dict:
    return {
        "id": event.pk,
        "kind": event.kind,
        "kind_label": event.get_kind_display(),
        "field": event.field,
        "date": event.date,
        "old_value": event.old_value,
        "new_value": event.new_value,
        "reason": event.reason,
        "source": event.source,
        "created_at": event.created_at,
    }


@router.get("/persons/{int:person_id}/events", response=list[EventOut], summary="人员状态变更记录")
def person_events(request, person_id: int):
    require_perms(request, "registry.view_person", PERSONAL)
    person = person_for_user(request.user, person_id)
    return [_event_out(e) for e in person.events.order_by("-date", "-id")]


class EventIn(Schema):
    kind: str
    date: datetime.date
    value: str | None = None
    reason: str


@router.post("/persons/{int:person_id}/events", response={201: EventOut, 200: EventOut}, summary="登记状态变更")
def person_event_create(request, person_id: int, body: EventIn):
    """Record a dated state change (death, moving out, grade change, renewal…): `value` is
    the new grade, category, economic status or validity date for the kinds that have one.
    The same event twice is recorded once (200 the second time, 201 the first)."""
    require_perms(request, "registry.view_person", "registry.add_personevent")
    person = person_for_user(request.user, person_id)
    data = {"kind": body.kind, "date": body.date, "reason": body.reason}
    value_field = PersonEventForm.VALUE_FIELD.get(body.kind)
    if value_field:
        data[value_field] = body.value or ""
    elif body.kind in EventKind.values and body.value:
        raise ApiError(400, "invalid", f"“{EventKind(body.kind).label}”不需要填写新值")
    form = PersonEventForm(data, person=person)
    if not form.is_valid():
        raise form_errors(form)
    event, created = services.person_event_record(
        user=request.user,
        person=person,
        kind=form.cleaned_data["kind"],
        date=form.cleaned_data["date"],
        value=form.cleaned_data["value"],
        reason=form.cleaned_data["reason"],
    )
    return Status(201 if created else 200, _event_out(event))
