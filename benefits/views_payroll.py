"""Payroll pages: the batch list with the form that generates a draft (as a background
task with a progress page), a batch's totals and lines, its approval, the bank file and
the printable summary. Thin: the work is in `benefits.payroll`.

A batch covers the whole district; what a user sees of it is narrowed to their
jurisdiction over the lines' `area_code`: a town officer sees their own town's lines and
totals, a leader (no access to personal data) the totals only. Generating, approving and
exporting a batch act on the whole district, so they need a district-wide user.
"""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from benefits import exports
from benefits.models import PaymentMonth, PayrollBatch, Scheme, SchemeKind
from benefits.months import MonthError, month_label, month_start, parse_month
from benefits.payroll import (
    DISTRICT_ONLY,
    PayrollError,
    payees_changed,
    payment_lines,
    payroll_approve,
)
from benefits.rules import ineligibility_reasons
from benefits.selectors import awards_active_in, receiving_not_eligible, scoped_totals
from benefits.tasks import JOB_KIND, run_payroll_generate
from canlian.exporting import export_response
from canlian.jobs import dead_jobs_fail
from canlian.models import Job
from canlian.scoping import is_district_user, scope_filter
from registry.identifiers import mask_account, mask_id, mask_name
from registry.models import Person
from registry.presenters import PersonView
from registry.scoping import Privacy

PAGE_SIZE = 50
BATCHES_PER_PAGE = 24


def _line_scope(user) -> Q:
    return scope_filter(user, PaymentMonth)


def _is_district_user(user) -> bool:
    """Whose jurisdiction is the whole district (or everything), so sees whole batches."""
    return is_district_user(user)


def _batch(pk: int) -> PayrollBatch:
    return get_object_or_404(PayrollBatch.objects.select_related("scheme", "prepared_by", "approved_by"), pk=pk)


class GenerateForm(forms.Form):
    scheme = forms.ModelChoiceField(
        label="补贴项目",
        queryset=Scheme.objects.filter(kind=SchemeKind.MONTHLY, is_active=True),
        empty_label=None,
        error_messages={"invalid_choice": "请选择按月发放的补贴项目"},
    )
    month = forms.CharField(
        label="发放月份",
        max_length=10,
        widget=forms.TextInput(attrs={"type": "month"}),
        error_messages={"required": "请填写发放月份"},
    )

    def clean_month(self) -> datetime.date:
        try:
            month = parse_month(self.cleaned_data["month"])
        except MonthError as exc:
            raise forms.ValidationError(str(exc)) from None
        if month > month_start(datetime.date.today()):
            raise forms.ValidationError(f"不能编制未来月份 {month:%Y-%m} 的发放批次")
        return month

    def clean(self):
        data = super().clean()
        scheme, month = data.get("scheme"), data.get("month")
        if scheme and month:
            done = PayrollBatch.objects.filter(scheme=scheme, month=month).exclude(state=PayrollBatch.State.DRAFT)
            if done.exists():
                raise forms.ValidationError(f"{scheme.name} {month:%Y-%m} 的批次已审核，不能重新生成")
        return data


def _generate_form(data=None) -> GenerateForm:
    return GenerateForm(data, initial={"month": f"{datetime.date.today():%Y-%m}"})


def _keep(request, param: str) -> str:
    """The query string without `param`, for the links of one of a page's paginators."""
    params = request.GET.copy()
    params.pop(param, None)
    return params.urlencode()


@require_GET
@permission_required("benefits.view_payrollbatch", raise_exception=True)
def batch_list(request):
    return _render_batch_list(request, _generate_form())


def _render_batch_list(request, form: GenerateForm):
    batches = PayrollBatch.objects.select_related("scheme", "prepared_by", "approved_by").order_by("-month", "scheme")
    page = Paginator(batches, BATCHES_PER_PAGE).get_page(request.GET.get("page"))
    scoped_totals(request.user, page.object_list)
    may_prepare = request.user.has_perm("benefits.prepare_payroll") and _is_district_user(request.user)
    context = {
        "page": page,
        "form": form if may_prepare else None,
        "runs": Job.objects.filter(created_by=request.user, kind=JOB_KIND)[:5],
        "district_user": _is_district_user(request.user),
    }
    return render(request, "benefits/payroll_batch_list.html", context)


