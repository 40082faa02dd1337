"""Service apps' records against a person: list, create and void, through each app's
selectors, forms and services, as the pages do.

Each kind of record is one `RecordKind` in `KINDS` below: its path, its model (whose
`view_`, `add_` and `void_` permissions the routes ask, as the pages), the shapes of its
answer and of a new record, how its list is read and filtered, and the services that write
and void it. `_routes` makes the three routes of every kind from that entry:

- `GET /<path>`: the standing records of the caller's scope, newest first, keyset paged;
- `POST /<path>`: a new record of a person of the caller's scope (404 for another's);
- `POST /<path>/{record_id}/void`: void a standing record of the caller's scope, with the
  reason (作废原因).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.responses import Status

from activities import selectors as activity_selectors
from activities import services as activity_services
from activities.forms import FiveOneForm
from activities.models import FiveOne, FiveOneRecord, Participation
from api.access import PERSONAL, require_perms
from api.errors import form_errors
from api.pagination import keyset_page
from api.schemas import Page, PersonRef, person_ref
from care import selectors as care_selectors
from care import selectors_cases as care_cases
from care import selectors_places as care_places
from care.forms import EnrolForm
from care.forms_cases import FollowUpForm, WatchIssueForm
from care.forms_places import PlacementForm
from care.models import CaseFollowUp, Enrolment, Placement, WaitingEntry, WatchIssue
from care.services import cases as care_case_services
from care.services import membership as care_services
from care.services import places as care_place_services
from care.services import watches as care_watch_services
from employment import services as employment_services
from employment.forms import StatusForm
from employment.models import EmploymentEvent
from outreach import campaigns as outreach_campaigns
from outreach import homeservices as outreach_homeservices
from outreach import psych as outreach_psych
from outreach import selectors as outreach_selectors
from outreach import services as outreach_services
from outreach import watch as outreach_watch
from outreach.forms import VisitForm
from outreach.homeservices import RequestForm
from outreach.models import CampaignDelivery, HomeServiceRequest, HomeVisit, PsychCase, WatchContact
from outreach.watch import ContactForm
from registry.scoping import Privacy
from registry.selectors import person_for_user
from rehab import selectors as rehab_selectors
from rehab import services as rehab_services
from rehab.forms import ServiceRecordForm
from rehab.models import ServiceRecord
from workshops import services as workshop_services
from workshops.forms import JoinForm
from workshops.models import Membership

router = Router(tags=["服务记录"])


class RecordOut(Schema):
    """What every record answers with, beside its kind's own fields."""

    id: int
    person: PersonRef
    area_code: str
    voided: bool
    void_reason: str


class PersonFilter(Schema):
    person: int | None = None


class VoidIn(Schema):
    reason: str


@dataclass(frozen=True)
class RecordKind:
    """One kind of record in the API. `out(record)` gives the fields of `out_schema` beyond
    `RecordOut`'s. `visible(user)` is the standing records the caller sees, with what `out`
    reads: a void finds its record there, and the list is it narrowed by each filter given
    (`lookups`: filter → lookup, beside the person) in `order`, newest first (the key of
    the keyset pages), unless `listing(request, filters)` reads it as the page does.
    `create(request, body)` writes a record of the body's person through the app's form
    and service (or answers a `Status` of its own, see `create_responses`); `void(user,
    record, reason)` voids it through the app's service. `owner(record)` is what holds the
    record's person and town: the record itself, or its case (a case's follow-up)."""

    name: str
    path: str
    noun: str
    model: type
    out_schema: type[Schema]
    out: Callable[[Any], dict]
    filters: type[Schema]
    visible: Callable[[Any], QuerySet]
    create_in: type[Schema]
    create: Callable[[Any, Schema], Any]
    void: Callable[[Any, Any, str], Any]
    order: tuple[str, ...] = ()
    lookups: dict[str, str] = field(default_factory=dict)
    listing: Callable[[Any, Schema], QuerySet] | None = None
    create_responses: dict = field(default_factory=dict)
    owner: Callable[[Any], Any] = lambda record: record

    def perm(self, action: str) -> str:
        return f"{self.model._meta.app_label}.{action}_{self.model._meta.model_name}"


