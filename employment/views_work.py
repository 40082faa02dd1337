"""Start-up support, employers and placements, the partner county: thin views over the
selectors and services, as `employment.views`."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from canlian.errors import error_text
from canlian.exporting import export_response
from employment import selectors, services
from employment.exports import PartnerExporter, PlacementExporter, StartupExporter
from employment.forms import (
    EmployerForm,
    FollowUpForm,
    PartnerDeviceForm,
    PartnerPlacementForm,
    PlacementEndForm,
    PlacementForm,
    QuotaForm,
    ReviewForm,
    StartupForm,
    VacancyForm,
    fen,
)
from employment.models import Employer, Milestone, PartnerDevice, PartnerPlacement, StartupState
from employment.views import PERSONAL, _void, form_errors, year_of
from registry.identifiers import mask_id
from registry.presenters import PersonView
from registry.scoping import Privacy
from registry.selectors import person_for_user

PAGE_SIZE = 50


def _rows(request, items) -> list:
    privacy = Privacy.for_user(request.user)
    return [(item, PersonView(item.person, privacy)) for item in items]


def _submit(request, form, act, *, done, again):
    """A posted form: `act(cleaned_data)` when it is valid, then `done(record)` gives the
    success message and where to go. An invalid form, or the service's refusal put on the
    form, answers `again(form)`: the page again, showing the reasons."""
    if form.is_valid():
        try:
            record = act(form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            message, to = done(record)
            messages.success(request, message)
            return redirect(to)
    return again(form)


def _in_fen(data: dict, field: str) -> dict:
    """The form's data with a yuan amount `field` as the service's `<field>_fen`."""
    data = dict(data)
    data[f"{field}_fen"] = fen(data.pop(field))
    return data


# Start-up support ---------------------------------------------------------------------


@require_GET
@permission_required(["employment.view_startupsupport", PERSONAL], raise_exception=True)
def startup_list(request):
    year = year_of(request)
    state = request.GET.get("state", "")
    supports = selectors.startup_list(request.user, year=year, state=state)
    page = Paginator(supports, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "year": year,
        "years": selectors.record_years(),
        "state": state,
        "states": StartupState.choices,
        "page": page,
        "rows": _rows(request, page.object_list),
        "query": f"year={year}&state={state}",
    }
    return render(request, "employment/startup_list.html", context)


@require_GET
@permission_required(
    ["employment.export_startupsupports", PERSONAL, "employment.view_startupsupport"], raise_exception=True
)
def startup_export(request):
    year = year_of(request)
    supports = selectors.startup_list(request.user, year=year, state=request.GET.get("state", ""))
    return export_response(request, StartupExporter(supports, privacy=Privacy.for_user(request.user), year=year))


@require_http_methods(["GET", "POST"])
@permission_required("employment.add_startupsupport", raise_exception=True)
def startup_create(request, pk: int):
    person = person_for_user(request.user, pk)
    form = StartupForm(request.POST or None, initial={"applied_on": timezone.localdate(), "household_size": 1})
    return _submit(
        request,
        form,
        lambda data: services.startup_apply(user=request.user, person=person, **data),
        done=lambda support: (
            f"已受理{support.head_name}户的创业扶持申请，待区残联审核",
            reverse("employment:startup_detail", args=[support.pk]),
        ),
        again=lambda form: _person_form(request, "employment/startup_form.html", form, person),
    )


def _person_form(request, template: str, form, person):
    """A form from the person's page; 400 once a post was refused."""
    context = {"form": form, "person": PersonView(person, Privacy.for_user(request.user)), "person_pk": person.pk}
    return render(request, template, context, status=400 if form.errors else 200)


def _startup_page(request, support, *, review_form=None, followup_form=None, status=200):
    user = request.user
    followups = selectors.followups_of(support)
    due = (
        [(m, label, services.followup_due(support, m), followups.get(m)) for m, label in Milestone.choices]
        if support.state == StartupState.APPROVED
        else []
    )
    context = {
        "support": support,
        "person": PersonView(support.person, Privacy.for_user(user)),
        "head_id": mask_id(support.head_id_number),
        "payment": selectors.startup_payment(support),
        "milestones": due,
        "may_review": (
            support.state == StartupState.SUBMITTED
            and user.has_perm("employment.review_startupsupport")
            and support.recorded_by_id != user.pk
        ),
        "review_form": review_form or ReviewForm(),
        "may_follow": support.state == StartupState.APPROVED and user.has_perm("employment.add_startupfollowup"),
        "followup_form": followup_form or FollowUpForm(initial={"visited_on": timezone.localdate()}),
        "may_void": user.has_perm("employment.void_startupsupport") and support.state == StartupState.SUBMITTED,
    }
    return render(request, "employment/startup_detail.html", context, status=status)


