"""Smart location watches: the list (the watches with each institution's members, and the
members eligible for one but without it), issuing one from the person page, and its
return or loss."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from canlian.errors import error_text
from canlian.exporting import export_response
from care import selectors_cases as selectors
from care.exports_cases import WatchesExporter
from care.forms_cases import WatchEndForm, WatchIssueForm, form_errors
from care.models import WatchRule
from care.selectors_cases import NO_INSTITUTION
from care.services import watches as services
from registry.presenters import PersonView
from registry.scoping import Privacy
from registry.selectors import person_for_user

PERSONAL = "registry.view_personal_data"


def _grouped(rows, name_of) -> list[tuple[str, list]]:
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(name_of(row["record"]), []).append(row)
    return list(groups.items())


@require_GET
@permission_required(["care.view_watchissue", PERSONAL], raise_exception=True)
def watch_list(request):
    today = timezone.localdate()
    privacy = Privacy.for_user(request.user)
    watches = [
        {"record": w, "person": PersonView(w.person, privacy)} for w in selectors.active_watches(request.user, today)
    ]
    eligible = [
        {"record": e, "person": PersonView(e.person, privacy)}
        for e in selectors.eligible_without_watch(request.user, today)
    ]
    context = {
        "today": today,
        "watches": _grouped(watches, lambda w: w.institution_name or NO_INSTITUTION),
        "watch_count": len(watches),
        "fees": sum(w["record"].monthly_fee_fen for w in watches) / 100,
        "eligible": _grouped(eligible, lambda e: e.institution.name),
        "eligible_count": len(eligible),
        "rules": WatchRule.objects.all(),
        "end_form": WatchEndForm() if request.user.has_perm("care.change_watchissue") else None,
    }
    return render(request, "care/cases/watch_list.html", context)


@require_POST
@permission_required("care.add_watchissue", raise_exception=True)
def watch_issue(request, pk: int):
    person = person_for_user(request.user, pk)
    form = WatchIssueForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            issue = services.watch_issue(
                user=request.user,
                person=person,
                serial=data["serial"],
                model_name=data["model_name"],
                sim_number=data["sim_number"],
                monthly_fee_fen=int(data["monthly_fee"] * 100),
                issued_on=data["issued_on"],
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, f"未能发放定位手表：{error_text(exc)}")
        else:
            messages.success(request, f"已发放定位手表（序列号 {issue.device.serial}）")
    else:
        messages.error(request, f"未能发放定位手表：{form_errors(form)}")
    return redirect("registry:person_detail", pk=pk)


@require_POST
@permission_required("care.change_watchissue", raise_exception=True)
def watch_end(request, pk: int):
    issue = get_object_or_404(selectors.watches_visible_to(request.user).select_related("device"), pk=pk)
    form = WatchEndForm(request.POST)
    if form.is_valid():
        try:
            ended = services.watch_end(user=request.user, issue=issue, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, f"未能登记：{error_text(exc)}")
        else:
            messages.success(request, f"已登记手表（序列号 {ended.device.serial}）{ended.get_end_display()}")
    else:
        messages.error(request, f"未能登记：{form_errors(form)}")
    if request.POST.get("back") == "person":
        return redirect("registry:person_detail", pk=issue.person_id)
    return redirect("care:watch_list")


@require_GET
@permission_required(["care.view_watchissue", PERSONAL], raise_exception=True)
def watch_export(request):
    return export_response(request, WatchesExporter(request.user))


@require_POST
@permission_required("care.void_watchissue", raise_exception=True)
def watch_void(request, pk: int):
    """Void a watch issue entered by mistake (作废, with a reason)."""
    issue = get_object_or_404(selectors.watches_visible_to(request.user).select_related("device"), pk=pk)
    try:
        services.watch_void(user=request.user, issue=issue, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"未能作废：{error_text(exc)}")
    else:
        messages.success(request, f"已作废定位手表（序列号 {issue.device.serial}）的发放登记")
    if request.POST.get("back") == "person":
        return redirect("registry:person_detail", pk=issue.person_id)
    return redirect("care:watch_list")
