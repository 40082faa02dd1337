"""Service apps' records against a person: list, create and void, through each app's
selectors, forms and services: rehabilitation service records (康复服务记录), home visits
(走访慰问), activity participations (活动参加记录) and care enrolments (入托登记)."""

import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.responses import Status

from activities import selectors as activity_selectors
from activities import services as activity_services
from api.access import PERSONAL, require_perms
from api.errors import form_errors
from api.pagination import keyset_page
from api.schemas import Page, PersonRef, person_ref
from care import selectors as care_selectors
from care.forms import EnrolForm
from care.models import WaitingEntry
from care.services import membership as care_services
from outreach import selectors as outreach_selectors
from outreach import services as outreach_services
from outreach.forms import VisitForm
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


# Home visits (outreach) ------------------------------------------------------------------


class VisitOut(Schema):
    id: int
    person: PersonRef
    visited_on: datetime.date
    visitors: list[str]
    other_visitors: str
    findings: str
    needs: list[str]
    money: Decimal
    gifts: str
    follow_up_on: datetime.date | None
    area_code: str
    voided: bool
    void_reason: str


class VisitPage(Page):
    items: list[VisitOut]


class VisitFilters(Schema):
    town: str | None = None
    need: str | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def _visit_out(visit, privacy) -> dict:
    return {
        "id": visit.pk,
        "person": person_ref(visit.person, privacy),
        "visited_on": visit.visited_on,
        "visitors": [user.display_name for user in visit.visitors.all()],
        "other_visitors": visit.other_visitors,
        "findings": visit.findings,
        "needs": list(visit.needs),
        "money": visit.money,
        "gifts": visit.gifts,
        "follow_up_on": visit.follow_up_on,
        "area_code": visit.area_code,
        "voided": visit.voided_at is not None,
        "void_reason": visit.void_reason,
    }


@router.get("/outreach/visits", response=VisitPage, summary="走访慰问记录列表")
def visit_list(request, filters: Query[VisitFilters], cursor: str | None = None, limit: int | None = None):
    """Standing home visits of the caller's scope, newest first, filtered as on the page."""
    require_perms(request, "outreach.view_homevisit", PERSONAL)
    visits, form, _ = outreach_selectors.filtered_visits(request)
    if form.is_bound and not form.is_valid():
        raise form_errors(form)
    visits = visits.select_related("person").prefetch_related("visitors")
    page = keyset_page(visits, cursor=cursor, limit=limit)
    privacy = Privacy.for_user(request.user)
    return {"items": [_visit_out(v, privacy) for v in page.rows], "next_cursor": page.next_cursor}


class VisitIn(Schema):
    person: int
    visited_on: datetime.date
    visitors: list[int] = []
    other_visitors: str = ""
    findings: str = ""
    needs: list[str] = []
    money: Decimal = Decimal("0")
    gifts: str = ""
    follow_up_on: datetime.date | None = None


@router.post("/outreach/visits", response={201: VisitOut}, summary="登记走访慰问")
def visit_create(request, body: VisitIn):
    """A home visit of a person of the caller's scope (404 for another's): the visit form's
    checks (visitors of the caller's town, the needs' kinds), then the service, which opens
    an item for each need raised. Photos are added on the visit's page."""
    require_perms(request, "outreach.add_homevisit")
    person = person_for_user(request.user, body.person)
    data = body.dict(exclude={"person"})
    data["follow_up_on"] = data["follow_up_on"] or ""
    form = VisitForm(data, user=request.user)
    if not form.is_valid():
        raise form_errors(form)
    fields = form.cleaned_data
    visit = outreach_services.visit_record(
        user=request.user,
        person=person,
        visited_on=fields["visited_on"],
        visitors=fields["visitors"],
        other_visitors=fields["other_visitors"],
        findings=fields["findings"],
        needs=fields["needs"],
        money=fields["money"],
        gifts=fields["gifts"],
        follow_up_on=fields["follow_up_on"],
    )
    return Status(201, _visit_out(visit, Privacy.for_user(request.user)))