@require_GET
@permission_required(["employment.view_startupsupport", PERSONAL], raise_exception=True)
def startup_detail(request, pk: int):
    return _startup_page(request, selectors.startup_for_user(request.user, pk))


@require_POST
@permission_required("employment.review_startupsupport", raise_exception=True)
def startup_review(request, pk: int):
    support = selectors.startup_for_user(request.user, pk)

    def review(data):
        return services.startup_review(
            user=request.user, support=support, approve=data["decision"] == "approve", opinion=data["opinion"]
        )

    def done(support):
        if support.state == StartupState.APPROVED:
            message = f"已批准，扶持金额 {support.amount_fen / 100:.2f} 元，由一次性资助发放批次发放"
        else:
            message = "已审核：不予批准"
        return message, reverse("employment:startup_detail", args=[support.pk])

    return _submit(
        request,
        ReviewForm(request.POST),
        review,
        done=done,
        again=lambda form: _startup_page(request, support, review_form=form, status=400),
    )


@require_POST
@permission_required("employment.add_startupfollowup", raise_exception=True)
def followup_add(request, pk: int):
    support = selectors.startup_for_user(request.user, pk)
    return _submit(
        request,
        FollowUpForm(request.POST),
        lambda data: services.followup_record(user=request.user, support=support, **_in_fen(data, "monthly_income")),
        done=lambda record: (
            f"已登记{record.get_milestone_display()}：{record.get_business_state_display()}",
            reverse("employment:startup_detail", args=[support.pk]),
        ),
        again=lambda form: _startup_page(request, support, followup_form=form, status=400),
    )


@require_POST
@permission_required("employment.void_startupsupport", raise_exception=True)
def startup_void(request, pk: int):
    supports = selectors.startups_visible_to(request.user).filter(state=StartupState.SUBMITTED)
    record = _void(request, supports, pk, "创业扶持申请")
    return redirect("registry:person_detail", pk=record.person_id)


# Employers, vacancies, quota, placements ----------------------------------------------


@require_GET
@permission_required("employment.view_employer", raise_exception=True)
def employer_list(request):
    caring = request.GET.get("caring") == "1"
    rows = selectors.employers()
    if caring:
        rows = rows.filter(caring=True)
    return render(request, "employment/employer_list.html", {"employers": rows, "caring": caring})


@require_http_methods(["GET", "POST"])
@permission_required("employment.add_employer", raise_exception=True)
def employer_create(request):
    return _submit(
        request,
        EmployerForm(request.POST or None, user=request.user),
        lambda data: services.employer_create(user=request.user, **data),
        done=lambda employer: (
            f"已登记用人单位“{employer.name}”",
            reverse("employment:employer_detail", args=[employer.pk]),
        ),
        again=lambda form: render(
            request, "employment/employer_form.html", {"form": form}, status=400 if form.errors else 200
        ),
    )


def _employer_page(request, employer, *, vacancy_form=None, quota_form=None, status=200):
    user = request.user
    personal = Privacy.for_user(user).personal and user.has_perm("employment.view_jobplacement")
    placements = selectors.placement_list(user, employer=employer) if personal else []
    context = {
        "employer": employer,
        "vacancies": employer.vacancies.select_related("point").order_by("-posted_on", "-id"),
        "quotas": selectors.quota_rows(employer),
        "counts": selectors.employer_placement_counts(employer),
        "rows": _rows(request, placements),
        "personal": personal,
        "vacancy_form": vacancy_form or VacancyForm(initial={"posted_on": timezone.localdate()}),
        "quota_form": quota_form or QuotaForm(initial={"year": timezone.localdate().year}),
        "may_vacancy": user.has_perm("employment.add_vacancy"),
        "may_quota": user.has_perm("employment.add_quotaemployment"),
    }
    return render(request, "employment/employer_detail.html", context, status=status)


@require_GET
@permission_required("employment.view_employer", raise_exception=True)
def employer_detail(request, pk: int):
    return _employer_page(request, get_object_or_404(Employer.objects.select_related("area"), pk=pk))


@require_POST
@permission_required("employment.add_vacancy", raise_exception=True)
def vacancy_add(request, pk: int):
    employer = get_object_or_404(Employer, pk=pk)
    return _submit(
        request,
        VacancyForm(request.POST),
        lambda data: services.vacancy_create(user=request.user, employer=employer, **_in_fen(data, "wage")),
        done=lambda vacancy: (
            f"已发布岗位“{vacancy.title}”",
            reverse("employment:employer_detail", args=[employer.pk]),
        ),
        again=lambda form: _employer_page(request, employer, vacancy_form=form, status=400),
    )


