"""Person pages. Thin: parse the request, call a selector or service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from canlian.declarations import person_panels
from canlian.pagination import DeferredJoinPaginator
from canlian.timeline import person_timeline
from registry import services
from registry.forms import PersonEventForm, PersonForm
from registry.models import Person
from registry.presenters import PersonView, person_list_rows
from registry.scoping import Privacy
from registry.selectors import filtered_persons, filtered_persons_count, person_for_user

PAGE_SIZE = 50


@permission_required("registry.view_person", raise_exception=True)
def person_list(request):
    queryset, form = filtered_persons(request)
    privacy = Privacy.for_user(request.user)
    total = filtered_persons_count(request.user, form, queryset)
    page = DeferredJoinPaginator(queryset, PAGE_SIZE, count=total).get_page(request.GET.get("page"))
    page.object_list = person_list_rows(page.object_list, privacy)
    params = request.GET.copy()
    params.pop("page", None)
    if "q" not in form.fields:
        params.pop("q", None)
    sort_params = params.copy()
    sort_params.pop("sort", None)
    context = {
        "form": form,
        "page": page,
        "privacy": privacy,
        "query": params.urlencode(),
        "sort_query": sort_params.urlencode(),
        "sort": request.GET.get("sort") or "area",
    }
    template = "registry/_person_table.html" if request.htmx else "registry/person_list.html"
    return render(request, template, context)


@permission_required("registry.view_person", raise_exception=True)
def person_detail(request, pk: int):
    person = person_for_user(request.user, pk)
    return _render_detail(request, person, revealed=False)


def _render_detail(request, person, *, revealed: bool):
    privacy = Privacy.for_user(request.user)
    history = []
    if privacy.personal:
        records = list(person.history.select_related("history_user").order_by("-history_date")[:50])
        for newer, older in zip(records, [*records[1:], None], strict=False):
            changes = []
            if older is not None:
                delta = newer.diff_against(older, excluded_fields=["flags"])
                changes = [Person._meta.get_field(c.field).verbose_name for c in delta.changes]
            history.append({"record": newer, "changes": changes})
    context = {
        "person": PersonView(person, privacy, revealed=revealed),
        "privacy": privacy,
        "events": person.events.select_related("created_by").order_by("-date", "-id"),
        "history": history,
        "event_form": PersonEventForm(),
        "revealed": revealed,
        # Every app's block (its declaration), rendered with its own context.
        "panels": [
            render_to_string(panel.template, panel.context(request, person), request=request)
            for panel in person_panels()
        ],
        "timeline": person_timeline(
            person, request.user, kind=request.GET.get("kind", ""), show_all=request.GET.get("timeline") == "all"
        ),
    }
    return render(request, "registry/person_detail.html", context)


@require_POST
@permission_required("registry.view_person", raise_exception=True)
def person_reveal(request, pk: int):
    person = person_for_user(request.user, pk)
    services.person_reveal(user=request.user, person=person)
    if request.htmx:
        privacy = Privacy.for_user(request.user)
        return render(
            request,
            "registry/_identifiers.html",
            {
                "person": PersonView(person, privacy, revealed=True),
                "privacy": privacy,
                "revealed": True,
            },
        )
    return _render_detail(request, person, revealed=True)


@permission_required("registry.add_person", raise_exception=True)
def person_create(request):
    form = PersonForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["birth_date"] = form.parsed_id.birth_date
        data["flags"] = form.id_warnings
        try:
            person = services.person_create(user=request.user, data=data)
        except PermissionDenied as exc:
            form.add_error("area", str(exc))
        else:
            messages.success(request, f"已登记 {person.name}")
            return redirect("registry:person_detail", pk=person.pk)
    return render(request, "registry/person_form.html", {"form": form, "creating": True})


@permission_required("registry.change_person", raise_exception=True)
def person_edit(request, pk: int):
    person = person_for_user(request.user, pk)
    form = PersonForm(request.POST or None, instance=person, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k in form.fields}
        data["birth_date"] = form.parsed_id.birth_date
        data["flags"] = form.id_warnings
        # The form edited `person` in place while validating; start the service from
        # the stored row.
        stored = person_for_user(request.user, pk)
        try:
            services.person_update(user=request.user, person=stored, data=data)
        except PermissionDenied as exc:
            form.add_error("area", str(exc))
        else:
            messages.success(request, "已保存修改")
            return redirect("registry:person_detail", pk=pk)
    return render(request, "registry/person_form.html", {"form": form, "person": person, "creating": False})


@require_POST
@permission_required("registry.add_personevent", raise_exception=True)
def person_event(request, pk: int):
    person = person_for_user(request.user, pk)
    form = PersonEventForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.person_event_record(
                user=request.user,
                person=person,
                kind=data["kind"],
                date=data["date"],
                value=data["value"],
                reason=data["reason"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, " ".join(exc.messages) if hasattr(exc, "messages") else str(exc))
        else:
            messages.success(request, "已登记状态变更")
            return redirect("registry:person_detail", pk=pk)
    privacy = Privacy.for_user(request.user)
    return render(
        request,
        "registry/person_event_form.html",
        {"form": form, "person": PersonView(person, privacy)},
        status=400,
    )
