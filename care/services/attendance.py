"""Daily attendance (考勤): a day of an institution saved as a whole.

`attendance_save` takes the day's marks of the members (present, or absent with an
optional reason) and writes them in one transaction: new marks are inserted, changed ones
updated with an `AttendanceChange` row each (a correction: who, when, before and after)
and one audit entry for the day; marks that are the same are left as they were. A day on
which the institution is closed, in the future, or a mark for someone who is not a member
of the institution that day, refuses the whole day with the reason and writes nothing.

The import (`care.imports.AttendanceImporter`) writes through the same pieces,
`day_refusal`, `members_for` and `marks_write`, refusing a row instead of the file.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from canlian.audit import audit_write
from canlian.records import SheetSaved, sheet_write
from canlian.scoping import require_in_scope
from care import selectors
from care.models import Attendance, AttendanceChange, Enrolment, Institution
from registry.models import Status

REASON_MAX = 100


@dataclass(frozen=True)
class Mark:
    """A member's mark of a day: present, or absent with an optional reason."""

    present: bool
    reason: str = ""

    def cleaned(self) -> "Mark":
        reason = "" if self.present else " ".join(self.reason.split())
        if len(reason) > REASON_MAX:
            raise ValidationError(f"缺勤原因不能超过 {REASON_MAX} 字")
        return Mark(self.present, reason)

    @property
    def label(self) -> str:
        if self.present:
            return "出勤"
        return f"缺勤（{self.reason}）" if self.reason else "缺勤"


DaySaved = SheetSaved


def day_refusal(institution: Institution, day: datetime.date) -> str | None:
    """Why no attendance can be taken at `institution` on `day`, or None."""
    if not institution.is_day_care:
        return f"“{institution.name}”是{institution.get_kind_display()}，不登记日间考勤"
    if not institution.is_active:
        return f"“{institution.name}”已停用，不能登记考勤"
    if day > timezone.localdate():
        return "不能登记今天以后的考勤"
    if not institution.is_open_on(day):
        weekday = "一二三四五六日"[day.weekday()]
        return (
            f"“{institution.name}”每周开放{institution.open_days_label}，"
            f"{day:%Y-%m-%d}（周{weekday}）不开放，不能登记考勤"
        )
    return None


def members_for(user: User, institution: Institution, day: datetime.date) -> dict[int, Enrolment]:
    """The members of the institution on `day` that the user may see, by person."""
    enrolments = selectors.members_on(institution, day).visible_to(user).select_related("person")
    return {e.person_id: e for e in enrolments}


def member_refusal(enrolment: Enrolment, day: datetime.date) -> str | None:
    """A member whose registered life ended before `day` (death, moving out: the status the
    registry holds) has no attendance that day."""
    person = enrolment.person
    if person.status != Status.ACTIVE and person.status_date and day > person.status_date:
        return f"{person.name}已于 {person.status_date:%Y-%m-%d} {person.get_status_display()}，不能登记此后的考勤"
    return None


def marks_write(
    *, user: User, institution: Institution, day: datetime.date, marks: dict[Enrolment, Mark], result: DaySaved
) -> None:
    """Write the checked marks of one institution's day (its row locked by the caller):
    insert the new, update and keep the history of the changed; count each in `result`."""
    changed = sheet_write(
        Attendance,
        user=user,
        key={"institution": institution, "day": day},
        day=day,
        entries={enrolment.person: (mark.present, mark.reason) for enrolment, mark in marks.items()},
        fields=("present", "absence_reason"),
        result=result,
        change_perm="care.change_attendance",
        refused="您没有更正考勤的权限",
    )
    AttendanceChange.objects.bulk_create(
        [
            AttendanceChange(
                attendance=row,
                institution=institution,
                day=day,
                was_present=was[0],
                was_reason=was[1],
                present=row.present,
                absence_reason=row.absence_reason,
                changed_by=user,
            )
            for was, row in changed
        ],
        batch_size=500,
    )
    if changed:
        audit_write(
            action="care.attendance.corrected",
            user=user,
            obj=institution,
            data={"day": day, "changed": len(changed), "persons": sorted(row.person_id for _, row in changed)},
        )


@transaction.atomic
def attendance_save(*, user: User, institution: Institution, day: datetime.date, marks: dict[int, Mark]) -> DaySaved:
    """Save the day's marks (person id -> `Mark`) of the institution's members, all or
    nothing. A member left out of `marks` keeps what they had (nothing, on a new day)."""
    if not user.has_perm("care.add_attendance"):
        raise PermissionDenied("您没有登记考勤的权限")
    require_in_scope(user, institution)
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    if refusal := day_refusal(institution, day):
        raise ValidationError(refusal)
    if not marks:
        raise ValidationError("没有要保存的考勤")
    members = members_for(user, institution, day)
    strangers = [pk for pk in marks if pk not in members]
    if strangers:
        raise ValidationError(
            f"有 {len(strangers)} 人不是“{institution.name}”{day:%Y-%m-%d} 的在册会员，本日考勤未保存；"
            "请刷新页面后重新登记"
        )
    refusals = [r for pk in marks if (r := member_refusal(members[pk], day))]
    if refusals:
        raise ValidationError(refusals)
    checked = {members[pk]: mark.cleaned() for pk, mark in marks.items()}
    result = DaySaved()
    marks_write(user=user, institution=institution, day=day, marks=checked, result=result)
    return result