@require_POST
@permission_required("employment.add_quotaemployment", raise_exception=True)
def quota_save(request, pk: int):
    employer = get_object_or_404(Employer, pk=pk)
    return _submit(
        request,
        QuotaForm(request.POST),
        lambda data: services.quota_save(user=request.user, employer=employer, **data),
        done=lambda quota: (
            f"已登记 {quota.year} 年按比例就业情况",
            reverse("employment:employer_detail", args=[employer.pk]),
        ),
        again=lambda form: _employer_page(request, employer, quota_form=form, status=400),
    )


@require_GET
@permission_required(["employment.view_jobplacement", PERSONAL], raise_exception=True)
def placement_list(request):
    year = year_of(request)
    page = Paginator(selectors.placement_list(request.user, year=year), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "year": year,
        "years": selectors.record_years(),
        "page": page,
        "rows": _rows(request, page.object_list),
        "end_form": PlacementEndForm(initial={"ended_on": timezone.localdate()}),
    }
    return render(request, "employment/placement_list.html", context)


@require_GET
@permission_required(
    ["employment.export_jobplacements", PERSONAL, "employment.view_jobplacement"], raise_exception=True
)
def placement_export(request):
    year = year_of(request)
    rows = selectors.placement_list(request.user, year=year)
    return export_response(request, PlacementExporter(rows, privacy=Privacy.for_user(request.user), year=year))


@require_http_methods(["GET", "POST"])
@permission_required("employment.add_jobplacement", raise_exception=True)
def placement_create(request, pk: int):
    person = person_for_user(request.user, pk)
    form = PlacementForm(request.POST or None, initial={"started_on": timezone.localdate(), "quota": True})
    return _submit(
        request,
        form,
        lambda data: services.placement_create(user=request.user, person=person, **_in_fen(data, "wage")),
        done=lambda placement: (
            f"已登记{person.name}在“{placement.employer.name}”就业",
            reverse("registry:person_detail", args=[person.pk]),
        ),
        again=lambda form: _person_form(request, "employment/placement_form.html", form, person),
    )


@require_POST
@permission_required("employment.change_jobplacement", raise_exception=True)
def placement_end(request, pk: int):
    placement = get_object_or_404(selectors.placements_visible_to(request.user), pk=pk)
    form = PlacementEndForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form_errors(form))
        services.placement_end(user=request.user, placement=placement, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"未能登记离职：{error_text(exc)}")
    else:
        messages.success(request, "已登记离职")
    return redirect("employment:placement_list")


@require_POST
@permission_required("employment.void_jobplacement", raise_exception=True)
def placement_void(request, pk: int):
    record = _void(request, selectors.placements_visible_to(request.user), pk, "就业安置")
    return redirect("registry:person_detail", pk=record.person_id)


# The partner county -------------------------------------------------------------------


def _partner_page(request, *, placement_form=None, device_form=None, status=200):
    year = year_of(request)
    placements = PartnerPlacement.objects.filter(started_on__year=year).select_related("employer")
    devices = PartnerDevice.objects.filter(sent_on__year=year)
    context = {
        "year": year,
        "years": selectors.partner_years(),
        "totals": selectors.partner_totals(),
        "placements": [(p, mask_id(p.id_number)) for p in placements],
        "devices": [(d, mask_id(d.id_number)) for d in devices],
        "placement_form": placement_form or PartnerPlacementForm(prefix="pp"),
        "device_form": device_form or PartnerDeviceForm(prefix="pd"),
        "may_add": request.user.has_perm("employment.add_partnerplacement"),
    }
    return render(request, "employment/partner.html", context, status=status)


@require_GET
@permission_required("employment.view_partnerplacement", raise_exception=True)
def partner(request):
    return _partner_page(request)


@require_POST
@permission_required("employment.add_partnerplacement", raise_exception=True)
def partner_placement_add(request):
    return _submit(
        request,
        PartnerPlacementForm(request.POST, prefix="pp"),
        lambda data: services.partner_placement_create(user=request.user, **_in_fen(data, "wage")),
        done=lambda record: (
            f"已登记{record.name}（{record.county}）在“{record.employer.name}”就业",
            reverse("employment:partner"),
        ),
        again=lambda form: _partner_page(request, placement_form=form, status=400),
    )


@require_POST
@permission_required("employment.add_partnerdevice", raise_exception=True)
def partner_device_add(request):
    return _submit(
        request,
        PartnerDeviceForm(request.POST, prefix="pd"),
        lambda data: services.partner_device_create(user=request.user, **data),
        done=lambda record: (
            f"已登记向{record.name}（{record.county}）发放{record.device} {record.quantity} 件",
            reverse("employment:partner"),
        ),
        again=lambda form: _partner_page(request, device_form=form, status=400),
    )


@require_GET
@permission_required("employment.view_partnerplacement", raise_exception=True)
def partner_export(request):
    year = year_of(request)
    placements = PartnerPlacement.objects.filter(started_on__year=year).select_related("employer")
    devices = PartnerDevice.objects.filter(sent_on__year=year)
    return export_response(request, PartnerExporter(placements, devices))