def record_out(kind: RecordKind, record, privacy) -> dict:
    owner = kind.owner(record)
    return {
        "id": record.pk,
        "person": None if owner.person_id is None else person_ref(owner.person, privacy),
        **kind.out(record),
        "area_code": owner.area_code,
        "voided": record.voided_at is not None,
        "void_reason": record.void_reason,
    }


PERSON = {"person": "person_id"}


def _equal(queryset: QuerySet, filters: Schema, lookups: dict[str, str], order: tuple[str, ...]) -> QuerySet:
    """`queryset` narrowed by each filter given (`lookups` maps a filter to its lookup)."""
    given = {lookups[name]: value for name, value in filters.dict(exclude_none=True).items()}
    return queryset.filter(**given).order_by(*order)


def _of_person(queryset: QuerySet, filters: Schema) -> QuerySet:
    """A list read by its page's filter form, narrowed to one person if asked."""
    return queryset if filters.person is None else queryset.filter(person_id=filters.person)


def _form_valid(form):
    if not form.is_valid():
        raise form_errors(form)
    return form.cleaned_data


def _routes(kind: RecordKind) -> None:
    out_schema = kind.out_schema
    page_schema = type(
        f"{out_schema.__name__.removesuffix('Out')}Page", (Page,), {"__annotations__": {"items": list[out_schema]}}
    )

    def record_list(request, filters: Query[kind.filters], cursor: str | None = None, limit: int | None = None):
        require_perms(request, kind.perm("view"), PERSONAL)
        if kind.listing is not None:
            records = kind.listing(request, filters)
        else:
            records = _equal(kind.visible(request.user), filters, {**PERSON, **kind.lookups}, kind.order)
        page = keyset_page(records, cursor=cursor, limit=limit)
        privacy = Privacy.for_user(request.user)
        return {"items": [record_out(kind, r, privacy) for r in page.rows], "next_cursor": page.next_cursor}

    def record_create(request, body: kind.create_in):
        require_perms(request, kind.perm("add"))
        made = kind.create(request, body)
        if isinstance(made, Status):
            return made
        return Status(201, record_out(kind, made, Privacy.for_user(request.user)))

    def record_void(request, record_id: int, body: VoidIn):
        require_perms(request, kind.perm("void"))
        record = get_object_or_404(kind.visible(request.user), pk=record_id)
        record = kind.void(request.user, record, body.reason)
        return record_out(kind, record, Privacy.for_user(request.user))

    record_list.__doc__ = f"{kind.noun}：调用者管辖范围内未作废的记录，最新的在前。"
    record_create.__doc__ = f"登记{kind.noun}：人员须在调用者管辖范围内（否则 404），经与页面相同的检查。"
    record_void.__doc__ = f"作废{kind.noun}：须在调用者管辖范围内，并写明作废原因。"
    router.get(f"/{kind.path}", response=page_schema, summary=f"{kind.noun}列表", operation_id=f"{kind.name}_list")(
        record_list
    )
    router.post(
        f"/{kind.path}",
        response={201: out_schema, **kind.create_responses},
        summary=f"登记{kind.noun}",
        operation_id=f"{kind.name}_create",
    )(record_create)
    router.post(
        f"/{kind.path}/{{int:record_id}}/void",
        response=out_schema,
        summary=f"作废{kind.noun}",
        operation_id=f"{kind.name}_void",
    )(record_void)


def _valid(form_class, data: dict, **kwargs) -> dict:
    """The page's form checks the body's fields (under the form's prefix, if any): its
    Chinese messages, field by field, are the 400's details."""
    prefix = kwargs.get("prefix", form_class.prefix)
    return _form_valid(form_class({f"{prefix}-{k}" if prefix else k: v for k, v in data.items()}, **kwargs))


def _body_fields(body: Schema) -> dict:
    """The body's fields but the person, as a form reads them (None as empty)."""
    return {k: ("" if v is None else v) for k, v in body.dict(exclude={"person"}).items()}


