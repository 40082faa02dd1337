"""Pages of the other grants (其他资助): the overview with counts, annual and one-off batches,
vehicles and the fuel eligibility list, education grants by school level, the insurance
enrolment lists, and the project records of one-off grants. Thin: the work is in
`benefits.grants`; every list starts from the user's scope, and an object outside it
answers 404 as one that does not exist."""

import datetime
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from benefits import grants
from benefits.models import Application, GrantProject, PaymentMonth, PayrollBatch, Scheme, SchemeKind
from benefits.months import MonthError, month_start, parse_month
from benefits.payroll import PayrollError
from benefits.selectors import insured_count
from benefits.views_payroll import posted_version
from canlian.errors import error_text
from canlian.exporting import export_response
from canlian.params import ascii_digits, int_param, int_param_or_404
from canlian.scoping import scope_filter
from registry.identifiers import normalize
from registry.models import Person
from registry.presenters import PersonView
from registry.scoping import Privacy
from registry.selectors import person_for_user
from registry.services import person_reveal

LIST_LIMIT = 500


def yuan(fen: int | None) -> str:
    if fen is None:
        return "—"
    return f"{fen // 100}.{fen % 100:02d}"


def _scheme(code: str) -> Scheme:
    return get_object_or_404(Scheme, code=code)


def _year(request) -> int:
    year = int_param(request, "year") or timezone.localdate().year
    return min(max(year, 2000), timezone.localdate().year)


def _month(request) -> datetime.date:
    try:
        month = parse_month(request.GET.get("month") or timezone.localdate())
    except MonthError:
        month = month_start(timezone.localdate())
    return min(month, month_start(timezone.localdate()))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _not_future(value: datetime.date) -> datetime.date:
    if value > timezone.localdate():
        raise forms.ValidationError("日期不能晚于今天")
    return value


# Overview -------------------------------------------------------------------------------


@require_GET
@permission_required("benefits.view_scheme", raise_exception=True)
def grant_list(request):
    """Every other grant with its counts in the user's scope, and links to its pages."""
    user = request.user
    today = timezone.localdate()
    month = month_start(today)
    schemes = {s.code: s for s in Scheme.objects.filter(kind__in=grants.GRANT_KINDS)}
    counts = {}
    if "fuel" in schemes:
        counts["vehicles"] = grants.vehicles_visible_to(user).filter(retired_on__isnull=True).count()
        counts["fuel"] = grants.fuel_eligible(user, schemes["fuel"], month).count()
    if "education" in schemes:
        counts["students"] = grants.awards_active_in_year(user, schemes["education"], today.year).count()
    insured = {}
    for code in grants.ENROLMENT_SCHEMES:
        if code in schemes:
            insured[code] = insured_count(code, today.year, scope_filter(user, PaymentMonth))
            counts[code] = grants.enrolment_persons(user, schemes[code], today).count()
    by_status = dict(
        grants.projects_visible_to(user).values("status").annotate(n=Count("id")).values_list("status", "n")
    )
    projects = [(label, by_status.get(value, 0)) for value, label in GrantProject.Status.choices]
    context = {
        "schemes": [s for s in schemes.values() if s.is_active],
        "counts": counts,
        "insured": insured,
        "projects": projects,
        "projects_total": sum(by_status.values()),
        "awaiting": grants.applications_awaiting_project(user).count(),
        "year": today.year,
        "may_batches": _may_batches(user),
    }
    return render(request, "benefits/grant_list.html", context)


# Annual and one-off batches --------------------------------------------------------------


def _may_batches(user) -> bool:
    return user.has_perm("benefits.prepare_payroll") or user.has_perm("benefits.approve_payroll")


