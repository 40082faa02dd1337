"""Change request pages (变更申请): ask, list, read (with the evidence), decide. Thin:
parse, call `registry.changes` or a selector, render."""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from canlian.errors import error_text
from registry import changes
from registry.forms_changes import ChangeDecisionForm, ChangeListForm, ChangeRequestForm
from registry.models import ChangeRequest
from registry.presenters import PersonView
from registry.scoping import Privacy
from registry.selectors import change_request_for_user, change_requests_for, person_for_user
from registry.services import person_reveal

# Every page shows a person's name: a leader (no personal data) gets 403.
VIEW = ["registry.view_changerequest", "registry.view_personal_data"]


@permission_required([*VIEW, "registry.add_changerequest"], raise_exception=True)
def change_request_create(request, pk: int, field: str):
    person = person_for_user(request.user, pk)
    if field not in ChangeRequest.Field.values:
        raise Http404
    form = ChangeRequestForm(request.POST or None, request.FILES or None, field=field, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            made = changes.change_request_create(
                user=request.user,
                person=person,
                field=field,
                values=form.values(),
                reason=form.cleaned_data["reason"],
                evidence=form.cleaned_data["evidence"],
                effective_on=form.cleaned_data.get("effective_on"),
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, f"已提交{made.get_field_display()}变更申请，待区残联审核；审核通过前仍按原值执行")
            return redirect("registry:change_request_detail", pk=made.pk)
    privacy = Privacy.for_user(request.user)
    context = {
        "form": form,
        "person": PersonView(person, privacy),
        "field_label": ChangeRequest.Field(field).label,
        "current": _current_rows(person, field),
    }
    return render(request, "registry/change_request_form.html", context, status=400 if form.errors else 200)


def _current_rows(person, field: str) -> list[tuple[str, str]]:
    pending = ChangeRequest(person=person, field=field, old_value=changes.current_values(person, field))
    return [(label, old) for label, old, _new in changes.value_rows(pending, revealed=False)]


@permission_required(VIEW, raise_exception=True)
def change_request_list(request):
    form = ChangeListForm(request.GET or None)
    rows = change_requests_for(request.user)
    may_decide = request.user.has_perm("registry.decide_changerequest")
    # The reviewer's list opens on what waits for them; an officer's on everything of their town.
    state = request.GET.get("state", ChangeRequest.State.PENDING if may_decide else "")
    if form.is_valid() and form.cleaned_data["field"]:
        rows = rows.filter(field=form.cleaned_data["field"])
    if state in ChangeRequest.State.values:
        rows = rows.filter(state=state)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    privacy = Privacy.for_user(request.user)
    items = [(item, PersonView(item.person, privacy)) for item in page.object_list]
    params = request.GET.copy()
    params.pop("page", None)
    context = {"form": form, "page": page, "items": items, "state": state, "query": params.urlencode()}
    return render(request, "registry/change_request_list.html", context)


@permission_required(VIEW, raise_exception=True)
def change_request_detail(request, pk: int):
    return _render_detail(request, change_request_for_user(request.user, pk), revealed=False)


def _render_detail(request, item: ChangeRequest, *, revealed: bool, form=None, status: int = 200):
    privacy = Privacy.for_user(request.user)
    user = request.user
    context = {
        "item": item,
        "person": PersonView(item.person, privacy, revealed=revealed),
        "privacy": privacy,
        "revealed": revealed and privacy.may_reveal,
        "values": changes.value_rows(item, revealed=revealed and privacy.may_reveal),
        "may_decide": (
            item.state == ChangeRequest.State.PENDING
            and user.has_perm("registry.decide_changerequest")
            and item.requested_by_id != user.pk
        ),
        "own_request": item.requested_by_id == user.pk,
        "form": form or ChangeDecisionForm(),
        "evidence_label": _evidence_label(item),
    }
    return render(request, "registry/change_request_detail.html", context, status=status)


# The kind of an evidence file as users name it (the page shows no bare extension).
_KIND_LABEL = {".pdf": "PDF", ".jpg": "JPG", ".jpeg": "JPG", ".png": "PNG", ".xlsx": "Excel"}


def _evidence_label(item: ChangeRequest) -> str:
    kind = _KIND_LABEL.get(Path(item.evidence.name).suffix.lower(), "")
    return f"{Path(item.evidence_name).stem}（{kind}）"


@require_POST
@permission_required([*VIEW, "registry.reveal_identifiers"], raise_exception=True)
def change_request_reveal(request, pk: int):
    item = change_request_for_user(request.user, pk)
    person_reveal(user=request.user, person=item.person, page="change_request", request=item.pk)
    return _render_detail(request, item, revealed=True)


@permission_required(VIEW, raise_exception=True)
def change_request_evidence(request, pk: int):
    item = change_request_for_user(request.user, pk)
    try:
        handle = item.evidence.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    suffix = Path(item.evidence.name).suffix.lower()
    name = Path(item.evidence_name).stem.replace("/", "-").replace("\\", "-") or "证明材料"
    return FileResponse(handle, as_attachment=True, filename=f"{name}{suffix}")


@require_POST
@permission_required([*VIEW, "registry.decide_changerequest"], raise_exception=True)
def change_request_decide(request, pk: int):
    item = change_request_for_user(request.user, pk)
    form = ChangeDecisionForm(request.POST)
    if form.is_valid():
        try:
            decided = changes.change_request_decide(
                user=request.user,
                request=item,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            done = "已批准，变更已生效" if decided.state == ChangeRequest.State.APPROVED else "已不予批准"
            messages.success(request, f"{decided.get_field_display()}变更申请{done}")
            return redirect("registry:change_request_detail", pk=pk)
    return _render_detail(request, change_request_for_user(request.user, pk), revealed=False, form=form, status=400)