@router.post("/outreach/visits/{int:visit_id}/void", response=VisitOut, summary="作废走访慰问记录")
def visit_void(request, visit_id: int, body: VoidIn):
    """Void a standing visit of the caller's scope, and the needs it raised still open."""
    require_perms(request, "outreach.void_homevisit")
    visit = get_object_or_404(outreach_selectors.visits_visible_to(request.user).select_related("person"), pk=visit_id)
    visit = outreach_services.visit_void(user=request.user, visit=visit, reason=body.reason)
    return _visit_out(visit, Privacy.for_user(request.user))


# Activity participations (activities) ----------------------------------------------------


class ParticipationOut(Schema):
    id: int
    person: PersonRef
    activity_id: int
    activity_name: str
    attended_on: datetime.date
    note: str
    area_code: str
    voided: bool
    void_reason: str


class ParticipationPage(Page):
    items: list[ParticipationOut]


def _participation_out(record, privacy) -> dict:
    return {
        "id": record.pk,
        "person": person_ref(record.person, privacy),
        "activity_id": record.activity_id,
        "activity_name": record.activity.name,
        "attended_on": record.attended_on,
        "note": record.note,
        "area_code": record.area_code,
        "voided": record.voided_at is not None,
        "void_reason": record.void_reason,
    }


@router.get("/activities/participations", response=ParticipationPage, summary="活动参加记录列表")
def participation_list(
    request, activity: int | None = None, person: int | None = None, cursor: str | None = None, limit: int | None = None
):
    """Standing participations of persons of the caller's scope, newest first."""
    require_perms(request, "activities.view_participation", PERSONAL)
    records = activity_selectors.participations_visible_to(request.user).select_related("person", "activity")
    if activity is not None:
        records = records.filter(activity_id=activity)
    if person is not None:
        records = records.filter(person_id=person)
    page = keyset_page(records.order_by("-attended_on", "-id"), cursor=cursor, limit=limit)
    privacy = Privacy.for_user(request.user)
    return {"items": [_participation_out(r, privacy) for r in page.rows], "next_cursor": page.next_cursor}


class ParticipationIn(Schema):
    activity: int
    person: int
    attended_on: datetime.date | None = None
    note: str = ""


@router.post("/activities/participations", response={201: ParticipationOut}, summary="登记活动参加人员")
def participation_create(request, body: ParticipationIn):
    """A person of the caller's scope took part in an activity the caller sees (404 for
    either outside it), on its first day unless `attended_on` says otherwise."""
    require_perms(request, "activities.add_participation")
    activity = activity_selectors.activity_for_user(request.user, body.activity)
    person = person_for_user(request.user, body.person)
    record = activity_services.participation_add(
        user=request.user, activity=activity, person=person, attended_on=body.attended_on, note=body.note
    )
    return Status(201, _participation_out(record, Privacy.for_user(request.user)))


@router.post(
    "/activities/participations/{int:participation_id}/void", response=ParticipationOut, summary="作废活动参加记录"
)
def participation_void(request, participation_id: int, body: VoidIn):
    require_perms(request, "activities.void_participation")
    queryset = activity_selectors.participations_visible_to(request.user).select_related("person", "activity")
    record = get_object_or_404(queryset, pk=participation_id)
    record = activity_services.participation_void(user=request.user, record=record, reason=body.reason)
    return _participation_out(record, Privacy.for_user(request.user))


# Care enrolments (care) ------------------------------------------------------------------


class EnrolmentOut(Schema):
    id: int
    person: PersonRef
    institution_id: int
    institution_name: str
    started_on: datetime.date
    ended_on: datetime.date | None
    override_reason: str
    area_code: str
    voided: bool
    void_reason: str


class EnrolmentPage(Page):
    items: list[EnrolmentOut]


