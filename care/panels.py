"""The care block of a person's page and the person's care entries on the timeline."""

import datetime

from django.db.models import Count, Max, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from canlian.declarations import TimelineEntry
from canlian.scoping import in_scope, user_area_prefix
from care.forms import EnrolForm
from care.models import Attendance, LeaveReason, WaitingEntry
from care.selectors import person_enrolments


def _whole_history(user, person) -> bool:
    """An officer whose area holds the person reads all of the person's care rows; others
    (centre staff) those their scope grants."""
    prefix = user_area_prefix(user)
    return prefix is not None and person.area_id.startswith(prefix)


def _visible(queryset, user, person):
    return queryset if _whole_history(user, person) else queryset.visible_to(user)


def attendance_months(user, person, *, since: datetime.date | None = None) -> list[dict]:
    """The person's attendance per institution and month (one grouped query), newest first."""
    rows = _visible(Attendance.objects.filter(person=person), user, person)
    if since is not None:
        rows = rows.filter(day__gte=since)
    return list(
        rows.annotate(month=TruncMonth("day"))
        .values("month", "institution__name")
        .annotate(
            attended=Count("pk", filter=Q(present=True)),
            missed=Count("pk", filter=Q(present=False)),
            last=Max("day"),
        )
        .order_by("-month", "institution__name")
    )


def person_care(request, person) -> dict:
    """The person page's care block (`care/_person_care.html`): memberships, the waiting
    list, the last months' attendance and, for an officer, the enrolment form."""
    user = request.user
    if not user.has_perm("care.view_enrolment"):
        return {"show": False}
    enrolments = person_enrolments(user, person)
    waiting = _visible(WaitingEntry.objects.filter(person=person), user, person).select_related("institution")
    may_void = user.has_perm("care.void_enrolment")
    today = timezone.localdate()
    months = []
    if user.has_perm("care.view_attendance"):
        months = attendance_months(
            user, person, since=(today.replace(day=1) - datetime.timedelta(days=62)).replace(day=1)
        )
    return {
        "show": True,
        "person": person,
        "enrolments": enrolments,
        "voidable": {e.pk for e in enrolments if may_void and in_scope(user, e)},
        "waiting": list(waiting.order_by("-id")),
        "months": months,
        "enrol_form": EnrolForm(user=user) if user.has_perm("care.add_enrolment") else None,
    }


def timeline(person, user):
    """Enrolments (joining and leaving), waiting-list entries and a line per month of
    attendance, in three queries."""
    if not user.has_perm("care.view_enrolment"):
        return
    for e in person_enrolments(user, person):
        detail = f"破格入托：{e.override_reason}" if e.override_reason else ""
        yield TimelineEntry(e.started_on, "care_enrolment", "托养服务", f"入托：{e.institution.name}", detail)
        if e.ended_on:
            reason = "，".join(
                p for p in (LeaveReason(e.leave_reason).label if e.leave_reason else "", e.leave_note) if p
            )
            yield TimelineEntry(e.ended_on, "care_enrolment", "托养服务", f"离开：{e.institution.name}", reason)
    for w in _visible(WaitingEntry.objects.filter(person=person), user, person).select_related("institution"):
        yield TimelineEntry(
            w.applied_on, "care_enrolment", "托养服务", f"申请入托（轮候）：{w.institution.name}", w.get_state_display()
        )
    if not user.has_perm("care.view_attendance"):
        return
    for m in attendance_months(user, person):
        title = f"{m['month'].year}年{m['month'].month}月考勤：{m['institution__name']}"
        yield TimelineEntry(
            m["last"], "care_attendance", "考勤", title, f"出勤 {m['attended']} 天，缺勤 {m['missed']} 天"
        )
