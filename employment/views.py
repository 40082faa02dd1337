"""Employment pages: the network, the person page's forms, courses and enrolments, the
figures. Thin: parse the request, call a selector or a service, render. Persons come
through `person_for_user` and records through the selectors' `*_visible_to`: 404 outside
the user's scope, as for one that does not exist."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from canlian.errors import error_text
from canlian.exporting import export_response
from canlian.params import parse_int
from employment import selectors, services
from employment.exports import EnrolmentExporter
from employment.forms import AssessmentForm, AttendanceForm, CompletionForm, CourseForm, EnrolForm, StatusForm
from employment.models import Assessment, EmploymentEvent
from registry.identifiers import IdentifierError, normalize, parse_id_number
from registry.models import Person
from registry.presenters import PersonView
from registry.scoping import Privacy
from registry.selectors import person_for_user

PERSONAL = "registry.view_personal_data"


def form_errors(form) -> str:
    return "；".join(message for field_errors in form.errors.values() for message in field_errors)


def year_of(request) -> int:
    today = timezone.localdate()
    year = parse_int(request.GET.get("year"))
    return year if year and 2000 <= year <= today.year + 1 else today.year


def _to_person(person) -> object:
    return redirect("registry:person_detail", pk=person.pk)


# The network and the figures ----------------------------------------------------------


@require_GET
@permission_required("employment.view_servicepoint", raise_exception=True)
def network(request):
    context = selectors.network()
    counts = selectors.point_counts()
    for point in (*context["hubs"], *context["platforms"], *context["points"]):
        point.records = counts.get(point.pk, 0)
    return render(request, "employment/network.html", context)


def _month_of(request) -> datetime.date:
    today = timezone.localdate()
    raw = request.GET.get("month", "")
    try:
        month = datetime.datetime.strptime(raw, "%Y-%m").date()
    except ValueError:
        return today.replace(day=1)
    return month if datetime.date(2000, 1, 1) <= month <= today else today.replace(day=1)


@require_GET
@permission_required("employment.view_figures", raise_exception=True)
def figures(request):
    year = year_of(request)
    month = _month_of(request)
    towns, total, day = selectors.employed_share(request.user, month)
    context = {
        "year": year,
        "years": selectors.record_years(),
        "figures": selectors.figures(request.user, year),
        "month": month,
        "month_value": f"{month:%Y-%m}",
        "max_month": f"{timezone.localdate():%Y-%m}",
        "towns": towns,
        "total": total,
        "share_day": day,
        "statuses": selectors.status_counts(request.user, day + datetime.timedelta(days=1)),
    }
    return render(request, "employment/figures.html", context)


# The person page's forms --------------------------------------------------------------


@require_POST
@permission_required("employment.add_employmentevent", raise_exception=True)
def status_add(request, pk: int):
    person = person_for_user(request.user, pk)
    form = StatusForm(request.POST, prefix="status")
    if not form.is_valid():
        messages.error(request, f"未能登记就业状态：{form_errors(form)}")
        return _to_person(person)
    try:
        event = services.status_record(user=request.user, person=person, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"未能登记就业状态：{error_text(exc)}")
    else:
        messages.success(request, f"已登记就业状态：自 {event.changed_on:%Y-%m-%d} 起{event.get_status_display()}")
    return _to_person(person)


@require_POST
@permission_required("employment.add_assessment", raise_exception=True)
def assessment_add(request, pk: int):
    person = person_for_user(request.user, pk)
    form = AssessmentForm(request.POST, prefix="assessment")
    if not form.is_valid():
        messages.error(request, f"未能登记职业能力评估：{form_errors(form)}")
        return _to_person(person)
    try:
        record = services.assessment_record(user=request.user, person=person, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"未能登记职业能力评估：{error_text(exc)}")
    else:
        messages.success(request, f"已登记职业能力评估：{record.get_result_display()}，建议{record.get_path_display()}")
    return _to_person(person)


def _void(request, queryset, pk: int, what: str):
    record = get_object_or_404(queryset, pk=pk)
    try:
        services.record_discard(user=request.user, record=record, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"未能作废：{error_text(exc)}")
    else:
        messages.success(request, f"已作废一条{what}")
    return record


@require_POST
@permission_required("employment.void_employmentevent", raise_exception=True)
def status_void(request, pk: int):
    record = _void(request, EmploymentEvent.objects.standing().visible_to(request.user), pk, "就业状态登记")
    return redirect("registry:person_detail", pk=record.person_id)


@require_POST
@permission_required("employment.void_assessment", raise_exception=True)
def assessment_void(request, pk: int):
    record = _void(request, Assessment.objects.standing().visible_to(request.user), pk, "职业能力评估")
    return redirect("registry:person_detail", pk=record.person_id)


# Courses and enrolments ---------------------------------------------------------------


@require_GET
@permission_required("employment.view_course", raise_exception=True)
def course_list(request):
    year = year_of(request)
    context = {"year": year, "years": selectors.record_years(), "courses": selectors.courses(year)}
    return render(request, "employment/course_list.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("employment.add_course", raise_exception=True)
def course_create(request):
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(user=request.user, **form.service_fields())
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, f"已登记培训课程“{course.name}”，课程编号 {course.code}")
            return redirect("employment:course_detail", pk=course.pk)
    status = 400 if form.errors else 200
    return render(request, "employment/course_form.html", {"form": form}, status=status)


def _course_page(request, course, *, enrol_form=None, status=200):
    user = request.user
    privacy = Privacy.for_user(user)
    names = privacy.personal and user.has_perm("employment.view_courseenrolment")
    enrolled = selectors.course_enrolments(user, course) if names else None
    context = {
        "course": course,
        "rows": [(e, PersonView(e.person, privacy)) for e in enrolled.rows] if enrolled else [],
        "hidden": enrolled.hidden if enrolled else [],
        "names": names,
        "enrol_form": enrol_form or (EnrolForm(initial={"enrolled_on": timezone.localdate()})),
        "may_enrol": user.has_perm("employment.add_courseenrolment"),
        "may_change": user.has_perm("employment.change_courseenrolment"),
        "may_void": user.has_perm("employment.void_courseenrolment"),
        "today": timezone.localdate(),
    }
    return render(request, "employment/course_detail.html", context, status=status)


@require_GET
@permission_required("employment.view_course", raise_exception=True)
def course_detail(request, pk: int):
    return _course_page(request, selectors.course_for_user(request.user, pk))


def person_by_id_number(user, text: str) -> Person:
    """The person of the user's scope with this ID number; an unknown or out-of-scope one
    is the same answer."""
    number = parse_id_number(normalize(text)).number
    person = Person.objects.visible_to(user).filter(id_number=number).first()
    if person is None:
        raise ValidationError("在您的管辖范围内没有该公民身份号码的持证人员")
    return person


@require_POST
@permission_required("employment.add_courseenrolment", raise_exception=True)
def enrol(request, pk: int):
    course = selectors.course_for_user(request.user, pk)
    form = EnrolForm(request.POST)
    if not form.is_valid():
        return _course_page(request, course, enrol_form=form, status=400)
    try:
        person = person_by_id_number(request.user, form.cleaned_data["query"])
        enrolment = services.enrol(
            user=request.user, course=course, person=person, enrolled_on=form.cleaned_data["enrolled_on"]
        )
    except (ValidationError, PermissionDenied, IdentifierError) as exc:
        form.add_error(None, error_text(exc))
        return _course_page(request, course, enrol_form=form, status=400)
    messages.success(request, f"已为{enrolment.person.name}报名“{course.name}”")
    return redirect("employment:course_detail", pk=course.pk)


def _enrolment(request, pk: int):
    return get_object_or_404(selectors.enrolments_visible_to(request.user).select_related("course", "person"), pk=pk)


@require_POST
@permission_required("employment.change_courseenrolment", raise_exception=True)
def enrolment_attendance(request, pk: int):
    enrolment = _enrolment(request, pk)
    form = AttendanceForm(request.POST, prefix=f"att-{pk}")
    try:
        if not form.is_valid():
            raise ValidationError(form_errors(form))
        services.attendance_record(user=request.user, enrolment=enrolment, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"未能登记出勤：{error_text(exc)}")
    else:
        messages.success(request, f"已登记{enrolment.person.name}的出勤天数：{form.cleaned_data['attended_days']} 天")
    return redirect("employment:course_detail", pk=enrolment.course_id)


@require_POST
@permission_required("employment.change_courseenrolment", raise_exception=True)
def enrolment_complete(request, pk: int):
    enrolment = _enrolment(request, pk)
    form = CompletionForm(request.POST, prefix=f"done-{pk}")
    try:
        if not form.is_valid():
            raise ValidationError(form_errors(form))
        services.enrolment_complete(user=request.user, enrolment=enrolment, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"未能登记结业：{error_text(exc)}")
    else:
        messages.success(request, f"已登记{enrolment.person.name}结业")
    return redirect("employment:course_detail", pk=enrolment.course_id)


@require_POST
@permission_required("employment.void_courseenrolment", raise_exception=True)
def enrolment_void(request, pk: int):
    record = _void(request, selectors.enrolments_visible_to(request.user), pk, "培训报名")
    return redirect("employment:course_detail", pk=record.course_id)


@require_GET
@permission_required(
    ["employment.export_courseenrolments", PERSONAL, "employment.view_courseenrolment"], raise_exception=True
)
def enrolment_export(request, pk: int):
    course = selectors.course_for_user(request.user, pk)
    rows = selectors.course_enrolments(request.user, course).rows
    return export_response(request, EnrolmentExporter(course, rows, privacy=Privacy.for_user(request.user)))
