"""Child rehabilitation assistance pages (残疾儿童康复救助). Thin: parse, call a selector or
service, render. Children, applications and records are fetched through their
`visible_to` (404 outside the user's scope, as for one that does not exist); every page
shows rows per child, so each also needs access to personal data (a leader reads the
figures only)."""

import datetime
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from canlian.errors import error_text
from canlian.exporting import export_response
from canlian.params import int_param
from canlian.scoping import is_district_user
from registry.models import Person
from rehab import selectors_children as selectors
from rehab import services_children as services
from rehab.exports_children import ChildApplicationExporter
from rehab.forms_children import (
    ChildApplicationForm,
    ChildAssessmentForm,
    ChildEditForm,
    ChildForm,
    ChildRecordForm,
    CloseForm,
    DecisionForm,
    PlacementForm,
    fen_of,
)
from rehab.models_children import ChildApplication, yuan

PAGE_SIZE = 50
PERSONAL = "registry.view_personal_data"
State = ChildApplication.State


def _add_errors(form, exc: Exception) -> None:
    """A service's refusal on the form: on the field it names when the form has it."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error_text(exc))


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _child(request, pk: int):
    children = selectors.children_visible_to(request.user).select_related("area__parent", "registered_by")
    return get_object_or_404(children, pk=pk)


def _application(request, pk: int) -> ChildApplication:
    applications = selectors.child_applications_visible_to(request.user)
    return get_object_or_404(applications.select_related("child__area__parent", "institution"), pk=pk)


# Children ---------------------------------------------------------------------------------


@require_GET
@permission_required(["rehab.view_child", PERSONAL], raise_exception=True)
def child_list(request):
    children, form = selectors.filtered_children(request)
    page = Paginator(children, PAGE_SIZE).get_page(request.GET.get("page"))
    year = datetime.date.today().year
    context = {
        "form": form,
        "page": page,
        "rows": selectors.child_list_rows(list(page.object_list), year),
        "year": year,
        "query": _query_without_page(request),
    }
    template = "rehab/children/_child_table.html" if request.htmx else "rehab/children/child_list.html"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@permission_required(["rehab.add_child", PERSONAL], raise_exception=True)
def child_create(request):
    form = ChildForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            child = services.child_register(user=request.user, **data)
        except (ValidationError, PermissionDenied) as exc:
            _add_errors(form, exc)
        else:
            linked = "，并已按身份证号关联持证信息" if child.person_id else ""
            messages.success(request, f"已登记康复救助儿童：{child.name}{linked}")
            return redirect("rehab:child_detail", pk=child.pk)
    status = 400 if form.errors else 200
    return render(request, "rehab/children/child_form.html", {"form": form}, status=status)


@require_GET
@permission_required(["rehab.view_child", PERSONAL], raise_exception=True)
def child_detail(request, pk: int):
    return _child_page(request, _child(request, pk))


def _child_page(request, child, status: int = 200, **forms):
    user = request.user
    year = datetime.date.today().year
    assessments = selectors.child_assessments(child)
    current = next((a for a in assessments if a.year == year), None)
    if "assessment_form" not in forms and user.has_perm("rehab.add_childassessment"):
        forms["assessment_form"] = ChildAssessmentForm(current=current)
    if "application_form" not in forms and user.has_perm("rehab.add_childapplication"):
        forms["application_form"] = ChildApplicationForm()
    context = {
        "child": selectors.ChildView(child),
        "year": year,
        "current": current,
        "assessments": assessments,
        "applications": selectors.child_applications(child),
        "caps": selectors.year_caps(child, year),
        "candidates": selectors.link_candidates(user, child) if user.has_perm("rehab.change_child") else [],
        "person_visible": bool(child.person_id) and Person.objects.visible_to(user).filter(pk=child.person_id).exists(),
        **forms,
    }
    return render(request, "rehab/children/child_detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
@permission_required(["rehab.change_child", PERSONAL], raise_exception=True)
def child_edit(request, pk: int):
    child = _child(request, pk)
    view = selectors.ChildView(child)
    form = ChildEditForm(request.POST or None, user=request.user, child=child, masked_phone=view.masked_guardian_phone)
    if request.method == "POST" and form.is_valid():
        try:
            services.child_update(user=request.user, child=child, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"已保存 {child.name} 的信息")
            return redirect("rehab:child_detail", pk=child.pk)
    status = 400 if form.errors else 200
    return render(request, "rehab/children/child_edit.html", {"form": form, "child": view}, status=status)


@require_POST
@permission_required(["rehab.change_child", PERSONAL], raise_exception=True)
def child_link(request, pk: int):
    child = _child(request, pk)
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=int_param(request, "person") or 0)
    try:
        services.child_link(user=request.user, child=child, person=person)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"未能关联：{error_text(exc)}")
    else:
        messages.success(request, f"已关联持证信息：{person.name}")
    return redirect("rehab:child_detail", pk=child.pk)


@require_POST
@permission_required(["rehab.add_childassessment", PERSONAL], raise_exception=True)
def child_assess(request, pk: int):
    child = _child(request, pk)
    form = ChildAssessmentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            assessment, created = services.child_assess(
                user=request.user,
                child=child,
                year=data["assessed_on"].year,
                has_need=data["has_need"],
                assessed_on=data["assessed_on"],
                note=data["note"],
            )
        except (ValidationError, PermissionDenied) as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"{'已登记' if created else '已更新'} {assessment.year} 年康复需求评估")
            return redirect("rehab:child_detail", pk=child.pk)
    return _child_page(request, child, status=400, assessment_form=form)


@require_POST
@permission_required(["rehab.add_childapplication", PERSONAL], raise_exception=True)
def child_apply(request, pk: int):
    child = _child(request, pk)
    form = ChildApplicationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            application = services.child_apply(
                user=request.user,
                child=child,
                kind=data["kind"],
                priority_group=data["priority_group"],
                applied_on=data["applied_on"],
                requested_fen=fen_of(data["requested"]),
                applicant_name=data["applicant_name"],
                note=data["note"],
            )
        except (ValidationError, PermissionDenied) as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"已受理{application.get_kind_display()}救助申请，待区残联审核")
            return redirect("rehab:child_application_detail", pk=application.pk)
    return _child_page(request, child, status=400, application_form=form)


# Applications -----------------------------------------------------------------------------


@require_GET
@permission_required(["rehab.view_childapplication", PERSONAL], raise_exception=True)
def application_list(request):
    applications, form = selectors.filtered_child_applications(request)
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(a, selectors.ChildView(a.child)) for a in page.object_list]
    context = {"form": form, "page": page, "rows": rows, "query": _query_without_page(request)}
    return render(request, "rehab/children/application_list.html", context)


@require_GET
@permission_required(["rehab.export_childapplications", PERSONAL], raise_exception=True)
def application_export(request):
    """The filtered application list as a workbook, logged by the export framework."""
    return export_response(request, ChildApplicationExporter.for_request(request))


@require_GET
@permission_required(["rehab.view_childapplication", PERSONAL], raise_exception=True)
def application_detail(request, pk: int):
    return _application_page(request, _application(request, pk))


def _application_page(request, application: ChildApplication, status: int = 200, **forms):
    user = request.user
    district = is_district_user(user)
    state = application.state
    may_decide = (
        state == State.SUBMITTED
        and district
        and user.has_perm("rehab.decide_childapplication")
        and application.submitted_by_id != user.pk
    )
    if may_decide:
        requested = Decimal(application.requested_fen) / 100
        forms.setdefault("decision_form", DecisionForm(initial={"approved": requested}))
    may_place = district and user.has_perm("rehab.place_childapplication")
    if may_place and state == State.APPROVED:
        forms.setdefault("placement_form", PlacementForm())
    if may_place and state == State.PLACED:
        forms.setdefault("close_form", CloseForm())
    if state == State.PLACED and user.has_perm("rehab.add_childrehabrecord"):
        forms.setdefault("record_form", ChildRecordForm())
    records = selectors.application_records(application)
    spent = sum(r.amount_fen for r in records if r.voided_at is None)
    context = {
        "application": application,
        "child": selectors.ChildView(application.child),
        "records": records,
        "spent": yuan(spent),
        "left": yuan(max((application.approved_fen or 0) - spent, 0)) if application.approved_fen else "—",
        "requested": yuan(application.requested_fen),
        "approved": yuan(application.approved_fen),
        "settled": yuan(application.settled_fen),
        "may_withdraw": state in (State.SUBMITTED, State.APPROVED) and user.has_perm("rehab.add_childapplication"),
        "own_submission": state == State.SUBMITTED and application.submitted_by_id == user.pk and district,
        "may_void": state == State.PLACED and user.has_perm("rehab.void_childrehabrecord"),
        **forms,
    }
    return render(request, "rehab/children/application_detail.html", context, status=status)


def _application_step(request, pk: int, form_class, form_name: str, act, done: str):
    """A step of an application from its page: the form parsed, the service called; a
    refusal shows the page again with the reason on the form."""
    application = _application(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(application, form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("rehab:child_application_detail", pk=application.pk)
    return _application_page(request, application, status=400, **{form_name: form})


@require_POST
@permission_required(["rehab.decide_childapplication", PERSONAL], raise_exception=True)
def application_decide(request, pk: int):
    approve = request.POST.get("decision") == "approve"

    def act(application, data):
        services.child_application_decide(
            user=request.user,
            application=application,
            approve=approve,
            approved_fen=fen_of(data["approved"]),
            reason=data["reason"],
        )

    done = "已批准该申请，请安排定点机构" if approve else "已作出不予批准的决定"
    return _application_step(request, pk, DecisionForm, "decision_form", act, done)


@require_POST
@permission_required(["rehab.place_childapplication", PERSONAL], raise_exception=True)
def application_place(request, pk: int):
    def act(application, data):
        services.child_application_place(
            user=request.user, application=application, institution=data["institution"], placed_on=data["placed_on"]
        )

    return _application_step(request, pk, PlacementForm, "placement_form", act, "已安置到定点康复机构")


@require_POST
@permission_required(["rehab.place_childapplication", PERSONAL], raise_exception=True)
def application_close(request, pk: int):
    def act(application, data):
        services.child_application_close(
            user=request.user, application=application, closed_on=data["closed_on"], reason=data["reason"]
        )

    return _application_step(request, pk, CloseForm, "close_form", act, "已结案")


@require_POST
@permission_required(["rehab.add_childapplication", PERSONAL], raise_exception=True)
def application_withdraw(request, pk: int):
    application = _application(request, pk)
    try:
        services.child_application_withdraw(
            user=request.user, application=application, reason=request.POST.get("reason", "")
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"未能撤回：{error_text(exc)}")
    else:
        messages.success(request, "已撤回该申请")
    return redirect("rehab:child_application_detail", pk=application.pk)


@require_POST
@permission_required(["rehab.add_childrehabrecord", PERSONAL], raise_exception=True)
def record_create(request, pk: int):
    def act(application, data):
        services.child_record(
            user=request.user,
            application=application,
            served_on=data["served_on"],
            content=data["content"],
            sessions=data["sessions"],
            amount_fen=fen_of(data["amount"]),
            note=data["note"],
        )

    return _application_step(request, pk, ChildRecordForm, "record_form", act, "已登记服务记录")


@require_POST
@permission_required(["rehab.void_childrehabrecord", PERSONAL], raise_exception=True)
def record_void(request, pk: int):
    record = get_object_or_404(selectors.child_records_visible_to(request.user), pk=pk)
    try:
        services.child_record_void(user=request.user, record=record, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"未能作废：{error_text(exc)}")
    else:
        messages.success(request, f"已作废 {record.served_on:%Y-%m-%d} 的“{record.content}”记录")
    return redirect("rehab:child_application_detail", pk=record.application_id)
