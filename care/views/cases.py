"""Mental-health cases: the list (overdue follow-ups first, per town and per institution),
one case's page with its follow-ups, and the POSTs that open, follow up and close."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from canlian.errors import error_text
from canlian.exporting import export_response
from canlian.params import parse_int
from care import selectors_cases as selectors
from care.exports_cases import OverdueCasesExporter
from care.forms_cases import CaseCloseForm, CaseOpenForm, FollowUpForm, form_errors
from care.models import CaseFollowUp, Institution
from care.services import cases as services
from registry.presenters import PersonView
from registry.scoping import Privacy
from registry.selectors import person_for_user

PERSONAL = "registry.view_personal_data"


@require_GET
@permission_required(["care.view_carecase", PERSONAL], raise_exception=True)
def case_list(request):
    """个案管理: the overdue follow-ups (high risk first) with their counts per town and per
    institution, then every open case."""
    today = timezone.localdate()
    privacy = Privacy.for_user(request.user)
    towns = selectors.town_names()
    town = request.GET.get("town", "")
    town = town if town in towns else ""
    institution = parse_int(request.GET.get("institution", ""))
    overdue_all = selectors.overdue_cases(request.user, today)
    overdue = selectors.overdue_cases(request.user, today, town=town, institution=institution)
    institutions = dict(Institution.objects.values_list("pk", "name"))
    open_rows = selectors.open_cases(request.user, today).order_by("risk_order", "next_due", "pk")
    context = {
        "today": today,
        "town": town,
        "institution": institution,
        "filtered": bool(town or institution),
        "filter_label": towns.get(town) or institutions.get(institution, ""),
        "by_town": selectors.overdue_by(overdue_all, selectors.town_of, towns),
        "by_institution": selectors.overdue_by(overdue_all, lambda c: c.institution_id, institutions),
        "overdue": [
            {"case": c, "person": PersonView(c.person, privacy), "days": c.overdue_days(today)} for c in overdue
        ],
        "open": [{"case": c, "person": PersonView(c.person, privacy)} for c in open_rows],
    }
    return render(request, "care/cases/case_list.html", context)


def _case(request, pk: int):
    return get_object_or_404(selectors.cases_visible_to(request.user).select_related("person", "keyworker"), pk=pk)


def _detail(request, case, *, followup_form=None, close_form=None, status=200):
    today = timezone.localdate()
    user = request.user
    context = {
        "case": case,
        "person": PersonView(case.person, Privacy.for_user(user)),
        "today": today,
        "overdue_days": case.overdue_days(today),
        "interval": services.interval_days(case.risk),
        # Voided ones too, struck through with the reason.
        "follow_ups": case.follow_ups.select_related("recorded_by", "voided_by"),
        "may_void_case": user.has_perm("care.void_carecase"),
        "may_void_followup": user.has_perm("care.void_casefollowup"),
        "followup_form": followup_form
        or (FollowUpForm(case=case) if case.is_open and user.has_perm("care.add_casefollowup") else None),
        "close_form": close_form
        or (CaseCloseForm() if case.is_open and user.has_perm("care.close_carecase") else None),
    }
    return render(request, "care/cases/case_detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
@permission_required(["care.view_carecase", PERSONAL], raise_exception=True)
def case_detail(request, pk: int):
    """One case; a POST records a follow-up (the form on the page)."""
    case = _case(request, pk)
    if request.method == "GET":
        return _detail(request, case)
    if not request.user.has_perm("care.add_casefollowup"):
        raise PermissionDenied("您没有登记个案随访的权限")
    form = FollowUpForm(request.POST, case=case)
    if form.is_valid():
        data = form.cleaned_data
        try:
            follow_up = services.followup_record(user=request.user, case=case, **data)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(
                request,
                f"已登记 {follow_up.followed_on:%Y-%m-%d} 的随访，下次随访日期 {follow_up.next_due:%Y-%m-%d}",
            )
            return redirect("care:case_detail", pk=case.pk)
    return _detail(request, case, followup_form=form, status=400)


@require_POST
@permission_required("care.close_carecase", raise_exception=True)
def case_close(request, pk: int):
    case = _case(request, pk)
    form = CaseCloseForm(request.POST)
    if form.is_valid():
        try:
            services.case_close(user=request.user, case=case, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, f"已结案：{case.person.name}")
            return redirect("care:case_detail", pk=case.pk)
    return _detail(request, case, close_form=form, status=400)


@require_POST
@permission_required("care.add_carecase", raise_exception=True)
def case_open(request, pk: int):
    """Open a case for the person of the page."""
    person = person_for_user(request.user, pk)
    form = CaseOpenForm(request.POST)
    if form.is_valid():
        try:
            case = services.case_open(user=request.user, person=person, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, f"未能开设个案：{error_text(exc)}")
        else:
            messages.success(request, f"已开设个案，首次随访日期 {case.next_due:%Y-%m-%d}")
            return redirect("care:case_detail", pk=case.pk)
    else:
        messages.error(request, f"未能开设个案：{form_errors(form)}")
    return redirect("registry:person_detail", pk=pk)


@require_GET
@permission_required(["care.view_carecase", PERSONAL], raise_exception=True)
def case_overdue_export(request):
    return export_response(request, OverdueCasesExporter(request.user))


@require_POST
@permission_required("care.void_carecase", raise_exception=True)
def case_void(request, pk: int):
    """Void a case opened by mistake (作废, with a reason): back to the person's page, where
    another can be opened."""
    case = _case(request, pk)
    try:
        services.case_void(user=request.user, case=case, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"未能作废个案：{error_text(exc)}")
        return redirect("care:case_detail", pk=case.pk)
    messages.success(request, f"已作废 {case.opened_on:%Y-%m-%d} 开设的个案")
    return redirect("registry:person_detail", pk=case.person_id)


@require_POST
@permission_required("care.void_casefollowup", raise_exception=True)
def followup_void(request, pk: int):
    follow_up = get_object_or_404(
        CaseFollowUp.objects.filter(voided_at__isnull=True, case__in=selectors.cases_visible_to(request.user)), pk=pk
    )
    try:
        services.followup_void(user=request.user, follow_up=follow_up, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"未能作废随访记录：{error_text(exc)}")
    else:
        messages.success(request, f"已作废 {follow_up.followed_on:%Y-%m-%d} 的随访记录")
    return redirect("care:case_detail", pk=follow_up.case_id)
