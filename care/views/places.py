"""Reopening checks and drills (the district's page of every institution's state, one
institution's checklists and drills), and boarding and home care placements (the list,
and the person page's forms)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from canlian.errors import error_text
from canlian.exporting import export_response
from care import selectors, selectors_places
from care.exports_places import PlacementExporter, ReadinessExporter
from care.forms_places import CheckForm, DrillForm, PlacementEndForm, PlacementForm
from care.models import CheckItem, Placement
from care.services import places as services
from registry.models import Person
from registry.presenters import PersonView
from registry.scoping import Privacy
from registry.selectors import person_for_user


def _form_errors(form) -> list[str]:
    return [e for errors in form.errors.values() for e in errors]


@require_GET
@permission_required("care.view_reopencheck", raise_exception=True)
def readiness(request):
    """Every institution the user sees with its latest checklist: 可以开放 or not."""
    institutions = list(selectors_places.institution_states(request.user))
    rows = [{"institution": i, "state": selectors_places.state_label(i)} for i in institutions]
    ready = sum(1 for r in rows if r["state"] == selectors_places.READY)
    return render(request, "care/readiness.html", {"rows": rows, "ready": ready, "today": timezone.localdate()})


@require_GET
@permission_required("care.view_reopencheck", raise_exception=True)
def readiness_export(request):
    return export_response(request, ReadinessExporter(request.user))


def _institution(request, pk: int):
    return get_object_or_404(selectors.institutions_visible_to(request.user).select_related("area"), pk=pk)


def _drill_form(request, institution, data=None) -> DrillForm:
    today = timezone.localdate()
    members = selectors.members_on(institution, today).visible_to(request.user).select_related("person")
    return DrillForm(
        data,
        members=[(e.person_id, e.person.name) for e in members.order_by("person__name")],
        staff=[(u.pk, u.display_name) for u in institution.staff.order_by("username")],
    )


def _checks_page(request, institution, *, check_form=None, drill_form=None, status=200):
    visible = set(
        Person.objects.visible_to(request.user)
        .filter(care_drills__institution=institution)
        .values_list("pk", flat=True)
    )
    drills = [
        {"drill": d, "members": [p.name for p in d.members.all() if p.pk in visible], "count": len(d.members.all())}
        for d in selectors_places.drills_of(institution)
    ]
    items = CheckItem.objects.filter(is_active=True)
    may_check, may_drill = request.user.has_perm("care.add_reopencheck"), request.user.has_perm("care.add_drill")
    context = {
        "institution": institution,
        "checks": selectors_places.checks_of(institution),
        "drills": drills,
        "ready": selectors_places.is_ready(institution),
        "check_form": check_form or (CheckForm(items=items) if may_check else None),
        "drill_form": drill_form or (_drill_form(request, institution) if may_drill else None),
    }
    return render(request, "care/institution_checks.html", context, status=status)


@require_GET
@permission_required(["care.view_reopencheck", "care.view_drill"], raise_exception=True)
def institution_checks(request, pk: int):
    return _checks_page(request, _institution(request, pk))


@require_POST
@permission_required("care.add_reopencheck", raise_exception=True)
def check_add(request, pk: int):
    institution = _institution(request, pk)
    form = CheckForm(request.POST, items=CheckItem.objects.filter(is_active=True))
    if form.is_valid():
        try:
            check = services.check_record(
                user=request.user,
                institution=institution,
                checked_on=form.cleaned_data["checked_on"],
                done=form.done(),
                result=form.cleaned_data["result"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            state = "全部项目已完成，可以开放" if check.complete else "有未完成的项目，暂不具备开放条件"
            messages.success(request, f"已登记 {check.checked_on:%Y-%m-%d} 的开放前检查：{state}")
            return redirect("care:institution_checks", pk=institution.pk)
    return _checks_page(request, institution, check_form=form, status=400)


@require_POST
@permission_required("care.add_drill", raise_exception=True)
def drill_add(request, pk: int):
    institution = _institution(request, pk)
    form = _drill_form(request, institution, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            drill = services.drill_record(
                user=request.user,
                institution=institution,
                held_on=data["held_on"],
                topic=data["topic"],
                member_ids=data["members"],
                staff_ids=data["staff"],
                note=data["note"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, f"已登记 {drill.held_on:%Y-%m-%d} 的应急演练：{drill.topic}")
            return redirect("care:institution_checks", pk=institution.pk)
    return _checks_page(request, institution, drill_form=form, status=400)


# Placements -------------------------------------------------------------------------------


def _placement_rows(user):
    return (
        selectors_places.placements_visible_to(user)
        .select_related("person", "institution")
        .order_by("kind", "-started_on", "pk")
    )


@require_GET
@permission_required(["care.view_placement", "registry.view_personal_data"], raise_exception=True)
def placement_list(request):
    today = timezone.localdate()
    privacy = Privacy.for_user(request.user)
    rows = [{"placement": p, "person": PersonView(p.person, privacy)} for p in _placement_rows(request.user)]
    subsidies = selectors_places.monthly_subsidies(today.replace(day=1))
    context = {
        "rows": rows,
        "current": sum(1 for r in rows if r["placement"].ended_on is None or r["placement"].ended_on >= today),
        "subsidies": [(label, subsidies[kind]) for kind, label in Placement._meta.get_field("kind").choices],
        "today": today,
        "end_form": PlacementEndForm() if request.user.has_perm("care.change_placement") else None,
    }
    return render(request, "care/placement_list.html", context)


@require_GET
@permission_required(["care.view_placement", "registry.view_personal_data"], raise_exception=True)
def placement_export(request):
    return export_response(request, PlacementExporter(request.user))


@require_POST
@permission_required("care.add_placement", raise_exception=True)
def placement_add(request, pk: int):
    person = person_for_user(request.user, pk)
    form = PlacementForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            placement = services.placement_create(
                user=request.user,
                person=person,
                kind=data["kind"],
                started_on=data["started_on"],
                institution=data["institution"],
                provider=data["provider"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(
                request, f"已登记{placement.get_kind_display()}：{placement.provider_name}（{placement.period_label}）"
            )
            return redirect("registry:person_detail", pk=pk)
    context = {"person": PersonView(person, Privacy.for_user(request.user)), "placement_form": form}
    return render(request, "care/placement_form.html", context, status=400)


@require_POST
@permission_required("care.change_placement", raise_exception=True)
def placement_end(request, pk: int):
    placement = get_object_or_404(selectors_places.placements_visible_to(request.user), pk=pk)
    form = PlacementEndForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        ended = services.placement_end(
            user=request.user,
            placement=placement,
            ended_on=form.cleaned_data["ended_on"],
            reason=form.cleaned_data["reason"],
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"未能结束托养安置：{error_text(exc)}")
    else:
        messages.success(request, f"已结束托养安置，最后一天 {ended.ended_on:%Y-%m-%d}")
    return redirect("care:placement_list")


@require_POST
@permission_required("care.void_placement", raise_exception=True)
def placement_void(request, pk: int):
    """Void a placement entered by mistake (作废, with a reason): it stops counting for
    the subsidy."""
    placement = get_object_or_404(selectors_places.placements_visible_to(request.user), pk=pk)
    try:
        services.placement_void(user=request.user, placement=placement, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"未能作废托养安置：{error_text(exc)}")
    else:
        messages.success(request, f"已作废 {placement.started_on:%Y-%m-%d} 起的{placement.get_kind_display()}安置")
    if request.POST.get("back") == "person":
        return redirect("registry:person_detail", pk=placement.person_id)
    return redirect("care:placement_list")