# Rehabilitation service records (rehab) --------------------------------------------------


class RehabRecordOut(RecordOut):
    item_code: str
    item_name: str
    provider: str
    served_on: datetime.date
    sessions: int
    note: str


class RehabRecordFilters(PersonFilter):
    town: str | None = None
    item: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


class RehabRecordIn(Schema):
    person: int
    item: int
    provider: int
    served_on: datetime.date
    sessions: int = 1
    note: str = ""


def _rehab_list(request, filters):
    """As the page's list: its filter form reads the query parameters."""
    records, form = rehab_selectors.filtered_records(request)
    if form.is_bound and not form.is_valid():
        raise form_errors(form)
    return _of_person(rehab_selectors.with_display(records), filters)


def _rehab_create(request, body):
    person = person_for_user(request.user, body.person)
    data = _form_valid(ServiceRecordForm(body.dict(exclude={"person"})))
    return rehab_services.service_record(user=request.user, person=person, **data)


# Home visits (outreach) ------------------------------------------------------------------


class VisitOut(RecordOut):
    visited_on: datetime.date
    visitors: list[str]
    other_visitors: str
    findings: str
    needs: list[str]
    money: Decimal
    gifts: str
    follow_up_on: datetime.date | None


class VisitFilters(PersonFilter):
    town: str | None = None
    need: str | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


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


def _visit_list(request, filters):
    visits, form, _ = outreach_selectors.filtered_visits(request)
    if form.is_bound and not form.is_valid():
        raise form_errors(form)
    visits = visits.select_related("person").prefetch_related("visitors")
    return _of_person(visits, filters)


def _visit_create(request, body):
    """The visit form's checks (visitors of the caller's town, the needs' kinds), then the
    service, which opens an item for each need raised. Photos are added on the page."""
    person = person_for_user(request.user, body.person)
    data = _valid(VisitForm, _body_fields(body), user=request.user)
    data.pop("photos", None)
    return outreach_services.visit_record(user=request.user, person=person, **data)


# Activity participations and five-ones (activities) --------------------------------------


class ParticipationOut(RecordOut):
    activity_id: int
    activity_name: str
    attended_on: datetime.date
    note: str


class ParticipationFilters(PersonFilter):
    activity: int | None = None


class ParticipationIn(Schema):
    activity: int
    person: int
    attended_on: datetime.date | None = None
    note: str = ""


def _participation_create(request, body):
    """On the activity's first day unless `attended_on` says otherwise; an activity the
    caller does not see is 404, as a person outside the scope."""
    activity = activity_selectors.activity_for_user(request.user, body.activity)
    person = person_for_user(request.user, body.person)
    return activity_services.participation_add(
        user=request.user, activity=activity, person=person, attended_on=body.attended_on, note=body.note
    )


class FiveOneOut(RecordOut):
    item: str
    item_label: str
    year: int
    done_on: datetime.date
    activity_id: int | None
    note: str


class FiveOneFilters(PersonFilter):
    item: FiveOne | None = None
    year: int | None = None


class FiveOneIn(Schema):
    person: int
    item: str
    done_on: datetime.date
    note: str = ""


def _five_one_create(request, body):
    person = person_for_user(request.user, body.person)
    data = _valid(FiveOneForm, _body_fields(body))
    return activity_services.five_one_record(user=request.user, person=person, **data)


# Care: enrolments, watches, placements (care) --------------------------------------------


class EnrolmentOut(RecordOut):
    institution_id: int
    institution_name: str
    started_on: datetime.date
    ended_on: datetime.date | None
    override_reason: str


class EnrolmentFilters(PersonFilter):
    institution: int | None = None


class EnrolmentIn(Schema):
    person: int
    institution: int
    started_on: datetime.date
    override_reason: str = ""


class WaitingOut(Schema):
    id: int
    person: PersonRef
    institution_id: int
    applied_on: datetime.date
    ahead: int
    message: str