@require_POST
@permission_required("benefits.prepare_payroll", raise_exception=True)
def batch_generate(request):
    """Queue the generation of a draft (or its regeneration) and show its progress."""
    if not _is_district_user(request.user):
        raise PermissionDenied(DISTRICT_ONLY)
    form = _generate_form(request.POST)
    if not form.is_valid():
        return _render_batch_list(request, form)
    scheme, month = form.cleaned_data["scheme"], form.cleaned_data["month"]
    run = Job.objects.create(
        kind=JOB_KIND,
        title=f"{scheme.name} {month_label(month)}",
        params={"scheme": scheme.pk, "month": month},
        created_by=request.user,
    )
    run_payroll_generate.enqueue(run.pk)
    return redirect("benefits:run_status", pk=run.pk)


@require_GET
@permission_required("benefits.prepare_payroll", raise_exception=True)
def run_status(request, pk: int):
    """The progress of a generation; only its own user sees it (others: 404)."""
    dead_jobs_fail(Job.objects.filter(pk=pk))
    run = get_object_or_404(Job, pk=pk, kind=JOB_KIND, created_by=request.user)
    template = "benefits/payroll_run_panel.html" if request.htmx else "benefits/payroll_run_status.html"
    return render(request, template, {"run": run})


def _lines_page(request, batch: PayrollBatch, privacy: Privacy):
    lines = payment_lines(batch, scope=_line_scope(request.user)).order_by("area_code", "person__id_number")
    page = Paginator(lines, PAGE_SIZE).get_page(request.GET.get("page"))
    names = exports.town_names()
    page.object_list = [
        {
            "person_id": line["person_id"],
            "town": exports.town_name(line["area_code"], names),
            "name": line["person__name"] if privacy.personal else mask_name(line["person__name"]),
            "id_number": mask_id(line["person__id_number"]),
            "months": line["months"],
            "covered": exports.months_label(line["first"], line["last"]),
            "amount": exports.yuan(line["amount_fen"]),
        }
        for line in page.object_list
    ]
    return page


def _to_stop_page(request, batch: PayrollBatch, privacy: Privacy):
    """建议终止: awards in the batch month whose persons are not eligible in it, in the
    user's jurisdiction, with the reasons."""
    scheme, month = batch.scheme, batch.month
    award = awards_active_in(scheme, month).filter(person=OuterRef("pk")).order_by("start_month")
    persons = (
        receiving_not_eligible(scheme, month, Person.objects.visible_to(request.user))
        .annotate(award_start=Subquery(award.values("start_month")[:1]))
        .select_related("area", "area__parent")
        .order_by("area_id", "id_number")
    )
    page = Paginator(persons, PAGE_SIZE).get_page(request.GET.get("stop_page"))
    page.object_list = [
        {
            "person": PersonView(person, privacy),
            "award_start": person.award_start,
            "reasons": ineligibility_reasons(person, scheme, month),
        }
        for person in page.object_list
    ]
    return page


def _changed_payees(request, batch: PayrollBatch, privacy: Privacy) -> dict:
    """The payees of an approved batch, in the user's jurisdiction, whose name, bank or
    account has changed since approval: the count, and the first page of them."""
    payees = payees_changed(batch, Person.objects.visible_to(request.user))
    page = Paginator(payees, PAGE_SIZE).get_page(request.GET.get("payee_page"))
    page.object_list = [
        {
            "person": PersonView(payee.person, privacy),
            "frozen_name": payee.name if privacy.personal else mask_name(payee.name),
            "frozen_bank": payee.bank_name,
            "frozen_account": mask_account(payee.bank_account),
            "live_bank": payee.person.bank_name,
            "live_account": mask_account(payee.person.bank_account),
        }
        for payee in page.object_list
    ]
    return page


