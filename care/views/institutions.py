"""The institutions: the list of those in the user's scope, and one institution's page
with its members today and its waiting list."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from care import selectors
from care.forms import AcceptForm, EndForm, ReasonForm
from registry.presenters import PersonView
from registry.scoping import Privacy


@require_GET
@permission_required("care.view_institution", raise_exception=True)
def institution_list(request):
    """Institutions with their members and places; no person named (leaders read it too)."""
    today = timezone.localdate()
    institutions = selectors.institutions_visible_to(request.user).select_related("area").order_by("code")
    figures = selectors.institution_figures(institutions, today)
    rows = [{"institution": i, **figures[i.pk]} for i in institutions]
    return render(request, "care/institution_list.html", {"rows": rows, "today": today})


@require_GET
@permission_required(
    ["care.view_institution", "care.view_enrolment", "registry.view_personal_data"], raise_exception=True
)
def institution_detail(request, pk: int):
    institution = get_object_or_404(selectors.institutions_visible_to(request.user).select_related("area"), pk=pk)
    today = timezone.localdate()
    privacy = Privacy.for_user(request.user)
    members = selectors.members_on(institution, today).visible_to(request.user).select_related("person")
    members = members.order_by("person__name", "pk")
    waiting = selectors.waiting_list(institution).visible_to(request.user).select_related("person")
    context = {
        "institution": institution,
        "today": today,
        "members": [{"enrolment": e, "person": PersonView(e.person, privacy)} for e in members],
        "member_count": selectors.member_count(institution, today),
        "free": selectors.free_places(institution, today),
        "waiting": [{"entry": w, "person": PersonView(w.person, privacy)} for w in waiting],
        "end_form": EndForm() if request.user.has_perm("care.change_enrolment") else None,
        "accept_form": AcceptForm() if request.user.has_perm("care.add_enrolment") else None,
        "withdraw_form": ReasonForm() if request.user.has_perm("care.change_waitingentry") else None,
    }
    return render(request, "care/institution_detail.html", context)


@require_GET
@permission_required(["care.view_enrolment", "registry.view_personal_data"], raise_exception=True)
def member_list(request):
    """Today's members of every institution the user sees (会员名单), by institution."""
    today = timezone.localdate()
    privacy = Privacy.for_user(request.user)
    enrolments = (
        selectors.current_enrolments_visible_to(request.user, today)
        .select_related("person", "institution")
        .order_by("institution__code", "person__name", "pk")
    )
    groups: dict = {}
    for enrolment in enrolments:
        groups.setdefault(enrolment.institution, []).append(
            {"enrolment": enrolment, "person": PersonView(enrolment.person, privacy)}
        )
    return render(request, "care/member_list.html", {"groups": list(groups.items()), "today": today})
