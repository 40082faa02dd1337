"""Enrolment (入托), leaving, and the waiting list (轮候).

- `enrolment_apply`: the admission rule of the institution's kind (an officer may
  override it with a written reason, audited), then either a place — an enrolment through
  `canlian.records.record_create` — or, at a full institution, the end of its waiting list;
- `enrolment_end`: the last day and the reason for leaving; the freed place is offered to
  the first waiting;
- `enrolment_void`: a membership entered by mistake stops counting (its place too);
- `waiting_accept` / `waiting_withdraw`: an offered place taken up, or an entry withdrawn
  (an offered one passes its place on).

The institution's row is locked first (then the person or the enrolment), so two officers
filling the last place, or ending and enrolling at once, take turns.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from canlian.audit import audit_write
from canlian.records import record_create, record_void, records_changed_once
from canlian.scoping import require_in_scope
from care import selectors
from care.models import AdmissionRule, Attendance, Enrolment, Institution, LeaveReason, WaitingEntry
from care.models.membership import OPEN_STATES
from care.rules import admission_refusals
from registry.models import Person

OVERRIDE_MAX = 200


def _require(user: User, perm: str, what: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied(f"您没有{what}的权限")


def _locked_institution(user: User, institution: Institution) -> Institution:
    require_in_scope(user, institution)
    locked = Institution.objects.select_for_update().get(pk=institution.pk)
    if not locked.is_active:
        raise ValidationError(f"“{locked.name}”已停用，不能办理入托")
    return locked


def admission_check(
    *, user: User, institution: Institution, person: Person, day: datetime.date, override_reason: str
) -> list[str]:
    """The rule's refusals for this person on `day`, if an override answers them: an
    officer who may override gives a written reason. Returns the refusals overridden (none
    when the person meets the rule); raises when they stand."""
    rule = AdmissionRule.objects.filter(kind=institution.kind).first()
    refusals = admission_refusals(
        rule, birth_date=person.birth_date, category=person.category, grade=person.grade, day=day
    )
    if not refusals:
        return []
    if not override_reason:
        raise ValidationError(
            f"不符合{institution.get_kind_display()}的入托条件：{'；'.join(refusals)}。如确需入托，请填写破格入托理由"
        )
    if not user.has_perm("care.override_admission"):
        raise PermissionDenied(f"不符合入托条件（{'；'.join(refusals)}），您没有破格批准入托的权限")
    return refusals


def _override_text(reason: str) -> str:
    reason = " ".join(reason.split())
    if len(reason) > OVERRIDE_MAX:
        raise ValidationError(f"破格入托理由不能超过 {OVERRIDE_MAX} 字")
    return reason


def _enrol(
    *, user: User, institution: Institution, person: Person, started_on: datetime.date, override_reason: str
) -> Enrolment:
    refusals = admission_check(
        user=user, institution=institution, person=person, day=started_on, override_reason=override_reason
    )
    enrolment = record_create(
        model=Enrolment,
        user=user,
        person=person,
        institution=institution,
        started_on=started_on,
        day_care=institution.is_day_care,
        override_reason=override_reason if refusals else "",
    )
    if refusals:
        audit_write(
            action="care.enrolment.overridden",
            user=user,
            obj=enrolment,
            data={"institution": institution.code, "refusals": refusals, "reason": override_reason},
        )
    return enrolment


@transaction.atomic
def enrolment_apply(
    *,
    user: User,
    institution: Institution,
    person: Person,
    started_on: datetime.date,
    override_reason: str = "",
) -> Enrolment | WaitingEntry:
    """Enrol `person` at `institution` from `started_on`, or, when it has no free place,
    put them at the end of its waiting list (the entry is returned). The admission rule is
    checked either way, so the queue holds only persons who may take a place."""
    _require(user, "care.add_enrolment", "办理入托")
    require_in_scope(user, person)
    institution = _locked_institution(user, institution)
    override_reason = _override_text(override_reason)
    if started_on > timezone.localdate():
        raise ValidationError("入托日期不能晚于今天；到入托当天再办理")
    if WaitingEntry.objects.filter(institution=institution, person=person, state__in=OPEN_STATES).exists():
        raise ValidationError(f"该人员已在“{institution.name}”的轮候名单中")
    if selectors.free_places(institution, started_on) > 0:
        return _enrol(
            user=user, institution=institution, person=person, started_on=started_on, override_reason=override_reason
        )
    # Full: the rule (and its override) is decided now, the place when one frees.
    refusals = admission_check(
        user=user, institution=institution, person=person, day=started_on, override_reason=override_reason
    )
    person = Person.objects.select_for_update().get(pk=person.pk)
    require_in_scope(user, person)
    if selectors.members_on(institution, started_on).filter(person=person).exists():
        raise ValidationError(f"该人员已是“{institution.name}”的在册会员")
    return WaitingEntry.objects.create(
        person=person,
        institution=institution,
        area_code=person.area_id,
        applied_on=started_on,
        override_reason=override_reason if refusals else "",
        recorded_by=user,
    )


def offer_free_places(*, user: User | None, institution: Institution) -> list[WaitingEntry]:
    """Offer each free place of the (locked) institution to the first waiting entry, in
    the order they were entered. Called inside the transaction that freed the places. A
    member's last day may be today: places are counted as of tomorrow."""
    offered = []
    free = selectors.free_places(institution, timezone.localdate() + datetime.timedelta(days=1))
    if free <= 0:
        return offered
    today = timezone.localdate()
    for entry in institution.waiting.select_for_update().filter(state=WaitingEntry.State.WAITING).order_by("id")[:free]:
        entry.state, entry.offered_on = WaitingEntry.State.OFFERED, today
        entry.save(update_fields=["state", "offered_on"])
        audit_write(action="care.waiting.offered", user=user, obj=entry, data={"institution": institution.code})
        offered.append(entry)
    return offered