@require_GET
@permission_required("benefits.view_payrollbatch", raise_exception=True)
def batch_detail(request, pk: int):
    batch = _batch(pk)
    privacy = Privacy.for_user(request.user)
    totals = exports.batch_town_totals(batch, _line_scope(request.user))
    user = request.user
    context = {
        "batch": batch,
        "privacy": privacy,
        "totals": totals,
        "grand_total": exports.grand_total(totals),
        "district_user": _is_district_user(user),
        "is_preparer": batch.prepared_by_id == user.pk,
        "may_approve": user.has_perm("benefits.approve_payroll") and _is_district_user(user),
        "may_prepare": user.has_perm("benefits.prepare_payroll") and _is_district_user(user),
        "may_export": user.has_perm("benefits.export_payroll") and _is_district_user(user),
        "lines_keep": _keep(request, "page"),
        "stop_keep": _keep(request, "stop_page"),
        "payee_keep": _keep(request, "payee_page"),
    }
    # Names and ID numbers only for users with access to personal data: a leader sees totals.
    if privacy.personal:
        context["lines"] = _lines_page(request, batch, privacy)
        context["to_stop"] = _to_stop_page(request, batch, privacy)
        if batch.state != PayrollBatch.State.DRAFT:
            context["changed_payees"] = _changed_payees(request, batch, privacy)
    return render(request, "benefits/payroll_batch_detail.html", context)


def posted_version(request) -> int:
    """The draft version an approve form was shown with (the payroll's and the grants');
    -1 (no draft has it) when the form did not carry one, so it is refused like a stale one."""
    raw = request.POST.get("version", "")
    return int(raw) if raw.isascii() and raw.isdigit() else -1


@require_POST
@permission_required("benefits.approve_payroll", raise_exception=True)
def batch_approve(request, pk: int):
    batch = _batch(pk)
    if not _is_district_user(request.user):
        messages.error(request, DISTRICT_ONLY)
        return redirect("benefits:batch_detail", pk=batch.pk)
    try:
        batch = payroll_approve(batch=batch, user=request.user, version=posted_version(request))
    except (PayrollError, PermissionDenied) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"已审核 {batch.scheme.name} {batch.month:%Y-%m}：{batch.person_count} 人，"
            f"合计 {exports.yuan(batch.total_fen)} 元",
        )
    return redirect("benefits:batch_detail", pk=batch.pk)


@require_POST
@permission_required("benefits.export_payroll", raise_exception=True)
def batch_export(request, pk: int):
    """The bank file (.xlsx): full ID and account numbers, for it exists to pay (only users
    with `export_payroll` reach it); logged as a reveal; the batch becomes exported."""
    batch = _batch(pk)
    if not _is_district_user(request.user):
        messages.error(request, DISTRICT_ONLY)
        return redirect("benefits:batch_detail", pk=batch.pk)
    if batch.state == PayrollBatch.State.DRAFT:
        messages.error(request, "草稿批次不能导出银行文件，请先审核")
        return redirect("benefits:batch_detail", pk=batch.pk)
    scope = _line_scope(request.user)
    names = exports.town_names()
    lines = payment_lines(batch, scope=scope, with_bank=True).order_by("area_code", "person__id_number")
    totals = exports.batch_town_totals(batch, scope, names)
    return export_response(request, exports.BankFileExporter(batch, lines, totals, names=names))


@require_GET
@permission_required("benefits.view_payrollbatch", raise_exception=True)
def batch_summary(request, pk: int):
    """The printable summary of an approved batch: totals per town and the signatures."""
    batch = _batch(pk)
    if batch.state == PayrollBatch.State.DRAFT:
        messages.error(request, "草稿批次审核通过后才能打印汇总表")
        return redirect("benefits:batch_detail", pk=batch.pk)
    totals = exports.batch_town_totals(batch, _line_scope(request.user))
    context = {
        "batch": batch,
        "totals": totals,
        "grand_total": exports.grand_total(totals),
        "district_user": _is_district_user(request.user),
        "area": request.user.area,
    }
    return render(request, "benefits/payroll_summary.html", context)