def _enrolment_create(request, body):
    """The admission rule, or a written override; a full institution puts the person on
    its waiting list instead: 202 with the waiting entry and how many are ahead."""
    person = person_for_user(request.user, body.person)
    data = _valid(EnrolForm, _body_fields(body), user=request.user)
    made = care_services.enrolment_apply(user=request.user, person=person, **data)
    if not isinstance(made, WaitingEntry):
        return made
    ahead = care_selectors.waiting_list(data["institution"]).filter(id__lt=made.pk).count()
    return Status(
        202,
        {
            "id": made.pk,
            "person": person_ref(person, Privacy.for_user(request.user)),
            "institution_id": made.institution_id,
            "applied_on": made.applied_on,
            "ahead": ahead,
            "message": f"“{data['institution'].name}”已满员，已列入轮候名单（前面还有 {ahead} 人）",
        },
    )


def _enrolment_void(user, enrolment, reason):
    """Refused once it has attendance; its place goes to the first waiting."""
    voided, _offered = care_services.enrolment_void(user=user, enrolment=enrolment, reason=reason)
    return voided


class WatchOut(RecordOut):
    serial: str
    model_name: str
    issued_on: datetime.date
    monthly_fee_fen: int
    ended_on: datetime.date | None
    end: str


class WatchIn(Schema):
    person: int
    serial: str
    model_name: str = ""
    sim_number: str = ""
    monthly_fee: Decimal
    issued_on: datetime.date


def _watch_create(request, body):
    """A positioning watch issued to a member of the caller's scope, its monthly fee in
    yuan (as the page's form)."""
    person = person_for_user(request.user, body.person)
    data = _valid(WatchIssueForm, _body_fields(body))
    fee = data.pop("monthly_fee")
    return care_watch_services.watch_issue(user=request.user, person=person, monthly_fee_fen=int(fee * 100), **data)


class PlacementOut(RecordOut):
    kind: str
    institution_id: int | None
    institution_name: str
    provider: str
    started_on: datetime.date
    ended_on: datetime.date | None


class PlacementFilters(PersonFilter):
    kind: str | None = None


class PlacementIn(Schema):
    person: int
    kind: str
    institution: int | None = None
    provider: str = ""
    started_on: datetime.date


def _placement_create(request, body):
    """Boarding care at an institution of the caller's scope, or home care by a provider."""
    person = person_for_user(request.user, body.person)
    data = _valid(PlacementForm, _body_fields(body), user=request.user)
    return care_place_services.placement_create(user=request.user, person=person, **data)


# Outreach: home services, watch-list contacts, campaign deliveries -----------------------


class HomeServiceOut(RecordOut):
    kind: str
    requested_on: datetime.date
    requested_by: str
    what: str
    due_on: datetime.date | None
    done_on: datetime.date | None


class HomeServiceFilters(PersonFilter):
    kind: str | None = None


class HomeServiceIn(Schema):
    person: int
    kind: str
    requested_on: datetime.date
    requested_by: str
    what: str
    due_on: datetime.date | None = None


def _home_service_create(request, body):
    person = person_for_user(request.user, body.person)
    data = _valid(RequestForm, _body_fields(body))
    return outreach_homeservices.request_record(user=request.user, person=person, **data)


class ContactOut(RecordOut):
    contacted_on: datetime.date
    method: str
    note: str


class ContactIn(Schema):
    person: int
    contacted_on: datetime.date
    method: str
    note: str = ""


def _contact_create(request, body):
    """A contact of a person on the watch list now (the model's rule)."""
    person = person_for_user(request.user, body.person)
    data = _valid(ContactForm, _body_fields(body))
    return outreach_watch.contact_record(user=request.user, person=person, **data)


class DeliveryOut(RecordOut):
    campaign_id: int
    campaign_name: str
    delivered_on: datetime.date
    deliverer: str


class DeliveryFilters(PersonFilter):
    campaign: int | None = None


class DeliveryIn(Schema):
    campaign: int
    person: int
    delivered_on: datetime.date
    deliverer: str


