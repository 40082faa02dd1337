"""The living-alone watch pages: the list (last contact, next due, overdue; by town and
community, filtered, exported), a contact recorded for a watched person (or voided) and
the responsible worker named. Thin: parse, call, render."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from areas.models import Area
from canlian.errors import error_text
from canlian.exporting import export_response
from canlian.pagination import DeferredJoinPaginator
from outreach import selectors, watch
from outreach.exports import WatchExporter
from outreach.models import WatchContact
from outreach.views import PAGE_SIZE, form_errors, query_without_page
from registry.presenters import PersonView
from registry.scoping import Privacy, areas_visible_to
from registry.selectors import person_for_user

LIST = ["outreach.view_watchcontact", "registry.view_personal_data"]


@require_GET
@permission_required(LIST, raise_exception=True)
def watch_list(request):
    persons, form, rule = watch.filtered_watch(request)
    today = timezone.localdate()
    page = DeferredJoinPaginator(persons, PAGE_SIZE).get_page(request.GET.get("page"))
    privacy = Privacy.for_user(request.user)
    names = selectors.area_names(Area.objects.filter(code__in={p.area_id for p in page.object_list}))
    rows = [
        {
            "person": PersonView(p, privacy),
            "pk": p.pk,
            "state": watch.watch_state(p.last_contact, p.interval, today),
            "worker": watch.worker_name(p),
            "town": names.get(p.area_id, ("", ""))[0],
            "community": names.get(p.area_id, ("", p.area_id))[1],
        }
        for p in page.object_list
    ]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "rule": rule,
        "counts": watch.watch_counts(request.user),
        "query": query_without_page(request),
    }
    template = "outreach/_watch_table.html" if request.htmx else "outreach/watch_list.html"
    return render(request, template, context)


@require_GET
@permission_required(LIST, raise_exception=True)
def watch_export(request):
    persons, _form, _rule = watch.filtered_watch(request)
    exporter = WatchExporter(
        persons,
        privacy=Privacy.for_user(request.user),
        names=selectors.area_names(areas_visible_to(request.user)),
        filters=dict(request.GET.items()),
        today=timezone.localdate(),
    )
    return export_response(request, exporter)


@require_http_methods(["GET", "POST"])
@permission_required("outreach.add_watchcontact", raise_exception=True)
def contact_create(request, pk: int):
    person = person_for_user(request.user, pk)
    form = watch.ContactForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                contact = watch.contact_record(user=request.user, person=person, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, f"已登记 {contact.contacted_on:%Y-%m-%d} 的{contact.get_method_display()}")
                return redirect("registry:person_detail", pk=person.pk)
    context = {"form": form, "person": PersonView(person, Privacy.for_user(request.user))}
    return render(request, "outreach/contact_form.html", context, status=status)


@require_POST
@permission_required("outreach.change_watchassignment", raise_exception=True)
def watch_assign(request, pk: int):
    person = person_for_user(request.user, pk)
    form = watch.AssignForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            assignment = watch.watch_assign(user=request.user, person=person, worker=form.cleaned_data["worker"])
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, f"未能指定责任人：{error_text(exc)}")
        else:
            messages.success(request, f"已指定责任人：{assignment.worker.display_name}")
    else:
        messages.error(request, f"未能指定责任人：{form_errors(form)}")
    return redirect("registry:person_detail", pk=person.pk)


@require_POST
@permission_required("outreach.void_watchcontact", raise_exception=True)
def contact_void(request, pk: int):
    """Void a contact recorded by mistake (作废, with a reason): the person's last contact
    and next due are then those of the contacts still standing."""
    contact = get_object_or_404(WatchContact.objects.standing().visible_to(request.user), pk=pk)
    try:
        watch.contact_void(user=request.user, contact=contact, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"未能作废：{error_text(exc)}")
    else:
        messages.success(request, f"已作废 {contact.contacted_on:%Y-%m-%d} 的{contact.get_method_display()}记录")
    return redirect("registry:person_detail", pk=contact.person_id)
