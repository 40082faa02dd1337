"""Household pages (户). Thin: parse the request, call a selector or service, render.

A household page lists persons by name: like a person's page, it needs
`registry.view_personal_data` (a leader gets 403), and a household outside the user's
scope answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.models import AccessLog
from accounts.services import access_log_write
from canlian.errors import error_text
from registry import households as services
from registry.forms_households import EconomicStatusForm, FamilyMemberForm, HouseholdForm, MemberForm
from registry.household_selectors import (
    MULTI_DISABLED,
    family_member_for_user,
    household_by_number,
    household_family,
    household_for_user,
    household_list,
    household_logs,
    household_members,
    is_multi_disabled,
)
from registry.identifiers import mask_id
from registry.presenters import PersonView
from registry.scoping import Privacy
from registry.selectors import person_for_user

VIEW = ("registry.view_person", "registry.view_personal_data")
PAGE_SIZE = 50


def _form_errors(form, exc: ValidationError) -> None:
    """A service's refusal on the form: per field where it names fields, else on the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error_text(exc))


@permission_required(VIEW, raise_exception=True)
def household_list_view(request):
    multi = request.GET.get("multi") == "1"
    q = "".join(request.GET.get("q", "").split())[:30]
    page = Paginator(household_list(request.user, multi=multi, q=q), PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {"page": page, "multi": multi, "q": q, "query": params.urlencode(), "threshold": MULTI_DISABLED}
    return render(request, "registry/household_list.html", context)


@permission_required((*VIEW, "registry.change_person"), raise_exception=True)
def household_create_view(request):
    form = HouseholdForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            household = services.household_create(
                user=request.user, number=data["number"], area=data["area"], address=data["address"]
            )
        except ValidationError as exc:
            form.add_error("number", error_text(exc))
        else:
            messages.success(request, f"已建户 {household.number}")
            return redirect("registry:household_detail", pk=household.pk)
    return render(request, "registry/household_form.html", {"form": form})


class FamilyMemberView:
    """A family member as the user may see them: the ID number masked unless revealed."""

    def __init__(self, member, *, revealed: bool) -> None:
        self.pk = member.pk
        self.name = member.name
        self.relationship = member.relationship
        self.is_carer = member.is_carer
        self.is_guardian = member.is_guardian
        self.id_number = member.id_number if revealed else mask_id(member.id_number)


def _render_detail(request, household, *, revealed=False, family_form=None, economic_form=None, status=200):
    privacy = Privacy.for_user(request.user)
    revealed = revealed and privacy.may_reveal
    context = {
        "household": household,
        "members": [PersonView(p, privacy) for p in household_members(household)],
        "family": [FamilyMemberView(m, revealed=revealed) for m in household_family(household)],
        "logs": household_logs(household),
        "multi": is_multi_disabled(household),
        "revealed": revealed,
        "privacy": privacy,
        "family_form": family_form or FamilyMemberForm(),
        "economic_form": economic_form or EconomicStatusForm(initial={"status": household.economic_status}),
    }
    return render(request, "registry/household_detail.html", context, status=status)


@permission_required(VIEW, raise_exception=True)
def household_detail_view(request, pk: int):
    return _render_detail(request, household_for_user(request.user, pk))


@require_POST
@permission_required((*VIEW, "registry.reveal_identifiers"), raise_exception=True)
def household_reveal_view(request, pk: int):
    """The family members' full ID numbers, a logged reveal as a person's are."""
    household = household_for_user(request.user, pk)
    access_log_write(user=request.user, action=AccessLog.Action.REVEAL, person=household, page="household")
    return _render_detail(request, household, revealed=True)


@require_POST
@permission_required((*VIEW, "registry.change_person"), raise_exception=True)
def family_member_add_view(request, pk: int):
    household = household_for_user(request.user, pk)
    form = FamilyMemberForm(request.POST)
    if form.is_valid():
        try:
            services.family_member_add(user=request.user, household=household, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"已登记家庭成员 {form.cleaned_data['name']}")
            return redirect("registry:household_detail", pk=pk)
    return _render_detail(request, household, family_form=form, status=400)


@permission_required((*VIEW, "registry.change_person"), raise_exception=True)
def family_member_edit_view(request, pk: int, member: int):
    household = household_for_user(request.user, pk)
    stored = family_member_for_user(request.user, household, member)
    # Editing the ID number needs it in full: for an officer who may reveal, opening the
    # form is a logged reveal; anyone else sees it masked and must type it again.
    full = Privacy.for_user(request.user).may_reveal
    if request.method == "GET" and full:
        access_log_write(user=request.user, action=AccessLog.Action.REVEAL, person=household, page="family_edit")
    initial = {
        "name": stored.name,
        "id_number": stored.id_number if full else "",
        "relationship": stored.relationship,
        "is_carer": stored.is_carer,
        "is_guardian": stored.is_guardian,
    }
    form = FamilyMemberForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.family_member_update(user=request.user, member=stored, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "已保存家庭成员")
            return redirect("registry:household_detail", pk=pk)
    context = {"household": household, "form": form, "member": stored, "masked": mask_id(stored.id_number)}
    return render(request, "registry/family_member_form.html", context)


@require_POST
@permission_required((*VIEW, "registry.change_person", "registry.add_personevent"), raise_exception=True)
def household_economic_view(request, pk: int):
    household = household_for_user(request.user, pk)
    form = EconomicStatusForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            changed = services.household_economic_status_set(
                user=request.user, household=household, status=data["status"], date=data["date"], reason=data["reason"]
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, f"已设置户经济状况，{changed} 名残疾人随户登记")
            return redirect("registry:household_detail", pk=pk)
    return _render_detail(request, household, economic_form=form, status=400)


@require_POST
@permission_required((*VIEW, "registry.change_person"), raise_exception=True)
def person_household_view(request, pk: int):
    """The person joins the household of the typed number (of the user's scope)."""
    person = person_for_user(request.user, pk)
    form = MemberForm(request.POST)
    if form.is_valid():
        number = "".join(form.cleaned_data["number"].split()).upper()
        household = household_by_number(request.user, number)
        if household is None:
            form.add_error("number", f"您的管辖范围内没有户号 {number}，请先建户")
        else:
            try:
                services.person_household_set(
                    user=request.user,
                    person=person,
                    household=household,
                    relationship=form.cleaned_data["relationship"],
                )
            except ValidationError as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, f"已加入户 {household.number}")
                return redirect("registry:person_detail", pk=pk)
    messages.error(request, "未能加入户：" + "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("registry:person_detail", pk=pk)


@require_POST
@permission_required((*VIEW, "registry.change_person"), raise_exception=True)
def person_household_leave_view(request, pk: int):
    person = person_for_user(request.user, pk)
    try:
        services.person_household_leave(user=request.user, person=person)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, "已离开本户")
    return redirect("registry:person_detail", pk=pk)