def _delivery_create(request, body):
    """The campaign's gift received by a person of its list (the service's checks: the
    campaign running, in its period, the person on its list and not served yet)."""
    campaign = outreach_selectors.campaign_for_user(request.user, body.campaign)
    person = person_for_user(request.user, body.person)
    return outreach_campaigns.delivery_record(
        user=request.user, campaign=campaign, person=person, delivered_on=body.delivered_on, deliverer=body.deliverer
    )


# Employment status events (employment) and workshop memberships (workshops) --------------


class EmploymentStatusOut(RecordOut):
    status: str
    changed_on: datetime.date
    point_id: int
    point_name: str
    note: str


class EmploymentStatusIn(Schema):
    person: int
    status: str
    changed_on: datetime.date
    point: int
    note: str = ""


def _status_create(request, body):
    person = person_for_user(request.user, body.person)
    data = _valid(StatusForm, _body_fields(body), prefix=None)
    return employment_services.status_record(user=request.user, person=person, **data)


class WorkshopMemberOut(RecordOut):
    workshop_id: int
    workshop_name: str
    project_id: int | None
    started_on: datetime.date
    ended_on: datetime.date | None


class WorkshopMemberFilters(PersonFilter):
    workshop: int | None = None


class WorkshopMemberIn(Schema):
    person: int
    workshop: int
    started_on: datetime.date


def _workshop_member_create(request, body):
    """The person joins a workshop of the caller's scope (the page's join form)."""
    person = person_for_user(request.user, body.person)
    data = _valid(JoinForm, _body_fields(body), user=request.user)
    return workshop_services.membership_start(user=request.user, person=person, **data)


# Mental-health case follow-ups (care) ---------------------------------------------------


class FollowUpOut(RecordOut):
    case_id: int
    followed_on: datetime.date
    contact: str
    findings: str
    risk: str
    next_due: datetime.date


class FollowUpFilters(PersonFilter):
    case: int | None = None


class FollowUpIn(Schema):
    case: int
    followed_on: datetime.date
    contact: str
    risk: str
    findings: str
    next_due: datetime.date | None = None


def _follow_ups(user) -> QuerySet:
    """The standing follow-ups of the standing cases the user sees (by the case's town, or
    a centre's members)."""
    rows = CaseFollowUp.objects.standing().visible_to(user).filter(case__voided_at__isnull=True)
    return rows.select_related("case__person")


def _follow_up_create(request, body):
    """A follow-up of an open case of the caller's scope (404 for another's): the case
    page's form, then the service (the risk level's longest interval, the case's due day)."""
    case = get_object_or_404(care_cases.cases_visible_to(request.user), pk=body.case)
    data = _valid(FollowUpForm, _body_fields(body), case=case)
    return care_case_services.followup_record(user=request.user, case=case, **data)


# Psychological-service cases (outreach) ------------------------------------------------


class PsychSessionOut(Schema):
    id: int
    held_on: datetime.date
    kind: str
    counsellor: str
    at_risk: bool
    referral: str
    # The session's notes (咨询记录) only for the counsellor role, as on the case page:
    # null for everyone else (the column is not even read).
    notes: str | None


class PsychCaseOut(RecordOut):
    # A case of a named other (a family member, a federation worker) has no person.
    person: PersonRef | None
    client_kind: str
    client_name: str
    relationship: str
    counsellor: str
    opened_on: datetime.date
    closed_on: datetime.date | None
    last_session_on: datetime.date | None
    at_risk: bool
    sessions: list[PsychSessionOut]


class PsychCaseIn(Schema):
    """`person`: the registered person the case is for (本人) or whose family member it
    serves; none for a federation worker or someone else, named in `client_name`."""

    person: int | None = None
    client_kind: str
    client_name: str = ""
    relationship: str = ""
    town: str = ""
    opened_on: datetime.date
    counsellor: int | None = None


