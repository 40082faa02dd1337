"""Home-service pages (上门服务): the list (filtered, exported), a request recorded for a
person, and its page, where it is assigned, marked done, given the person's feedback or
voided. Thin: parse, call, render; requests come only through `homeservices`' selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from canlian.errors import error_text
from canlian.exporting import export_response
from canlian.pagination import DeferredJoinPaginator
from outreach import homeservices as hs
from outreach import selectors
from outreach.exports import HomeServiceExporter
from outreach.views import PAGE_SIZE, form_act, person_rows, query_without_page
from registry.presenters import PersonView
from registry.scoping import Privacy, areas_visible_to
from registry.selectors import person_for_user

PERSONAL = "registry.view_personal_data"
LIST = ["outreach.view_homeservicerequest", PERSONAL]


@require_GET
@permission_required(LIST, raise_exception=True)
def service_list(request):
    today = timezone.localdate()
    rows, form = hs.filtered_requests(request.user, request.GET, today)
    page = DeferredJoinPaginator(rows.select_related("person", "assigned_to"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    open_rows = hs.requests_open(request.user)
    context = {
        "form": form,
        "page": page,
        "rows": person_rows(request, page.object_list),
        "query": query_without_page(request),
        "today": today,
        "open_count": open_rows.count(),
        "overdue_count": open_rows.filter(due_on__lt=today).count(),
    }
    template = "outreach/_service_table.html" if request.htmx else "outreach/service_list.html"
    return render(request, template, context)


@require_GET
@permission_required(["outreach.export_homeservicerequests", PERSONAL], raise_exception=True)
def service_export(request):
    today = timezone.localdate()
    rows, _form = hs.filtered_requests(request.user, request.GET, today)
    exporter = HomeServiceExporter(
        rows.select_related("person", "assigned_to"),
        privacy=Privacy.for_user(request.user),
        names=selectors.area_names(areas_visible_to(request.user)),
        filters=dict(request.GET.items()),
        today=today,
    )
    return export_response(request, exporter)


@require_http_methods(["GET", "POST"])
@permission_required("outreach.add_homeservicerequest", raise_exception=True)
def service_create(request, pk: int):
    person = person_for_user(request.user, pk)
    form = hs.RequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                made = hs.request_record(user=request.user, person=person, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(
                    request, f"已登记 {made.requested_on:%Y-%m-%d} 的上门服务（{made.get_kind_display()}）"
                )
                return redirect("outreach:service_detail", pk=made.pk)
    context = {"form": form, "person": PersonView(person, Privacy.for_user(request.user))}
    return render(request, "outreach/service_form.html", context, status=status)


@require_GET
@permission_required(LIST, raise_exception=True)
def service_detail(request, pk: int):
    item = hs.request_for_user(request.user, pk)
    user = request.user
    standing = item.voided_at is None
    may_change = standing and user.has_perm(hs.CHANGE)
    context = {
        "item": item,
        "person": PersonView(item.person, Privacy.for_user(user)),
        "overdue_days": item.overdue_days(timezone.localdate()),
        "assign_form": hs.AssignForm(user=user) if may_change and item.done_on is None else None,
        "done_form": hs.DoneForm() if may_change and item.done_on is None and item.is_assigned else None,
        "feedback_form": hs.FeedbackForm() if may_change and item.done_on and item.satisfied is None else None,
        "may_void": standing and user.has_perm("outreach.void_homeservicerequest"),
    }
    return render(request, "outreach/service_detail.html", context)


def _act(request, pk: int, form_class, action, done: str, **form_kwargs):
    item = hs.request_for_user(request.user, pk)
    form_act(request, form_class(request.POST, **form_kwargs), lambda data: action(item, data), done)
    return redirect("outreach:service_detail", pk=item.pk)


@require_POST
@permission_required(hs.CHANGE, raise_exception=True)
def service_assign(request, pk: int):
    def assign(item, data):
        hs.request_assign(user=request.user, request=item, **data)

    return _act(request, pk, hs.AssignForm, assign, "已派单", user=request.user)


@require_POST
@permission_required(hs.CHANGE, raise_exception=True)
def service_done(request, pk: int):
    def done(item, data):
        hs.request_done(user=request.user, request=item, **data)

    return _act(request, pk, hs.DoneForm, done, "已登记服务完成")


@require_POST
@permission_required(hs.CHANGE, raise_exception=True)
def service_feedback(request, pk: int):
    def feedback(item, data):
        hs.request_feedback(user=request.user, request=item, **data)

    return _act(request, pk, hs.FeedbackForm, feedback, "已登记服务对象的反馈")


@require_POST
@permission_required("outreach.void_homeservicerequest", raise_exception=True)
def service_void(request, pk: int):
    item = hs.request_for_user(request.user, pk)
    try:
        hs.request_void(user=request.user, request=item, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"未能作废：{error_text(exc)}")
    else:
        messages.success(request, "已作废该上门服务")
    return redirect("outreach:service_detail", pk=item.pk)
