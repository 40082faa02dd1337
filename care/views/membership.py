"""Enrolment, leaving and the waiting list. Each page is a POST from the person page or the
institution page; a refusal comes back with its reason."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from canlian.errors import error_text
from care import selectors
from care.forms import AcceptForm, EndForm, EnrolForm, ReasonForm
from care.models import Enrolment, WaitingEntry
from care.services import membership as services
from registry.presenters import PersonView
from registry.scoping import Privacy
from registry.selectors import person_for_user


def _offered(request, entries) -> None:
    for entry in entries:
        messages.info(request, f"已按轮候顺序通知 {entry.person.name} 入托（{entry.institution.name}）")


@require_POST
@permission_required("care.add_enrolment", raise_exception=True)
def enrol(request, pk: int):
    """Enrol the person of the page at an institution, or put them on its waiting list."""
    person = person_for_user(request.user, pk)
    form = EnrolForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            made = services.enrolment_apply(
                user=request.user,
                institution=data["institution"],
                person=person,
                started_on=data["started_on"],
                override_reason=data["override_reason"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            institution = data["institution"]
            if isinstance(made, WaitingEntry):
                ahead = selectors.waiting_list(institution).filter(id__lt=made.pk).count()
                messages.warning(
                    request,
                    f"“{institution.name}”已满员，已列入轮候名单（前面还有 {ahead} 人），有空余名额时按顺序通知",
                )
            else:
                messages.success(request, f"已办理入托：{institution.name}（{made.started_on:%Y-%m-%d} 起）")
            return redirect("registry:person_detail", pk=pk)
    context = {"person": PersonView(person, Privacy.for_user(request.user)), "enrol_form": form}
    return render(request, "care/person_form.html", context, status=400)


def _enrolment(request, pk: int) -> Enrolment:
    return get_object_or_404(selectors.enrolments_visible_to(request.user).select_related("institution"), pk=pk)


@require_POST
@permission_required("care.change_enrolment", raise_exception=True)
def enrolment_end(request, pk: int):
    enrolment = _enrolment(request, pk)
    form = EndForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"未能办理离开：{'；'.join(e for errors in form.errors.values() for e in errors)}")
        return redirect("care:institution_detail", pk=enrolment.institution_id)
    data = form.cleaned_data
    try:
        ended, offered = services.enrolment_end(
            user=request.user, enrolment=enrolment, ended_on=data["ended_on"], reason=data["reason"], note=data["note"]
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"未能办理离开：{error_text(exc)}")
    else:
        messages.success(request, f"已办理离开：{ended.person.name}，最后一天 {ended.ended_on:%Y-%m-%d}")
        _offered(request, offered)
    return redirect("care:institution_detail", pk=enrolment.institution_id)


@require_POST
@permission_required("care.void_enrolment", raise_exception=True)
def enrolment_void(request, pk: int):
    enrolment = _enrolment(request, pk)
    try:
        _voided, offered = services.enrolment_void(
            user=request.user, enrolment=enrolment, reason=request.POST.get("reason", "")
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"未能作废：{error_text(exc)}")
    else:
        messages.success(request, f"已作废 {enrolment.started_on:%Y-%m-%d} 在“{enrolment.institution.name}”的入托登记")
        _offered(request, offered)
    return redirect("registry:person_detail", pk=enrolment.person_id)


def _entry(request, pk: int) -> WaitingEntry:
    entries = WaitingEntry.objects.visible_to(request.user).select_related("person", "institution")
    return get_object_or_404(entries, pk=pk)


@require_POST
@permission_required("care.add_enrolment", raise_exception=True)
def waiting_accept(request, pk: int):
    entry = _entry(request, pk)
    form = AcceptForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        enrolment = services.waiting_accept(user=request.user, entry=entry, started_on=form.cleaned_data["started_on"])
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"未能办理入托：{error_text(exc)}")
    else:
        messages.success(request, f"已办理入托：{entry.person.name}（{enrolment.started_on:%Y-%m-%d} 起）")
    return redirect("care:institution_detail", pk=entry.institution_id)


@require_POST
@permission_required("care.change_waitingentry", raise_exception=True)
def waiting_withdraw(request, pk: int):
    entry = _entry(request, pk)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请填写撤回原因")
        offered = services.waiting_withdraw(user=request.user, entry=entry, reason=form.cleaned_data["reason"])
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"未能撤回：{error_text(exc)}")
    else:
        messages.success(request, f"已撤回 {entry.person.name} 的轮候登记")
        _offered(request, offered)
    return redirect("care:institution_detail", pk=entry.institution_id)