def _psych_cases(user) -> QuerySet:
    """The standing cases the user sees (a counsellor: those they serve; an officer: their
    town's), each with its sessions as `outreach.psych.session_rows` lets the user read
    them (`shown_sessions`)."""
    sessions = Prefetch("sessions", queryset=outreach_psych.session_rows(user), to_attr="shown_sessions")
    return outreach_psych.cases_visible_to(user).select_related("person", "counsellor").prefetch_related(sessions)


def _psych_session_out(session) -> dict:
    return {
        "id": session.pk,
        "held_on": session.held_on,
        "kind": session.kind,
        "counsellor": session.counsellor.display_name,
        "at_risk": session.at_risk,
        "referral": session.referral,
        "notes": None if "notes" in session.get_deferred_fields() else session.notes,
    }


def _psych_case_create(request, body):
    """The page's case form and service: for the body's person (本人 or a family member of
    theirs) or, without a person, a named other; a counsellor serves the case themselves."""
    person = None if body.person is None else person_for_user(request.user, body.person)
    data = _valid(outreach_psych.CaseForm, _body_fields(body), user=request.user, person=person)
    kind = data["client_kind"]
    case = outreach_psych.case_open(
        user=request.user,
        opened_on=data["opened_on"],
        counsellor=data.get("counsellor"),
        client_kind=kind,
        person=person if kind == "person" else None,
        related_person=person if kind == "family" else None,
        client_name=data["client_name"],
        relationship=data["relationship"],
        town=data.get("town", ""),
    )
    case.shown_sessions = []
    return case


def _psych_case_void(user, case, reason):
    voided = outreach_psych.case_void(user=user, case=case, reason=reason)
    voided.shown_sessions = outreach_psych.sessions_of(user, voided)
    return voided


def _reading(visible, *related: str):
    """The standing records the user sees (`visible(user)`), with the person and `related`."""
    return lambda user: visible(user).select_related("person", *related)


def _standing(model):
    return lambda user: model.objects.standing().visible_to(user)


