"""Psychological-service pages (心理服务): the case list (a counsellor's own cases; a town's
cases for its officers), a case opened for a registered person or for a named other, and
the case page with its sessions, where the counsellor records a session or closes the
case. Cases come only through `psych.cases_visible_to` / `case_for_user`; the sessions'
notes only through `psych.sessions_of`, which reads them for the counsellor role alone."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from areas.models import Area
from canlian.errors import error_text
from canlian.pagination import DeferredJoinPaginator
from outreach import psych, selectors
from outreach.views import PAGE_SIZE, form_act, query_without_page
from registry.presenters import PersonView
from registry.scoping import Privacy
from registry.selectors import person_for_user

VIEW = "outreach.view_psychcase"
ADD = "outreach.add_psychcase"


def _client(case, privacy) -> str:
    if case.person_id:
        return PersonView(case.person, privacy).name
    return case.client_label


@require_GET
@permission_required(VIEW, raise_exception=True)
def psych_list(request):
    cases = psych.cases_visible_to(request.user).select_related("person", "counsellor").order_by("-opened_on", "-id")
    if request.GET.get("state") == "open":
        cases = cases.filter(closed_on__isnull=True)
    page = DeferredJoinPaginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    privacy = Privacy.for_user(request.user)
    names = selectors.area_names(Area.objects.filter(code__in={case.area_code for case in page.object_list}))
    rows = [
        {
            "item": case,
            "client": _client(case, privacy),
            "town": names.get(case.area_code, ("", ""))[0],
            "community": names.get(case.area_code, ("", case.area_code))[1],
        }
        for case in page.object_list
    ]
    context = {
        "page": page,
        "rows": rows,
        "query": query_without_page(request),
        "open_only": request.GET.get("state") == "open",
        "may_notes": request.user.has_perm(psych.NOTES),
    }
    return render(request, "outreach/psych_list.html", context)


def _open(request, *, person=None):
    form = psych.CaseForm(request.POST or None, user=request.user, person=person)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                case = psych.case_open(
                    user=request.user,
                    opened_on=data["opened_on"],
                    counsellor=data.get("counsellor"),
                    client_kind=data["client_kind"],
                    person=person if data["client_kind"] == "person" else None,
                    related_person=person if data["client_kind"] == "family" else None,
                    client_name=data["client_name"],
                    relationship=data["relationship"],
                    town=data.get("town", ""),
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, f"已建立 {case.opened_on:%Y-%m-%d} 的心理服务个案")
                return redirect("outreach:psych_detail", pk=case.pk)
    shown = PersonView(person, Privacy.for_user(request.user)) if person else None
    return render(request, "outreach/psych_form.html", {"form": form, "person": shown}, status=status)


@require_http_methods(["GET", "POST"])
@permission_required(ADD, raise_exception=True)
def psych_create_other(request):
    """A case for someone not in the registry: a family member, a federation worker."""
    return _open(request)


@require_http_methods(["GET", "POST"])
@permission_required([ADD, "registry.view_person"], raise_exception=True)
def psych_create(request, pk: int):
    """A case for a registered person, or for a family member of theirs: opened by those
    who see the registry (a counsellor does not: they open cases of named others)."""
    return _open(request, person=person_for_user(request.user, pk))


@require_GET
@permission_required(VIEW, raise_exception=True)
def psych_detail(request, pk: int):
    case = psych.case_for_user(request.user, pk)
    user = request.user
    privacy = Privacy.for_user(user)
    open_case = case.voided_at is None and case.closed_on is None
    context = {
        "case": case,
        "person": PersonView(case.person, privacy) if case.person_id else None,
        "related": PersonView(case.related_person, privacy) if case.related_person_id else None,
        "client": _client(case, privacy),
        "sessions": psych.sessions_of(user, case),
        "may_notes": user.has_perm(psych.NOTES),
        "session_form": psych.SessionForm() if open_case and user.has_perm("outreach.add_psychsession") else None,
        "close_form": psych.CloseForm() if open_case and user.has_perm("outreach.change_psychcase") else None,
        "may_void": case.voided_at is None and user.has_perm("outreach.void_psychcase"),
    }
    return render(request, "outreach/psych_detail.html", context)


def _act(request, pk: int, form_class, action, done: str, **form_kwargs):
    case = psych.case_for_user(request.user, pk)
    form_act(request, form_class(request.POST, **form_kwargs), lambda data: action(case, data), done)
    return redirect("outreach:psych_detail", pk=case.pk)


@require_POST
@permission_required("outreach.add_psychsession", raise_exception=True)
def psych_session(request, pk: int):
    def record(case, data):
        psych.session_record(user=request.user, case=case, **data)

    return _act(request, pk, psych.SessionForm, record, "已登记心理咨询记录")


@require_POST
@permission_required("outreach.change_psychcase", raise_exception=True)
def psych_close(request, pk: int):
    def close(case, data):
        psych.case_close(user=request.user, case=case, **data)

    return _act(request, pk, psych.CloseForm, close, "已结案")


@require_POST
@permission_required("outreach.void_psychcase", raise_exception=True)
def psych_void(request, pk: int):
    case = psych.case_for_user(request.user, pk)
    try:
        psych.case_void(user=request.user, case=case, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"未能作废：{error_text(exc)}")
    else:
        messages.success(request, "已作废该心理服务个案")
    return redirect("outreach:psych_detail", pk=case.pk)
