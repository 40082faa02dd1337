"""The five special associations (专门协会): their members and leaders, joining, leaving
and a membership entered by mistake."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from activities import selectors, services
from activities.forms import MemberForm, MembershipEndForm
from activities.models import Association
from canlian.errors import error_text
from registry.identifiers import IdentifierError
from registry.presenters import PersonView
from registry.scoping import Privacy


@require_GET
@permission_required("activities.view_association", raise_exception=True)
def association_list(request):
    return render(request, "activities/association_list.html", {"associations": selectors.associations_with_counts()})


def _detail(request, association, *, form=None, status=200):
    privacy = Privacy.for_user(request.user)
    names = privacy.personal and request.user.has_perm("activities.view_membership")
    members, hidden = selectors.association_members(request.user, association, names=names)
    may_add = request.user.has_perm("activities.add_membership")
    context = {
        "association": association,
        "members": [(m, PersonView(m.person, privacy)) for m in members],
        "hidden": hidden,
        "form": form or (MemberForm() if may_add else None),
        "end_form": MembershipEndForm(),
        "may_end": request.user.has_perm("activities.change_membership"),
        "may_void": request.user.has_perm("activities.void_membership"),
    }
    return render(request, "activities/association_detail.html", context, status=status)


@require_GET
@permission_required("activities.view_association", raise_exception=True)
def association_detail(request, pk: int):
    return _detail(request, get_object_or_404(Association, pk=pk))


@require_POST
@permission_required("activities.add_membership", raise_exception=True)
def member_add(request, pk: int):
    association = get_object_or_404(Association, pk=pk)
    form = MemberForm(request.POST)
    if not form.is_valid():
        return _detail(request, association, form=form, status=400)
    data = form.cleaned_data
    try:
        person = selectors.person_by_id_number(request.user, data["id_number"])
        membership = services.membership_add(
            user=request.user,
            association=association,
            person=person,
            position=data["position"],
            joined_on=data["joined_on"],
        )
    except (ValidationError, PermissionDenied, IdentifierError) as exc:
        form.add_error(None, error_text(exc))
        return _detail(request, association, form=form, status=400)
    messages.success(request, f"已登记{membership.person.name}为{association.name}{membership.get_position_display()}")
    return redirect("activities:association_detail", pk=association.pk)


def _membership(request, pk: int):
    return get_object_or_404(selectors.memberships_visible_to(request.user).select_related("person"), pk=pk)


@require_POST
@permission_required("activities.change_membership", raise_exception=True)
def membership_end(request, pk: int):
    membership = _membership(request, pk)
    form = MembershipEndForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请填写正确的离会日期")
        services.membership_end(user=request.user, membership=membership, left_on=form.cleaned_data["left_on"])
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"未能登记离会：{error_text(exc)}")
    else:
        messages.success(request, f"已登记{membership.person.name}离会")
    return redirect("activities:association_detail", pk=membership.association_id)


@require_POST
@permission_required("activities.void_membership", raise_exception=True)
def membership_void(request, pk: int):
    membership = _membership(request, pk)
    try:
        services.membership_void(user=request.user, membership=membership, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"未能作废：{error_text(exc)}")
    else:
        messages.success(request, "已作废该会员记录")
    return redirect("activities:association_detail", pk=membership.association_id)
