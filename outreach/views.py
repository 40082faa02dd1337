"""Outreach pages: home visits, the needs they found and their photos. Thin: parse the
request, call a selector or a service, render. Persons come through `person_for_user` and
records through the selectors' `visible_to`: 404 outside the user's scope."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from areas.models import Area
from canlian.errors import error_text
from canlian.pagination import DeferredJoinPaginator
from outreach import selectors, services
from outreach.forms import NeedCloseForm, VisitForm
from registry.presenters import PersonView
from registry.scoping import Privacy
from registry.selectors import person_for_user

PAGE_SIZE = 50
PERSONAL = "registry.view_personal_data"


def query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def form_errors(form) -> str:
    """A refused form's messages on one line, for a page that redirects back."""
    return "；".join(message for messages_ in form.errors.values() for message in messages_)


def form_act(request, form, action, done: str) -> None:
    """A form posted from a record's page: `action(cleaned_data)` if the form is valid, and
    the outcome as a message (the page it redirects to shows it)."""
    if not form.is_valid():
        messages.error(request, f"未能保存：{form_errors(form)}")
        return
    try:
        action(form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"未能保存：{error_text(exc)}")
    else:
        messages.success(request, done)


def person_rows(request, page_items, *, person=lambda item: item.person) -> list[dict]:
    """The rows of a page: each item with its person as the user may see them, and the
    names of its town and community (one query for the page's communities)."""
    privacy = Privacy.for_user(request.user)
    names = selectors.area_names(Area.objects.filter(code__in={item.area_code for item in page_items}))
    return [
        {
            "item": item,
            "person": PersonView(person(item), privacy),
            "town": names.get(item.area_code, ("", ""))[0],
            "community": names.get(item.area_code, ("", item.area_code))[1],
        }
        for item in page_items
    ]


@require_GET
@permission_required(["outreach.view_homevisit", PERSONAL], raise_exception=True)
def visit_list(request):
    visits, form, data = selectors.filtered_visits(request)
    today = datetime.date.today()
    period_from = data.get("date_from") or today.replace(month=1, day=1)
    period_to = data.get("date_to") or today
    page = DeferredJoinPaginator(
        visits.select_related("person", "recorded_by").prefetch_related("visitors"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "rows": person_rows(request, page.object_list),
        "privacy": Privacy.for_user(request.user),
        "summary": selectors.visit_summary(visits),
        "towns": selectors.town_visit_figures(request.user, period_from, period_to),
        "period_from": period_from,
        "period_to": period_to,
        "query": query_without_page(request),
    }
    template = "outreach/_visit_table.html" if request.htmx else "outreach/visit_list.html"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@permission_required("outreach.add_homevisit", raise_exception=True)
def visit_create(request, pk: int):
    person = person_for_user(request.user, pk)
    form = VisitForm(request.POST or None, request.FILES or None, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                visit = services.visit_record(
                    user=request.user,
                    person=person,
                    visited_on=data["visited_on"],
                    visitors=data["visitors"],
                    other_visitors=data["other_visitors"],
                    findings=data["findings"],
                    needs=data["needs"],
                    money=data["money"],
                    gifts=data["gifts"],
                    follow_up_on=data["follow_up_on"],
                    photos=data["photos"],
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, f"已登记 {visit.visited_on:%Y-%m-%d} 的走访慰问")
                return redirect("outreach:visit_detail", pk=visit.pk)
    context = {"form": form, "person": PersonView(person, Privacy.for_user(request.user))}
    return render(request, "outreach/visit_form.html", context, status=status)


@require_GET
@permission_required(["outreach.view_homevisit", PERSONAL], raise_exception=True)
def visit_detail(request, pk: int):
    visit = selectors.visit_for_user(request.user, pk)
    privacy = Privacy.for_user(request.user)
    context = {
        "visit": visit,
        "person": PersonView(visit.person, privacy),
        "visitors": [u.display_name for u in visit.visitors.all()],
        "needs": list(visit.need_items.select_related("closed_by").order_by("id")),
        # Photos are shown to whoever may see the person now, not to the town that visited
        # a person who has since moved away.
        "photos": list(visit.photos.all()) if selectors.person_visible(request.user, visit.person_id) else None,
        "may_void": request.user.has_perm("outreach.void_homevisit")
        and visit.voided_at is None
        and selectors.visits_visible_to(request.user).filter(pk=visit.pk).exists(),
        "close_form": NeedCloseForm() if request.user.has_perm("outreach.close_visitneed") else None,
    }
    return render(request, "outreach/visit_detail.html", context)


@require_POST
@permission_required("outreach.void_homevisit", raise_exception=True)
def visit_void(request, pk: int):
    visit = get_object_or_404(selectors.visits_visible_to(request.user), pk=pk)
    try:
        services.visit_void(user=request.user, visit=visit, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"未能作废：{error_text(exc)}")
    else:
        messages.success(request, f"已作废 {visit.visited_on:%Y-%m-%d} 的走访记录")
    return redirect("outreach:visit_detail", pk=visit.pk)


@require_GET
@permission_required(["outreach.view_homevisit", PERSONAL], raise_exception=True)
def photo(request, pk: int):
    """A visit's photo, to a user who may see the visit's person (404 otherwise). Never a
    public media URL: the files under MEDIA_ROOT are served only here."""
    item = selectors.photo_for_user(request.user, pk)
    response = FileResponse(item.file.open("rb"), content_type=item.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@permission_required(["outreach.view_visitneed", PERSONAL], raise_exception=True)
def need_list(request):
    needs, form = selectors.filtered_needs(request)
    page = DeferredJoinPaginator(needs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "rows": person_rows(request, page.object_list),
        "close_form": NeedCloseForm() if request.user.has_perm("outreach.close_visitneed") else None,
        "query": query_without_page(request),
        "today": datetime.date.today(),
    }
    template = "outreach/_need_table.html" if request.htmx else "outreach/need_list.html"
    return render(request, template, context)


@require_POST
@permission_required("outreach.close_visitneed", raise_exception=True)
def need_close(request, pk: int):
    need = get_object_or_404(selectors.needs_visible_to(request.user), pk=pk)
    form = NeedCloseForm(request.POST)
    if form.is_valid():
        try:
            services.need_close(
                user=request.user,
                need=need,
                outcome=form.cleaned_data["outcome"],
                closed_on=form.cleaned_data["closed_on"],
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, f"未能办结：{error_text(exc)}")
        else:
            messages.success(request, f"已办结“{need.get_kind_display()}”需求")
    else:
        messages.error(request, f"未能办结：{form_errors(form)}")
    return _back(request, need)


def _back(request, need):
    if request.POST.get("back") == "visit":
        return redirect("outreach:visit_detail", pk=need.visit_id)
    return redirect("outreach:need_list")