class WaitingOut(Schema):
    id: int
    person: PersonRef
    institution_id: int
    applied_on: datetime.date
    ahead: int
    message: str


def _enrolment_out(enrolment, privacy) -> dict:
    return {
        "id": enrolment.pk,
        "person": person_ref(enrolment.person, privacy),
        "institution_id": enrolment.institution_id,
        "institution_name": enrolment.institution.name,
        "started_on": enrolment.started_on,
        "ended_on": enrolment.ended_on,
        "override_reason": enrolment.override_reason,
        "area_code": enrolment.area_code,
        "voided": enrolment.voided_at is not None,
        "void_reason": enrolment.void_reason,
    }


@router.get("/care/enrolments", response=EnrolmentPage, summary="入托登记列表")
def enrolment_list(
    request,
    institution: int | None = None,
    person: int | None = None,
    cursor: str | None = None,
    limit: int | None = None,
):
    """Standing enrolments the caller sees (their area's; centre staff their centre's),
    newest first."""
    require_perms(request, "care.view_enrolment", PERSONAL)
    enrolments = care_selectors.enrolments_visible_to(request.user).select_related("person", "institution")
    if institution is not None:
        enrolments = enrolments.filter(institution_id=institution)
    if person is not None:
        enrolments = enrolments.filter(person_id=person)
    page = keyset_page(enrolments.order_by("-started_on", "-id"), cursor=cursor, limit=limit)
    privacy = Privacy.for_user(request.user)
    return {"items": [_enrolment_out(e, privacy) for e in page.rows], "next_cursor": page.next_cursor}


class EnrolmentIn(Schema):
    person: int
    institution: int
    started_on: datetime.date
    override_reason: str = ""


@router.post("/care/enrolments", response={201: EnrolmentOut, 202: WaitingOut}, summary="办理入托")
def enrolment_create(request, body: EnrolmentIn):
    """Enrol a person of the caller's scope at an institution of it (the admission rule, or
    a written override); a full institution puts them on its waiting list instead: 202 with
    the waiting entry and how many are ahead."""
    require_perms(request, "care.add_enrolment")
    person = person_for_user(request.user, body.person)
    form = EnrolForm(
        {
            "enrol-institution": body.institution,
            "enrol-started_on": body.started_on,
            "enrol-override_reason": body.override_reason,
        },
        user=request.user,
    )
    if not form.is_valid():
        raise form_errors(form)
    data = form.cleaned_data
    made = care_services.enrolment_apply(
        user=request.user,
        institution=data["institution"],
        person=person,
        started_on=data["started_on"],
        override_reason=data["override_reason"],
    )
    privacy = Privacy.for_user(request.user)
    if isinstance(made, WaitingEntry):
        ahead = care_selectors.waiting_list(data["institution"]).filter(id__lt=made.pk).count()
        return Status(
            202,
            {
                "id": made.pk,
                "person": person_ref(person, privacy),
                "institution_id": made.institution_id,
                "applied_on": made.applied_on,
                "ahead": ahead,
                "message": f"“{data['institution'].name}”已满员，已列入轮候名单（前面还有 {ahead} 人）",
            },
        )
    return Status(201, _enrolment_out(made, privacy))


@router.post("/care/enrolments/{int:enrolment_id}/void", response=EnrolmentOut, summary="作废入托登记")
def enrolment_void(request, enrolment_id: int, body: VoidIn):
    """Void an enrolment entered by mistake (refused once it has attendance); its place
    goes to the first waiting."""
    require_perms(request, "care.void_enrolment")
    queryset = care_selectors.enrolments_visible_to(request.user).select_related("person", "institution")
    enrolment = get_object_or_404(queryset, pk=enrolment_id)
    voided, _offered = care_services.enrolment_void(user=request.user, enrolment=enrolment, reason=body.reason)
    return _enrolment_out(voided, Privacy.for_user(request.user))