class GrantBatchForm(forms.Form):
    scheme = forms.ModelChoiceField(label="资助项目", queryset=Scheme.objects.none(), empty_label=None)
    period = forms.CharField(
        label="年度或月份", max_length=10, help_text="按年发放的项目填年度（如 2025），一次性资助填月份（如 2025-03）"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = grants.grant_schemes()

    def clean(self):
        data = super().clean()
        scheme, period = data.get("scheme"), (data.get("period") or "").strip()
        if scheme is None or not period:
            return data
        if scheme.kind == SchemeKind.ANNUAL:
            year = period[:4]
            if not ascii_digits(year) or not 2000 <= int(year) <= 2100:
                self.add_error("period", "请填写年度，如 2025")
            else:
                data["period"] = int(year)
        else:
            try:
                data["period"] = parse_month(period)
            except MonthError as exc:
                self.add_error("period", str(exc))
        return data


@require_http_methods(["GET", "POST"])
@permission_required("benefits.view_payrollbatch", raise_exception=True)
def grant_batches(request):
    """Annual and one-off batches: generate a draft (district preparers), approve one
    (another reviewer). The lines, bank file and summary are the payroll pages'."""
    if not _may_batches(request.user):
        raise PermissionDenied("发放批次覆盖全区，只有区级制表人和审核人可以操作")
    form = GrantBatchForm(request.POST or None, initial={"period": str(timezone.localdate().year)})
    if request.method == "POST" and form.is_valid():
        scheme, period = form.cleaned_data["scheme"], form.cleaned_data["period"]
        try:
            batch = grants.grant_batch_generate(scheme, period, request.user)
        except (PayrollError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(
                request,
                f"已生成 {grants.batch_label(batch)} 草稿：{batch.person_count} 人，合计 {yuan(batch.total_fen)} 元",
            )
            return redirect("benefits:grant_batches")
    batches = PayrollBatch.objects.filter(scheme__kind__in=grants.GRANT_KINDS).select_related(
        "scheme", "prepared_by", "approved_by"
    )[:100]
    rows = [(b, grants.batch_label(b), yuan(b.total_fen)) for b in batches]
    context = {"form": form, "rows": rows, "may_prepare": request.user.has_perm("benefits.prepare_payroll")}
    return render(request, "benefits/grant_batches.html", context, status=400 if form.errors else 200)


@require_POST
@permission_required("benefits.approve_payroll", raise_exception=True)
def grant_batch_approve(request, pk: int):
    batch = get_object_or_404(PayrollBatch, pk=pk, scheme__kind__in=grants.GRANT_KINDS)
    try:
        batch = grants.grant_batch_approve(batch=batch, user=request.user, version=posted_version(request))
    except (PayrollError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"已审核 {grants.batch_label(batch)}：合计 {yuan(batch.total_fen)} 元")
    return redirect("benefits:grant_batches")


# Vehicles and the fuel subsidy -----------------------------------------------------------


class VehicleForm(forms.Form):
    id_number = forms.CharField(label="车主公民身份号码", max_length=20)
    plate = forms.CharField(label="车牌号", max_length=20)
    registered_on = forms.DateField(label="登记日期", widget=DateInput(), validators=[_not_future])
    lower_limb = forms.BooleanField(label="已核实为下肢残疾", required=False, initial=True)


class RetireForm(forms.Form):
    retired_on = forms.DateField(label="报废/注销日期", widget=DateInput(), validators=[_not_future])


def _vehicle_rows(request, *, show_all: bool):
    privacy = Privacy.for_user(request.user)
    vehicles = grants.vehicles_visible_to(request.user).select_related("person", "person__area", "person__area__parent")
    if not show_all:
        vehicles = vehicles.filter(retired_on__isnull=True)
    vehicles = vehicles.order_by("person__area_id", "person__name", "plate")
    return [(v, PersonView(v.person, privacy)) for v in vehicles[:LIST_LIMIT]]


@require_http_methods(["GET", "POST"])
@permission_required("benefits.view_vehicle", raise_exception=True)
def grant_vehicles(request):
    """The vehicles of the user's persons; registering one (add_vehicle) and retiring one
    (change_vehicle). `?person=<pk>` fills in a visible person's ID number (a reveal)."""
    user = request.user
    initial = {"registered_on": timezone.localdate(), "lower_limb": True}
    if request.method == "GET" and "person" in request.GET:
        person = person_for_user(user, int_param_or_404(request, "person", "没有这个人员"))
        # The form needs the full ID number: filling it in is a logged reveal, for a user
        # who may reveal; anyone else types it.
        if Privacy.for_user(user).may_reveal:
            person_reveal(user=user, person=person, page="vehicles")
            initial["id_number"] = person.id_number
    form = VehicleForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not user.has_perm("benefits.add_vehicle"):
            raise PermissionDenied("您没有登记机动轮椅车的权限")
        if form.is_valid():
            data = form.cleaned_data
            person = Person.objects.visible_to(user).filter(id_number=normalize(data["id_number"])).first()
            if person is None:
                form.add_error("id_number", "在您的管辖范围内没有该身份证号的持证人员")
            else:
                try:
                    vehicle = grants.vehicle_register(
                        user=user,
                        person=person,
                        plate=data["plate"],
                        registered_on=data["registered_on"],
                        lower_limb=data["lower_limb"],
                    )
                except (ValidationError, PermissionDenied) as exc:
                    form.add_error(None, error_text(exc))
                else:
                    messages.success(request, f"已登记机动轮椅车 {vehicle.plate}")
                    return redirect("benefits:grant_vehicles")
    show_all = request.GET.get("all") == "1"
    context = {
        "form": form,
        "retire_form": RetireForm(initial={"retired_on": timezone.localdate()}),
        "rows": _vehicle_rows(request, show_all=show_all),
        "show_all": show_all,
        "limit": LIST_LIMIT,
        "may_add": user.has_perm("benefits.add_vehicle"),
        "may_retire": user.has_perm("benefits.change_vehicle"),
    }
    return render(request, "benefits/grant_vehicles.html", context, status=400 if form.errors else 200)


@require_POST
@permission_required("benefits.change_vehicle", raise_exception=True)
def grant_vehicle_retire(request, pk: int):
    vehicle = get_object_or_404(grants.vehicles_visible_to(request.user), pk=pk)
    form = RetireForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("benefits:grant_vehicles")
    try:
        grants.vehicle_retire(user=request.user, vehicle=vehicle, retired_on=form.cleaned_data["retired_on"])
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"已注销机动轮椅车 {vehicle.plate}")
    return redirect("benefits:grant_vehicles")


@require_GET
@permission_required("benefits.view_eligibility", raise_exception=True)
def grant_fuel(request):
    """Who meets the fuel rule in a month, with their vehicles and whether they receive it."""
    scheme = _scheme("fuel")
    month = _month(request)
    privacy = Privacy.for_user(request.user)
    persons = list(grants.fuel_eligible(request.user, scheme, month)[:LIST_LIMIT])
    plates: dict[int, list[str]] = {}
    for person_id, plate in (
        grants.vehicles_visible_to(request.user)
        .filter(person_id__in=[p.pk for p in persons], retired_on__isnull=True)
        .values_list("person_id", "plate")
    ):
        plates.setdefault(person_id, []).append(plate)
    rows = [(PersonView(p, privacy), p.receiving, "、".join(plates.get(p.pk, []))) for p in persons]
    context = {
        "scheme": scheme,
        "month": month,
        "rows": rows,
        "total": grants.fuel_eligible(request.user, scheme, month).count(),
        "missing": sum(1 for _, receiving, _ in rows if not receiving),
        "limit": LIST_LIMIT,
    }
    return render(request, "benefits/grant_fuel.html", context)


# Education grants ------------------------------------------------------------------------


@require_GET
@permission_required("benefits.view_award", raise_exception=True)
def grant_education(request):
    """Education grants of a year by school level: amount, students and total."""
    scheme = _scheme("education")
    year = _year(request)
    privacy = Privacy.for_user(request.user)
    levels = grants.education_levels(request.user, scheme, year)
    for level in levels:
        level["amount"], level["total"] = yuan(level["amount_fen"]), yuan(level["total_fen"])
    awards = (
        grants.awards_active_in_year(request.user, scheme, year)
        .select_related("person", "person__area", "person__area__parent")
        .order_by("variant", "person__area_id", "person__name")
    )
    amounts = {level["level"]: level["amount"] for level in levels}
    # A leader reads the levels' counts only, not the students.
    shown = awards[:LIST_LIMIT] if privacy.personal else []
    rows = [(a, PersonView(a.person, privacy), amounts.get(a.variant, "—")) for a in shown]
    context = {
        "scheme": scheme,
        "year": year,
        "levels": levels,
        "rows": rows,
        "students": sum(level["students"] for level in levels),
        "total": yuan(sum(level["total_fen"] for level in levels)),
        "limit": LIST_LIMIT,
        "personal": privacy.personal,
    }
    return render(request, "benefits/grant_education.html", context)


# Enrolment lists -------------------------------------------------------------------------


@require_GET
@permission_required("benefits.view_award", raise_exception=True)
def grant_enrolment(request, code: str):
    """An enrolment list on a date: its size per town, and the workbook to download for a
    user who may export persons (a leader reads the counts only)."""
    found = grants.enrolment_filter(code, request.GET)
    scheme, day = found.scheme, found.day
    persons = grants.enrolment_persons(request.user, scheme, day)
    towns = (
        persons.values("area__parent__name")
        .annotate(n=Count("id"))
        .order_by("area__parent__code")
        .values_list("area__parent__name", "n")
    )
    privacy = Privacy.for_user(request.user)
    context = {
        "scheme": scheme,
        "code": code,
        "title": grants.ENROLMENT_SCHEMES[code],
        "day": day,
        "errors": found.errors,
        "towns": list(towns),
        "total": persons.count(),
        "full": privacy.personal and privacy.may_reveal,
        "personal": privacy.personal,
        "columns": grants.enrolment_headers(privacy),
        "may_export": request.user.has_perms(["registry.export_persons", "registry.view_personal_data"]),
    }
    return render(request, "benefits/grant_enrolment.html", context)


@require_GET
@permission_required(["registry.export_persons", "registry.view_personal_data"], raise_exception=True)
def grant_enrolment_export(request, code: str):
    """The enrolment list as a workbook for the insurer or the social security office; a
    long one as a background job. Full ID and certificate numbers only for a user who may
    reveal them; logged. A date that is not taken is refused with why, nothing written."""
    return export_response(request, grants.EnrolmentExporter.for_params(request.user, code, request.GET))


# Project records of one-off grants -------------------------------------------------------


class ProjectForm(forms.Form):
    description = forms.CharField(label="项目内容", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    budget = forms.DecimalField(label="资助金额（元）", min_value=Decimal("0.01"), max_digits=10, decimal_places=2)
    contractor = forms.CharField(label="实施单位", max_length=100, required=False)


class AdvanceForm(forms.Form):
    status = forms.ChoiceField(choices=GrantProject.Status.choices)
    on = forms.DateField(label="日期", widget=DateInput(), validators=[_not_future])


@require_GET
@permission_required(["benefits.view_application", "registry.view_personal_data"], raise_exception=True)
def grant_projects(request):
    """Project records with their status, filterable by kind and status; the applications
    still waiting for one."""
    privacy = Privacy.for_user(request.user)
    projects = grants.projects_visible_to(request.user).select_related(
        "application__person__area__parent", "application__scheme"
    )
    kind, status = request.GET.get("kind", ""), request.GET.get("status", "")
    if kind in GrantProject.Kind.values:
        projects = projects.filter(kind=kind)
    if status in GrantProject.Status.values:
        projects = projects.filter(status=status)
    rows = [
        {
            "project": p,
            "person": PersonView(p.application.person, privacy),
            "budget": yuan(p.budget_fen),
            "next": grants.PROJECT_NEXT.get(p.status),
            "next_label": GrantProject.Status(grants.PROJECT_NEXT[p.status]).label
            if p.status in grants.PROJECT_NEXT
            else "",
        }
        for p in projects[:LIST_LIMIT]
    ]
    awaiting = grants.applications_awaiting_project(request.user).select_related("person", "scheme")[:LIST_LIMIT]
    context = {
        "rows": rows,
        "awaiting": [(a, PersonView(a.person, privacy)) for a in awaiting],
        "kinds": GrantProject.Kind.choices,
        "statuses": GrantProject.Status.choices,
        "kind": kind,
        "status": status,
        "may_edit": grants.may_edit_projects(request.user),
        "today": timezone.localdate(),
        "limit": LIST_LIMIT,
    }
    return render(request, "benefits/grant_projects.html", context)


def _editor(request) -> None:
    if not grants.may_edit_projects(request.user):
        raise PermissionDenied("您没有登记或更新资助项目的权限")


@require_http_methods(["GET", "POST"])
@permission_required("benefits.view_application", raise_exception=True)
def grant_project_create(request, application_pk: int):
    _editor(request)
    application = get_object_or_404(
        Application.objects.filter(
            pk__in=grants.applications_awaiting_project(request.user).values("pk")
        ).select_related("person", "scheme"),
        pk=application_pk,
    )
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            grants.grant_project_create(
                user=request.user,
                application=application,
                description=data["description"],
                budget_fen=int(data["budget"] * 100),
                contractor=data["contractor"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, f"已登记 {application.person.name} 的{application.scheme.name}项目")
            return redirect("benefits:grant_projects")
    context = {
        "form": form,
        "application": application,
        "person": PersonView(application.person, Privacy.for_user(request.user)),
    }
    return render(request, "benefits/grant_project_form.html", context, status=400 if form.errors else 200)


@require_POST
@permission_required("benefits.view_application", raise_exception=True)
def grant_project_advance(request, pk: int):
    _editor(request)
    project = get_object_or_404(grants.projects_visible_to(request.user), pk=pk)
    form = AdvanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("benefits:grant_projects")
    try:
        project = grants.grant_project_advance(
            user=request.user, project=project, status=form.cleaned_data["status"], on=form.cleaned_data["on"]
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"项目进度已更新为“{project.get_status_display()}”")
    return redirect("benefits:grant_projects")
