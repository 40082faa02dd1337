"""Daily attendance: the day's page (every member, present or absent, one save for the
whole day), the month's sheet and its workbook."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from canlian.errors import error_text
from canlian.exporting import export_response
from canlian.params import parse_int
from care import selectors
from care.exports import AttendanceSheetExporter, cell, rate_text
from care.forms import parse_day, parse_month
from care.services.attendance import Mark, attendance_save, day_refusal
from registry.scoping import Privacy

PRESENT, ABSENT = "1", "0"


def _institution(request, pk: int):
    return get_object_or_404(selectors.institutions_visible_to(request.user).select_related("area"), pk=pk)


@require_GET
@permission_required("care.add_attendance", raise_exception=True)
def attendance_start(request):
    """每日考勤: the day-care institutions of the user, with how much of today is taken."""
    today = timezone.localdate()
    institutions = [i for i in selectors.institutions_visible_to(request.user).order_by("code") if i.is_day_care]
    rows = [
        {
            "institution": i,
            "open": i.is_open_on(today),
            "members": selectors.member_count(i, today),
            "taken": selectors.marks_on(i, today).count(),
        }
        for i in institutions
    ]
    return render(request, "care/attendance_start.html", {"rows": rows, "today": today})


def _posted_marks(request) -> tuple[dict[int, Mark], dict[int, tuple[str, str]]]:
    """The day's marks of the form (person id -> Mark), and what was posted for each, to
    show the form again as it was sent."""
    marks, posted = {}, {}
    for raw in request.POST.getlist("person"):
        pk = parse_int(raw)
        if pk is None:
            raise ValidationError("考勤表内容有误，请刷新页面后重新登记")
        value, reason = request.POST.get(f"mark-{pk}", ""), request.POST.get(f"reason-{pk}", "")
        posted[pk] = (value, reason)
        if value not in (PRESENT, ABSENT):
            raise ValidationError("请为每位会员选择“出勤”或“缺勤”")
        marks[pk] = Mark(value == PRESENT, reason)
    return marks, posted


@require_http_methods(["GET", "POST"])
@permission_required("care.view_attendance", raise_exception=True)
def attendance_day(request, pk: int):
    institution = _institution(request, pk)
    today = timezone.localdate()
    day = parse_day(request.POST.get("day") if request.method == "POST" else request.GET.get("day"), today)
    if day is None:
        raise Http404("日期格式不正确")
    error, posted, status = "", {}, 200
    if request.method == "POST":
        if not request.user.has_perm("care.add_attendance"):
            raise PermissionDenied("您没有登记考勤的权限")
        try:
            marks, posted = _posted_marks(request)
            saved = attendance_save(user=request.user, institution=institution, day=day, marks=marks)
        except (ValidationError, PermissionDenied) as exc:
            error, status = error_text(exc), 400
        else:
            messages.success(request, f"已保存 {day:%Y-%m-%d} 的考勤：{saved.summary}")
            return redirect(f"{reverse('care:attendance_day', args=[institution.pk])}?day={day:%Y-%m-%d}")
    privacy = Privacy.for_user(request.user)
    rows = selectors.day_sheet(request.user, institution, day, privacy)
    taken = any(row.mark(day) for row in rows)
    lines = []
    for row in rows:
        mark = row.mark(day)
        pk_ = row.enrolment.person_id
        if pk_ in posted:
            value, reason = posted[pk_]
        elif mark is not None:
            value, reason = (PRESENT if mark.present else ABSENT), mark.absence_reason
        else:
            value, reason = PRESENT, ""  # a new day starts all present: staff mark the absent
        lines.append({"row": row, "value": value, "reason": reason, "mark": mark})
    context = {
        "institution": institution,
        "day": day,
        "today": today,
        "previous": day - datetime.timedelta(days=1),
        "next": day + datetime.timedelta(days=1) if day < today else None,
        "closed": day_refusal(institution, day),
        "lines": lines,
        "taken": taken,
        "error": error,
        "may_save": request.user.has_perm("care.add_attendance")
        and (not taken or request.user.has_perm("care.change_attendance")),
        "changes": selectors.day_changes(institution, day, [r.enrolment.person_id for r in rows]),
    }
    return render(request, "care/attendance_day.html", context, status=status)


def _month_sheet(request, pk: int):
    institution = _institution(request, pk)
    month = parse_month(request.GET.get("month"), timezone.localdate())
    if month is None:
        raise Http404("月份格式不正确")
    return selectors.month_sheet(request.user, institution, month, Privacy.for_user(request.user))


@require_GET
@permission_required(["care.view_attendance", "registry.view_personal_data"], raise_exception=True)
def attendance_month(request, pk: int):
    sheet = _month_sheet(request, pk)
    rows = []
    for row in sheet.rows:
        present, member_days = sheet.present_days(row), sheet.member_days(row)
        rows.append(
            {
                "row": row,
                "cells": [cell(sheet, row, day) for day in sheet.days],
                "present": present,
                "absent": sheet.absent_days(row),
                "member_days": member_days,
                "rate": rate_text(present, member_days),
            }
        )
    present = sum(r["present"] for r in rows)
    member_days = sum(r["member_days"] for r in rows)
    context = {
        "sheet": sheet,
        "institution": sheet.institution,
        "rows": rows,
        "days": [{"day": d, "open": sheet.is_open(d)} for d in sheet.days],
        "present": present,
        "member_days": member_days,
        "rate": rate_text(present, member_days),
        "previous": (sheet.month - datetime.timedelta(days=1)).replace(day=1),
        "next": sheet.days[-1] + datetime.timedelta(days=1) if sheet.days[-1] < timezone.localdate() else None,
    }
    return render(request, "care/attendance_month.html", context)


@require_GET
@permission_required(["care.export_attendance", "registry.view_personal_data"], raise_exception=True)
def attendance_export(request, pk: int):
    return export_response(request, AttendanceSheetExporter(_month_sheet(request, pk)))