KINDS = [
    RecordKind(
        name="rehab_record",
        path="rehab/records",
        noun="康复服务记录",
        model=ServiceRecord,
        out_schema=RehabRecordOut,
        out=lambda r: {
            "item_code": r.item.code,
            "item_name": r.item.name,
            "provider": r.provider.name,
            "served_on": r.served_on,
            "sessions": r.sessions,
            "note": r.note,
        },
        filters=RehabRecordFilters,
        visible=lambda user: rehab_selectors.with_display(rehab_selectors.records_visible_to(user)),
        listing=_rehab_list,
        create_in=RehabRecordIn,
        create=_rehab_create,
        void=lambda user, r, reason: rehab_services.service_record_void(user=user, record=r, reason=reason),
    ),
    RecordKind(
        name="visit",
        path="outreach/visits",
        noun="走访慰问记录",
        model=HomeVisit,
        out_schema=VisitOut,
        out=lambda v: {
            "visited_on": v.visited_on,
            "visitors": [user.display_name for user in v.visitors.all()],
            "other_visitors": v.other_visitors,
            "findings": v.findings,
            "needs": list(v.needs),
            "money": v.money,
            "gifts": v.gifts,
            "follow_up_on": v.follow_up_on,
        },
        filters=VisitFilters,
        visible=_reading(outreach_selectors.visits_visible_to),
        listing=_visit_list,
        create_in=VisitIn,
        create=_visit_create,
        void=lambda user, v, reason: outreach_services.visit_void(user=user, visit=v, reason=reason),
    ),
    RecordKind(
        name="participation",
        path="activities/participations",
        noun="活动参加记录",
        model=Participation,
        out_schema=ParticipationOut,
        out=lambda r: {
            "activity_id": r.activity_id,
            "activity_name": r.activity.name,
            "attended_on": r.attended_on,
            "note": r.note,
        },
        filters=ParticipationFilters,
        visible=_reading(activity_selectors.participations_visible_to, "activity"),
        order=("-attended_on", "-id"),
        lookups={"activity": "activity_id"},
        create_in=ParticipationIn,
        create=_participation_create,
        void=lambda user, r, reason: activity_services.participation_void(user=user, record=r, reason=reason),
    ),
    RecordKind(
        name="five_one",
        path="activities/five-ones",
        noun="“五个一”记录",
        model=FiveOneRecord,
        out_schema=FiveOneOut,
        out=lambda r: {
            "item": r.item,
            "item_label": r.get_item_display(),
            "year": r.year,
            "done_on": r.done_on,
            "activity_id": r.activity_id,
            "note": r.note,
        },
        filters=FiveOneFilters,
        visible=_reading(activity_selectors.five_ones_visible_to),
        order=("-done_on", "-id"),
        lookups={"item": "item", "year": "year"},
        create_in=FiveOneIn,
        create=_five_one_create,
        void=lambda user, r, reason: activity_services.five_one_void(user=user, record=r, reason=reason),
    ),
    RecordKind(
        name="enrolment",
        path="care/enrolments",
        noun="入托登记",
        model=Enrolment,
        out_schema=EnrolmentOut,
        out=lambda e: {
            "institution_id": e.institution_id,
            "institution_name": e.institution.name,
            "started_on": e.started_on,
            "ended_on": e.ended_on,
            "override_reason": e.override_reason,
        },
        filters=EnrolmentFilters,
        visible=_reading(care_selectors.enrolments_visible_to, "institution"),
        order=("-started_on", "-id"),
        lookups={"institution": "institution_id"},
        create_in=EnrolmentIn,
        create=_enrolment_create,
        void=_enrolment_void,
        create_responses={202: WaitingOut},
    ),
    RecordKind(
        name="watch",
        path="care/watches",
        noun="定位手表发放记录",
        model=WatchIssue,
        out_schema=WatchOut,
        out=lambda w: {
            "serial": w.device.serial,
            "model_name": w.device.model_name,
            "issued_on": w.issued_on,
            "monthly_fee_fen": w.monthly_fee_fen,
            "ended_on": w.ended_on,
            "end": w.end,
        },
        filters=PersonFilter,
        visible=_reading(care_cases.watches_visible_to, "device"),
        order=("-issued_on", "-id"),
        create_in=WatchIn,
        create=_watch_create,
        void=lambda user, w, reason: care_watch_services.watch_void(user=user, issue=w, reason=reason),
    ),
    RecordKind(
        name="placement",
        path="care/placements",
        noun="托养安置记录",
        model=Placement,
        out_schema=PlacementOut,
        out=lambda p: {
            "kind": p.kind,
            "institution_id": p.institution_id,
            "institution_name": p.institution.name if p.institution_id else "",
            "provider": p.provider,
            "started_on": p.started_on,
            "ended_on": p.ended_on,
        },
        filters=PlacementFilters,
        visible=_reading(care_places.placements_visible_to, "institution"),
        order=("-started_on", "-id"),
        lookups={"kind": "kind"},
        create_in=PlacementIn,
        create=_placement_create,
        void=lambda user, p, reason: care_place_services.placement_void(user=user, placement=p, reason=reason),
    ),
    RecordKind(
        name="home_service",
        path="outreach/home-services",
        noun="上门服务申请",
        model=HomeServiceRequest,
        out_schema=HomeServiceOut,
        out=lambda s: {
            "kind": s.kind,
            "requested_on": s.requested_on,
            "requested_by": s.requested_by,
            "what": s.what,
            "due_on": s.due_on,
            "done_on": s.done_on,
        },
        filters=HomeServiceFilters,
        visible=_reading(outreach_homeservices.requests_visible_to),
        order=("-requested_on", "-id"),
        lookups={"kind": "kind"},
        create_in=HomeServiceIn,
        create=_home_service_create,
        void=lambda user, s, reason: outreach_homeservices.request_void(user=user, request=s, reason=reason),
    ),
    RecordKind(
        name="contact",
        path="outreach/contacts",
        noun="重点关注对象联系记录",
        model=WatchContact,
        out_schema=ContactOut,
        out=lambda c: {"contacted_on": c.contacted_on, "method": c.method, "note": c.note},
        filters=PersonFilter,
        visible=_reading(_standing(WatchContact)),
        order=("-contacted_on", "-id"),
        create_in=ContactIn,
        create=_contact_create,
        void=lambda user, c, reason: outreach_watch.contact_void(user=user, contact=c, reason=reason),
    ),
    RecordKind(
        name="delivery",
        path="outreach/deliveries",
        noun="节日慰问发放记录",
        model=CampaignDelivery,
        out_schema=DeliveryOut,
        out=lambda d: {
            "campaign_id": d.campaign_id,
            "campaign_name": d.campaign.name,
            "delivered_on": d.delivered_on,
            "deliverer": d.deliverer,
        },
        filters=DeliveryFilters,
        visible=_reading(_standing(CampaignDelivery), "campaign"),
        order=("-delivered_on", "-id"),
        lookups={"campaign": "campaign_id"},
        create_in=DeliveryIn,
        create=_delivery_create,
        void=lambda user, d, reason: outreach_campaigns.delivery_void(user=user, delivery=d, reason=reason),
    ),
    RecordKind(
        name="employment_status",
        path="employment/statuses",
        noun="就业状态登记",
        model=EmploymentEvent,
        out_schema=EmploymentStatusOut,
        out=lambda e: {
            "status": e.status,
            "changed_on": e.changed_on,
            "point_id": e.point_id,
            "point_name": e.point.name,
            "note": e.note,
        },
        filters=PersonFilter,
        visible=_reading(_standing(EmploymentEvent), "point"),
        order=("-changed_on", "-id"),
        create_in=EmploymentStatusIn,
        create=_status_create,
        void=lambda user, e, reason: employment_services.record_discard(user=user, record=e, reason=reason),
    ),
    RecordKind(
        name="workshop_member",
        path="workshops/members",
        noun="车间成员登记",
        model=Membership,
        out_schema=WorkshopMemberOut,
        out=lambda m: {
            "workshop_id": m.workshop_id,
            "workshop_name": m.workshop.name,
            "project_id": m.project_id,
            "started_on": m.started_on,
            "ended_on": m.ended_on,
        },
        filters=WorkshopMemberFilters,
        visible=_reading(_standing(Membership), "workshop"),
        order=("-started_on", "-id"),
        lookups={"workshop": "workshop_id"},
        create_in=WorkshopMemberIn,
        create=_workshop_member_create,
        void=lambda user, m, reason: workshop_services.membership_void(user=user, membership=m, reason=reason),
    ),
    RecordKind(
        name="care_follow_up",
        path="care/follow-ups",
        noun="个案随访记录",
        model=CaseFollowUp,
        out_schema=FollowUpOut,
        out=lambda f: {
            "case_id": f.case_id,
            "followed_on": f.followed_on,
            "contact": f.contact,
            "findings": f.findings,
            "risk": f.risk,
            "next_due": f.next_due,
        },
        filters=FollowUpFilters,
        visible=_follow_ups,
        order=("-followed_on", "-id"),
        lookups={"person": "case__person_id", "case": "case_id"},
        create_in=FollowUpIn,
        create=_follow_up_create,
        void=lambda user, f, reason: care_case_services.followup_void(user=user, follow_up=f, reason=reason),
        owner=lambda f: f.case,
    ),
    RecordKind(
        name="psych_case",
        path="outreach/psych-cases",
        noun="心理服务个案",
        model=PsychCase,
        out_schema=PsychCaseOut,
        out=lambda c: {
            "client_kind": c.client_kind,
            "client_name": c.client_name,
            "relationship": c.relationship,
            "counsellor": c.counsellor.display_name,
            "opened_on": c.opened_on,
            "closed_on": c.closed_on,
            "last_session_on": c.last_session_on,
            "at_risk": c.at_risk,
            "sessions": [_psych_session_out(s) for s in c.shown_sessions],
        },
        filters=PersonFilter,
        visible=_psych_cases,
        order=("-opened_on", "-id"),
        create_in=PsychCaseIn,
        create=_psych_case_create,
        void=_psych_case_void,
    ),
]

for _kind in KINDS:
    _routes(_kind)
