"""Activity pages: the list, an activity with its participants, the forms, the figures.
Thin: parse the request, call a selector or service, render. Activities are fetched through
`activity_for_user`, persons through the registry's scope, records through the selectors'
`*_visible_to` (404 outside the user's scope, as for one that does not exist)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from activities import selectors, services
from activities.exports import ActivityExporter, ParticipantExporter
from activities.forms import ActivityForm, ParticipantForm
from canlian.errors import error_text
from canlian.exporting import export_response
from registry.identifiers import IdentifierError, normalize
from registry.models import Person
from registry.presenters import PersonView
from registry.scoping import Privacy

PAGE_SIZE = 50


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@require_GET
@permission_required("activities.view_activity", raise_exception=True)
def activity_list(request):
    activities, form = selectors.filtered_activities(request)
    page = Paginator(selectors.with_counts(activities), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": _query_without_page(request)}
    template = "activities/_activity_table.html" if request.htmx else "activities/activity_list.html"
    return render(request, template, context)


@require_GET
@permission_required("activities.export_activities", raise_exception=True)
def activity_export(request):
    return export_response(request, ActivityExporter.for_request(request))


@require_http_methods(["GET", "POST"])
@permission_required("activities.add_activity", raise_exception=True)
def activity_create(request):
    form = ActivityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(user=request.user, **form.service_fields())
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, f"已登记活动“{activity.name}”，活动编号 {activity.code}")
            return redirect("activities:activity_detail", pk=activity.pk)
    status = 400 if form.errors else 200
    return render(request, "activities/activity_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@permission_required("activities.change_activity", raise_exception=True)
def activity_edit(request, pk: int):
    activity = selectors.activity_for_user(request.user, pk)
    initial = ActivityForm.initial_of(activity)
    form = ActivityForm(request.POST or None, user=request.user, initial=initial, activity=activity)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(user=request.user, activity=activity, **form.service_fields())
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, f"已保存活动“{form.cleaned_data['name']}”")
            return redirect("activities:activity_detail", pk=activity.pk)
    status = 400 if form.errors else 200
    return render(request, "activities/activity_form.html", {"form": form, "activity": activity}, status=status)


def _detail(request, activity, *, form=None, candidates=None, status=200):
    user = request.user
    privacy = Privacy.for_user(user)
    names = privacy.personal and user.has_perm("activities.view_participation")
    participants = selectors.activity_participants(user, activity, names=names)
    may_add = user.has_perm("activities.add_participation")
    may_void = user.has_perm("activities.void_participation")
    context = {
        "activity": activity,
        "participants": participants,
        "rows": [(p, PersonView(p.person, privacy)) for p in participants.rows],
        "candidates": [PersonView(p, privacy) for p in candidates or []],
        "form": form or (ParticipantForm(activity=activity) if may_add else None),
        "may_void": may_void,
        "may_edit": user.has_perm("activities.change_activity") and services.may_change(user, activity),
        "privacy": privacy,
        # The centre's page, for a user who may open it (not a district centre for a town).
        "centre_page": selectors.centre_page_visible(user, activity),
    }
    return render(request, "activities/activity_detail.html", context, status=status)


@require_GET
@permission_required("activities.view_activity", raise_exception=True)
def activity_detail(request, pk: int):
    return _detail(request, selectors.activity_for_user(request.user, pk))


def _person_of(request, data) -> tuple[Person | None, list[Person]]:
    """The person a participant form names: a chosen match (`person`), or an ID number; a
    name gives the matches of the user's scope to choose from."""
    visible = Person.objects.visible_to(request.user)
    if data.get("person"):
        return get_object_or_404(visible, pk=data["person"]), []
    query = normalize(data["query"])
    if query[:1].isdigit() and len(query) >= 15:
        return selectors.person_by_id_number(request.user, query), []
    matches = selectors.person_search(request.user, data["query"])
    if not matches:
        raise ValidationError(f"在您的管辖范围内没有找到“{data['query'].strip()}”")
    return None, matches


@require_POST
@permission_required("activities.add_participation", raise_exception=True)
def participant_add(request, pk: int):
    activity = selectors.activity_for_user(request.user, pk)
    form = ParticipantForm(request.POST, activity=activity)
    if not form.is_valid():
        return _detail(request, activity, form=form, status=400)
    data = form.cleaned_data
    try:
        person, matches = _person_of(request, data)
        if person is None:
            return _detail(request, activity, form=form, candidates=matches)
        participation = services.participation_add(
            user=request.user, activity=activity, person=person, attended_on=data["attended_on"], note=data["note"]
        )
    except (ValidationError, PermissionDenied, IdentifierError) as exc:
        form.add_error(None, error_text(exc))
        return _detail(request, activity, form=form, status=400)
    messages.success(request, f"已添加参加人员：{participation.person.name}")
    return redirect("activities:activity_detail", pk=activity.pk)


@require_GET
@permission_required(
    ["activities.export_participations", "registry.view_personal_data", "activities.view_participation"],
    raise_exception=True,
)
def participant_export(request, pk: int):
    activity = selectors.activity_for_user(request.user, pk)
    participants = selectors.activity_participants(request.user, activity, names=True)
    return export_response(
        request, ParticipantExporter(activity, participants.rows, privacy=Privacy.for_user(request.user))
    )


@require_POST
@permission_required("activities.void_participation", raise_exception=True)
def participation_void(request, pk: int):
    """Void a participation of a person in the user's scope (404 outside it)."""
    record = get_object_or_404(selectors.participations_visible_to(request.user).select_related("activity"), pk=pk)
    try:
        services.participation_void(user=request.user, record=record, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"未能作废：{error_text(exc)}")
    else:
        messages.success(request, f"已作废“{record.activity.name}”的一条参加记录")
    if request.POST.get("back") == "person":
        return redirect("registry:person_detail", pk=record.person_id)
    return redirect("activities:activity_detail", pk=record.activity_id)


@require_GET
@permission_required("activities.view_activity", raise_exception=True)
def figures(request):
    year = selectors.year_of(request)
    organisers, organisers_total = selectors.organiser_figures(request.user, year)
    towns, towns_total = selectors.town_participation(request.user, year)
    context = {
        "year": year,
        "years": selectors.years(),
        "organisers": organisers,
        "organisers_total": organisers_total,
        "towns": towns,
        "towns_total": towns_total,
    }
    return render(request, "activities/figures.html", context)
