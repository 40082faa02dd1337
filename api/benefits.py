"""Benefits, read only: awards (享受资格), applications (补贴申请) and payroll batches (发放批次),
through the visibility points and the scoped totals the benefits pages use."""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from api.access import PERSONAL, require_perms
from api.errors import form_errors
from api.pagination import keyset_page
from api.schemas import Page, PersonRef, person_ref
from benefits.forms_applications import ApplicationFilterForm
from benefits.models import Award, PayrollBatch
from benefits.selectors import scoped_totals
from benefits.views_applications import application_for_user, applications_visible_to
from canlian.prefix import prefix_filter
from registry.scoping import Privacy

router = Router(tags=["补贴"])


class SchemeRef(Schema):
    id: int
    code: str
    name: str


def _scheme(scheme) -> dict:
    return {"id": scheme.pk, "code": scheme.code, "name": scheme.name}


class AwardOut(Schema):
    id: int
    person: PersonRef
    scheme: SchemeRef
    variant: str
    start_month: datetime.date
    end_month: datetime.date | None
    end_reason: str
    source: str
    application_id: int | None


class AwardPage(Page):
    items: list[AwardOut]


class AwardFilters(Schema):
    person: int | None = None
    scheme: int | None = None
    open: bool | None = None


@router.get("/awards", response=AwardPage, summary="享受资格列表")
def award_list(request, filters: Query[AwardFilters], cursor: str | None = None, limit: int | None = None):
    """Awards of the caller's scope, newest first; `open=1` only those not ended."""
    require_perms(request, "benefits.view_award", PERSONAL)
    awards = Award.objects.visible_to(request.user).select_related("person", "scheme")
    if filters.person is not None:
        awards = awards.filter(person_id=filters.person)
    if filters.scheme is not None:
        awards = awards.filter(scheme_id=filters.scheme)
    if filters.open is not None:
        awards = awards.filter(end_month__isnull=filters.open)
    page = keyset_page(awards.order_by("-id"), cursor=cursor, limit=limit)
    privacy = Privacy.for_user(request.user)
    items = [
        {
            "id": a.pk,
            "person": person_ref(a.person, privacy),
            "scheme": _scheme(a.scheme),
            "variant": a.variant,
            "start_month": a.start_month,
            "end_month": a.end_month,
            "end_reason": a.end_reason,
            "source": a.source,
            "application_id": a.application_id,
        }
        for a in page.rows
    ]
    return {"items": items, "next_cursor": page.next_cursor}


class ApplicationOut(Schema):
    id: int
    person: PersonRef
    scheme: SchemeRef
    applied_on: datetime.date
    applicant: str
    variant: str
    state: str
    state_label: str
    notice_from: datetime.date | None
    notice_until: datetime.date | None
    decided_at: datetime.datetime | None
    decision_reason: str


class ApplicationPage(Page):
    items: list[ApplicationOut]


class ApplicationFilters(Schema):
    scheme: str | None = None
    state: str | None = None
    town: str | None = None


def _application(a, privacy) -> dict:
    return {
        "id": a.pk,
        "person": person_ref(a.person, privacy),
        "scheme": _scheme(a.scheme),
        "applied_on": a.applied_on,
        "applicant": a.applicant,
        "variant": a.variant,
        "state": a.state,
        "state_label": a.get_state_display(),
        "notice_from": a.notice_from,
        "notice_until": a.notice_until,
        "decided_at": a.decided_at,
        "decision_reason": a.decision_reason,
    }


@router.get("/applications", response=ApplicationPage, summary="补贴申请列表")
def application_list(request, filters: Query[ApplicationFilters], cursor: str | None = None, limit: int | None = None):
    """Applications of the caller's scope, filtered as on the list page, newest first."""
    require_perms(request, "benefits.view_application", PERSONAL)
    form = ApplicationFilterForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        raise form_errors(form)
    data = form.cleaned_data if form.is_bound else {}
    queryset = applications_visible_to(request.user).select_related("person", "scheme")
    if data.get("scheme"):
        queryset = queryset.filter(scheme_id=data["scheme"])
    if data.get("state"):
        queryset = queryset.filter(state=data["state"])
    if data.get("town"):
        queryset = queryset.filter(prefix_filter("area_code", data["town"][:9]))
    page = keyset_page(queryset.order_by("-applied_on", "-id"), cursor=cursor, limit=limit)
    privacy = Privacy.for_user(request.user)
    return {"items": [_application(a, privacy) for a in page.rows], "next_cursor": page.next_cursor}


@router.get("/applications/{int:application_id}", response=ApplicationOut, summary="补贴申请详情")
def application_detail(request, application_id: int):
    require_perms(request, "benefits.view_application", PERSONAL)
    application = application_for_user(request.user, application_id)
    return _application(application, Privacy.for_user(request.user))


class BatchOut(Schema):
    id: int
    scheme: SchemeRef
    month: datetime.date
    state: str
    state_label: str
    generated_at: datetime.datetime | None
    approved_at: datetime.datetime | None
    exported_at: datetime.datetime | None
    persons: int
    total_yuan: str


class BatchPage(Page):
    items: list[BatchOut]


def _batches_out(request, batches: list) -> list[dict]:
    # A town officer's totals are their town's lines only, as on the batch pages.
    scoped_totals(request.user, batches)
    return [
        {
            "id": b.pk,
            "scheme": _scheme(b.scheme),
            "month": b.month,
            "state": b.state,
            "state_label": b.get_state_display(),
            "generated_at": b.generated_at,
            "approved_at": b.approved_at,
            "exported_at": b.exported_at,
            "persons": b.shown_persons,
            "total_yuan": str(b.shown_yuan),
        }
        for b in batches
    ]


@router.get("/payroll-batches", response=BatchPage, summary="发放批次列表")
def batch_list(request, cursor: str | None = None, limit: int | None = None):
    """The payroll batches, newest first, with the persons and amount of the caller's scope."""
    require_perms(request, "benefits.view_payrollbatch")
    queryset = PayrollBatch.objects.select_related("scheme").order_by("-id")
    page = keyset_page(queryset, cursor=cursor, limit=limit)
    return {"items": _batches_out(request, page.rows), "next_cursor": page.next_cursor}


@router.get("/payroll-batches/{int:batch_id}", response=BatchOut, summary="发放批次详情")
def batch_detail(request, batch_id: int):
    require_perms(request, "benefits.view_payrollbatch")
    batch = get_object_or_404(PayrollBatch.objects.select_related("scheme"), pk=batch_id)
    return _batches_out(request, [batch])[0]
