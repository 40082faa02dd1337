"""Person pages. Thin: parse the request, call a selector or service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from canlian.declarations import person_panels
from canlian.errors import error_text
from canlian.pagination import DeferredJoinPaginator
from canlian.timeline import person_timeline
from registry import services
from registry.forms import PersonEventForm, PersonForm
from registry.forms_edit import PersonEditForm
from registry.forms_idcard import reader_context, reading_action, reading_step
from registry.identifiers import CONVERTED_NOTE
from registry.models import ChangeRequest, Person
from registry.presenters import PersonView, person_list_rows
from registry.scoping import Privacy
from registry.selectors import (
    COUNT_COLUMNS,
    filtered_persons,
    filtered_persons_count,
    person_counts_table,
    person_for_user,
)

PAGE_SIZE = 50


@permission_required("registry.view_person", raise_exception=True)
def person_list(request):
    queryset, form = filtered_persons(request)
    privacy = Privacy.for_user(request.user)
    if not privacy.personal:
        return _person_counts(request, form, privacy)
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


def _person_counts(request, form, privacy):
    """A leader's person list: counts per town or community, never a row per person."""
    by = request.GET.get("by")
    by = by if by in COUNT_COLUMNS else "category"
    params = request.GET.copy()
    for name in ("by", "page", "sort", "q"):
        params.pop(name, None)
    context = {
        "form": form,
        "privacy": privacy,
        "table": person_counts_table(request.user, form, by),
        "by": by,
        "by_choices": [(key, label) for key, (label, _) in COUNT_COLUMNS.items()],
        "query": params.urlencode(),
        "table_template": "registry/_person_counts.html",
    }
    template = "registry/_person_counts.html" if request.htmx else "registry/person_list.html"
    return render(request, template, context)


# A page about one person is a row per person: a user without access to personal data (a
# leader) gets 403, and sees the counts of the list instead.
@permission_required(["registry.view_person", "registry.view_personal_data"], raise_exception=True)
def person_detail(request, pk: int):
    person = person_for_user(request.user, pk)
    return _render_detail(request, person, revealed=False)


def _render_detail(request, person, *, revealed: bool, event_form: PersonEventForm | None = None):
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
        "event_form": event_form or PersonEventForm(person=person),
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
    # A refused status change comes back on the person's page, its form open with every error.
    status = 400 if event_form is not None and event_form.errors else 200
    return render(request, "registry/person_detail.html", context, status=status)


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
    if request.method == "POST" and reading_action(request.POST):
        initial, step = reading_step(form, request.POST)
        form = PersonForm(initial=initial, user=request.user)
        context = {"form": form, "creating": True, "reading": step, **reader_context()}
        return render(request, "registry/person_form.html", context, status=400 if step.error else 200)
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
            if form.parsed_id.converted_from:
                messages.info(request, CONVERTED_NOTE)
            return redirect("registry:person_detail", pk=person.pk)
    return render(request, "registry/person_form.html", {"form": form, "creating": True, **reader_context()})


@permission_required("registry.change_person", raise_exception=True)
def person_edit(request, pk: int):
    person = person_for_user(request.user, pk)
    # Editing a phone number needs it in full: for an officer who may reveal, opening the
    # form is a logged reveal; anyone else edits over masked values.
    full = Privacy.for_user(request.user).may_reveal
    if full and request.method == "GET":
        services.person_reveal(user=request.user, person=person, page="edit")
    form = PersonEditForm(request.POST or None, instance=person, user=request.user, masked=not full)
    if request.method == "POST" and reading_action(request.POST):
        initial, step = reading_step(form, request.POST)
        # A fresh form over the stored row: the bound one edited `person` while reading it.
        stored = person_for_user(request.user, pk)
        form = PersonEditForm(initial=initial, instance=stored, user=request.user, masked=not full)
        context = {"form": form, "person": stored, "creating": False, "revealed": full, "reading": step}
        return render(
            request, "registry/person_form.html", {**context, **reader_context()}, status=400 if step.error else 200
        )
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
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已保存修改")
            if form.parsed_id.converted_from:
                messages.info(request, CONVERTED_NOTE)
            return redirect("registry:person_detail", pk=pk)
    context = {
        "form": form,
        "person": person,
        "creating": False,
        "revealed": full,
        "by_request": _fields_by_request(PersonView(person, Privacy.for_user(request.user), revealed=full)),
        **reader_context(),
    }
    return render(request, "registry/person_form.html", context)


def _fields_by_request(view: PersonView) -> list[tuple[str, str, str]]:
    """(label, value shown, request kind) of the key fields the edit form shows read-only:
    they change by a change request (registry.changes), approved by the district."""
    area = view.area
    return [
        ("开户银行 / 账号", f"{view.bank_name or '—'} {view.bank_account}".strip(), ChangeRequest.Field.BANK),
        ("户籍村(居)", f"{area.parent.name if area.parent_id else ''} {area.name}".strip(), ChangeRequest.Field.AREA),
        ("监护人", f"{view.guardian_name or '—'} {view.guardian_phone}".strip(), ChangeRequest.Field.GUARDIAN),
        ("经济状况", view.get_economic_status_display(), ChangeRequest.Field.ECONOMIC),
    ]


@require_POST
@permission_required("registry.add_personevent", raise_exception=True)
def person_event(request, pk: int):
    person = person_for_user(request.user, pk)
    form = PersonEventForm(request.POST, person=person)
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
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, "已登记状态变更")
            return redirect("registry:person_detail", pk=pk)
    return _render_detail(request, person_for_user(request.user, pk), revealed=False, event_form=form)
