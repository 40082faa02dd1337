"""Rehabilitation pages. Thin: parse the request, call a selector or service, render.
Persons are fetched through `person_for_user` (404 outside the user's scope), records
through `records_visible_to`."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from areas.models import Area
from canlian.errors import error_text
from canlian.exporting import export_response
from canlian.pagination import DeferredJoinPaginator
from canlian.params import int_param
from registry.presenters import PersonView
from registry.scoping import Privacy
from registry.selectors import person_for_user
from rehab import selectors, services
from rehab.exports import RecordExporter
from rehab.forms import NeedAssessmentForm, ServiceRecordForm

PAGE_SIZE = 50
FIRST_YEAR = 2016  # the two subsidies and the seed's services: nothing in the system is older


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@require_GET
# A row per person-time: not for a user without access to personal data (a leader), who
# reads the figures.
@permission_required(["rehab.view_servicerecord", "registry.view_personal_data"], raise_exception=True)
def record_list(request):
    records, form = selectors.filtered_records(request)
    privacy = Privacy.for_user(request.user)
    page = DeferredJoinPaginator(selectors.with_display(records), PAGE_SIZE).get_page(request.GET.get("page"))
    codes = {record.area_code for record in page.object_list}
    names = selectors.area_names(Area.objects.filter(code__in=codes))
    rows = [
        {
            "record": record,
            "person": PersonView(record.person, privacy),
            "town": names.get(record.area_code, ("", ""))[0],
            "community": names.get(record.area_code, ("", record.area_code))[1],
        }
        for record in page.object_list
    ]
    context = {"form": form, "page": page, "rows": rows, "privacy": privacy, "query": _query_without_page(request)}
    template = "rehab/_record_table.html" if request.htmx else "rehab/record_list.html"
    return render(request, template, context)


@require_GET
@permission_required(["rehab.export_servicerecords", "registry.view_personal_data"], raise_exception=True)
def record_export(request):
    """The current filtered list as a workbook; logged like the person export."""
    return export_response(request, RecordExporter.for_request(request))


@require_GET
@permission_required("rehab.view_servicerecord", raise_exception=True)
def figures(request):
    """The year's figures per town of the user's scope, and the indicator against its target."""
    this_year = datetime.date.today().year
    year = int_param(request, "year") or this_year
    year = min(max(year, FIRST_YEAR), this_year)
    rows, total = selectors.town_figures(request.user, year)
    context = {
        "year": year,
        "years": list(range(this_year, FIRST_YEAR - 1, -1)),
        "rows": rows,
        "total": total,
        "coverage_target": selectors.COVERAGE_TARGET_PERCENT,
        "person_times_target": selectors.PERSON_TIMES_TARGET,
    }
    return render(request, "rehab/figures.html", context)


@require_POST
@permission_required("rehab.add_servicerecord", raise_exception=True)
def record_create(request, pk: int):
    person = person_for_user(request.user, pk)
    form = ServiceRecordForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            record = services.service_record(
                user=request.user,
                person=person,
                item=data["item"],
                provider=data["provider"],
                served_on=data["served_on"],
                sessions=data["sessions"],
                note=data["note"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, f"已登记康复服务：{record.item.name}（{record.served_on:%Y-%m-%d}）")
            return redirect("registry:person_detail", pk=pk)
    return _form_page(request, person, record_form=form)


@require_POST
@permission_required("rehab.void_servicerecord", raise_exception=True)
def record_void(request, pk: int):
    """Void a record of the user's scope (404 outside it), from the person page."""
    record = get_object_or_404(selectors.records_visible_to(request.user).select_related("item"), pk=pk)
    try:
        services.service_record_void(user=request.user, record=record, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"未能作废：{error_text(exc)}")
    else:
        messages.success(request, f"已作废 {record.served_on:%Y-%m-%d} 的“{record.item.name}”记录")
    return redirect("registry:person_detail", pk=record.person_id)


@require_POST
@permission_required("rehab.add_needassessment", raise_exception=True)
def assessment_save(request, pk: int):
    person = person_for_user(request.user, pk)
    form = NeedAssessmentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            assessment, created = services.need_assess(
                user=request.user,
                person=person,
                year=data["assessed_on"].year,
                has_need=data["has_need"],
                kinds=data["kinds"],
                assessed_on=data["assessed_on"],
                note=data["note"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            done = "已登记" if created else "已更新"
            messages.success(request, f"{done} {assessment.year} 年康复需求评估")
            return redirect("registry:person_detail", pk=pk)
    return _form_page(request, person, assessment_form=form)


def _form_page(request, person, **forms):
    """A refused form on a page of its own, with the reasons, for the officer to correct."""
    privacy = Privacy.for_user(request.user)
    context = {"person": PersonView(person, privacy), **forms}
    return render(request, "rehab/person_form.html", context, status=400)
