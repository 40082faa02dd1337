"""The five ones (五个一): the year's page per town (and, for officers, per person), its
export, and a person's five-one recorded or voided from the person page."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from activities import selectors, services
from activities.exports import FiveOnesExporter
from activities.forms import FiveOneForm
from activities.models import FiveOne
from canlian.errors import error_text
from canlian.exporting import export_response
from registry.presenters import PersonView
from registry.scoping import Privacy
from registry.selectors import person_for_user

PAGE_SIZE = 50


@require_GET
@permission_required("activities.view_fiveonerecord", raise_exception=True)
def five_ones(request):
    """Per town: persons by how many of the five they did in the year, and each item's
    count; below, for a user with access to personal data, each person's five."""
    form, data = selectors.five_ones_filter(request)
    towns, total = selectors.five_ones_towns(request.user, data["year"])
    privacy = Privacy.for_user(request.user)
    context = {
        "form": form,
        "year": data["year"],
        "towns": towns,
        "total": total,
        "items": FiveOne.choices,
        "privacy": privacy,
    }
    if privacy.personal:
        page = Paginator(selectors.five_ones_persons(request.user, **data), PAGE_SIZE).get_page(request.GET.get("page"))
        rows = selectors.five_ones_rows(list(page.object_list), data["year"])
        params = request.GET.copy()
        params.pop("page", None)
        context.update(
            page=page,
            rows=[(row, PersonView(row.person, privacy)) for row in rows],
            query=params.urlencode(),
        )
    return render(request, "activities/five_ones.html", context)


@require_GET
@permission_required(["activities.export_fiveonerecords", "registry.view_personal_data"], raise_exception=True)
def five_ones_export(request):
    return export_response(request, FiveOnesExporter.for_request(request))


@require_POST
@permission_required("activities.add_fiveonerecord", raise_exception=True)
def five_one_create(request, pk: int):
    person = person_for_user(request.user, pk)
    form = FiveOneForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            record = services.five_one_record(
                user=request.user, person=person, item=data["item"], done_on=data["done_on"], note=data["note"]
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, f"已登记“{record.get_item_display()}”（{record.done_on:%Y-%m-%d}）")
            return redirect("registry:person_detail", pk=pk)
    context = {"person": PersonView(person, Privacy.for_user(request.user)), "form": form}
    return render(request, "activities/five_one_form.html", context, status=400)


@require_POST
@permission_required("activities.void_fiveonerecord", raise_exception=True)
def five_one_void(request, pk: int):
    record = get_object_or_404(selectors.five_ones_visible_to(request.user), pk=pk)
    try:
        services.five_one_void(user=request.user, record=record, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"未能作废：{error_text(exc)}")
    else:
        messages.success(request, f"已作废 {record.year} 年的“{record.get_item_display()}”")
    return redirect("registry:person_detail", pk=record.person_id)