@transaction.atomic
def enrolment_end(
    *, user: User, enrolment: Enrolment, ended_on: datetime.date, reason: str, note: str = ""
) -> tuple[Enrolment, list[WaitingEntry]]:
    """End a membership on its last day `ended_on` with the reason for leaving; the place
    goes to the first waiting. Returns the enrolment and the entries offered a place."""
    _require(user, "care.change_enrolment", "办理离开")
    require_in_scope(user, enrolment)
    institution = Institution.objects.select_for_update().get(pk=enrolment.institution_id)
    locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    require_in_scope(user, locked)
    if locked.voided_at is not None:
        raise ValidationError("该入托登记已作废")
    if locked.ended_on is not None:
        raise ValidationError(f"该会员已于 {locked.ended_on:%Y-%m-%d} 离开")
    if reason not in LeaveReason.values:
        raise ValidationError("请选择离开原因")
    if ended_on < locked.started_on:
        raise ValidationError(f"离开日期不能早于入托日期（{locked.started_on:%Y-%m-%d}）")
    if ended_on > timezone.localdate():
        raise ValidationError("离开日期不能晚于今天")
    later = (
        Attendance.objects.filter(institution=institution, person_id=locked.person_id, day__gt=ended_on)
        .order_by("-day")
        .first()
    )
    if later is not None:
        raise ValidationError(f"该会员在 {later.day:%Y-%m-%d} 还有考勤记录，离开日期不能早于该日")
    note = " ".join(note.split())[:200]
    locked.ended_on, locked.leave_reason, locked.leave_note, locked.ended_by = ended_on, reason, note, user
    locked.save(update_fields=["ended_on", "leave_reason", "leave_note", "ended_by"])
    audit_write(
        action="care.enrolment.ended",
        user=user,
        obj=locked,
        data={"institution": institution.code, "ended_on": ended_on, "reason": reason, "note": note},
    )
    records_changed_once(Enrolment, ended_on.year, area=locked.area_code, day=ended_on)
    return locked, offer_free_places(user=user, institution=institution)


@transaction.atomic
def enrolment_void(*, user: User, enrolment: Enrolment, reason: str) -> tuple[Enrolment, list[WaitingEntry]]:
    """Void an enrolment entered by mistake (the record base's void, audited); its place,
    if it held one, goes to the first waiting."""
    _require(user, "care.void_enrolment", "作废入托登记")
    require_in_scope(user, enrolment)
    institution = Institution.objects.select_for_update().get(pk=enrolment.institution_id)
    if (
        Attendance.objects.filter(institution=institution, person_id=enrolment.person_id)
        .filter(day__gte=enrolment.started_on, **({"day__lte": enrolment.ended_on} if enrolment.ended_on else {}))
        .exists()
    ):
        raise ValidationError("该入托期间已有考勤记录，不能作废；会员离开请办理离开")
    voided = record_void(record=enrolment, user=user, reason=reason)
    return voided, offer_free_places(user=user, institution=institution)


def _locked_entry(user: User, entry: WaitingEntry) -> tuple[Institution, WaitingEntry]:
    require_in_scope(user, entry)
    institution = Institution.objects.select_for_update().get(pk=entry.institution_id)
    locked = WaitingEntry.objects.select_for_update().get(pk=entry.pk)
    if not locked.is_open:
        raise ValidationError(f"该轮候登记{locked.get_state_display()}，不能再办理")
    return institution, locked


@transaction.atomic
def waiting_accept(*, user: User, entry: WaitingEntry, started_on: datetime.date) -> Enrolment:
    """The person offered a place takes it up from `started_on`: an enrolment (the rule
    checked again on that day, with the entry's override), and the entry is closed."""
    _require(user, "care.add_enrolment", "办理入托")
    institution, locked = _locked_entry(user, entry)
    if locked.state != WaitingEntry.State.OFFERED:
        raise ValidationError("尚未轮到该人员：有空余名额时，系统按轮候顺序通知")
    if started_on > timezone.localdate():
        raise ValidationError("入托日期不能晚于今天；到入托当天再办理")
    if started_on < locked.offered_on:
        raise ValidationError(f"入托日期不能早于通知入托的日期（{locked.offered_on:%Y-%m-%d}）")
    enrolment = _enrol(
        user=user,
        institution=institution,
        person=locked.person,
        started_on=started_on,
        override_reason=locked.override_reason,
    )
    locked.state, locked.enrolment, locked.closed_on = WaitingEntry.State.ENROLLED, enrolment, started_on
    locked.save(update_fields=["state", "enrolment", "closed_on"])
    return enrolment


@transaction.atomic
def waiting_withdraw(*, user: User, entry: WaitingEntry, reason: str) -> list[WaitingEntry]:
    """Withdraw an entry (the person no longer wants the place, or took one elsewhere); an
    offered place passes to the next waiting. Returns the entries offered a place."""
    _require(user, "care.change_waitingentry", "撤回轮候登记")
    institution, locked = _locked_entry(user, entry)
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError("请填写撤回原因")
    locked.state, locked.closed_on, locked.close_reason = (
        WaitingEntry.State.WITHDRAWN,
        timezone.localdate(),
        reason[:200],
    )
    locked.save(update_fields=["state", "closed_on", "close_reason"])
    audit_write(action="care.waiting.withdrawn", user=user, obj=locked, data={"reason": locked.close_reason})
    return offer_free_places(user=user, institution=institution)


def persons_moved_follow(sender, *, moves: dict[int, str], **kwargs) -> None:
    """A person who moved takes their care rows with them (enrolments move through the
    record base): the waiting entries and the attendance, so the town now responsible sees
    the person's whole membership."""
    by_area: dict[str, list[int]] = {}
    for person_id, area_code in moves.items():
        by_area.setdefault(area_code, []).append(person_id)
    for area_code, person_ids in by_area.items():
        WaitingEntry.objects.filter(person_id__in=person_ids).exclude(area_code=area_code).update(area_code=area_code)
        Attendance.objects.filter(person_id__in=person_ids).exclude(area_code=area_code).update(area_code=area_code)
