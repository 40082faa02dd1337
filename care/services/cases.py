"""Mental-health case management (个案管理): opening a case, its follow-ups, its closure.

- `case_open`: a case through `canlian.records.record_create` (the person locked, scope and
  day checked, one open case per person), its first follow-up due after the risk level's
  interval;
- `followup_record`: a dated follow-up of an open case, on or after the day it opened and
  not in the future; the next one is due at the latest after the interval of the risk
  level the follow-up assessed. The case takes that risk level (a change is audited) and
  the due day of its latest follow-up;
- `case_close`: the day and the reason, audited;
- `case_void` / `followup_void`: a case or a follow-up entered by mistake is voided (作废)
  with a reason, audited, as every person record is (`canlian.records.record_void`); a
  voided follow-up stops counting, and the case takes its risk level and due day from the
  newest follow-up still standing (or from its opening).

The case row is locked first, so two follow-ups saved at once take turns.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from canlian.audit import audit_write
from canlian.records import record_create, record_void, records_changed_once
from canlian.scoping import require_in_scope
from care.models import CareCase, CaseFollowUp, CloseReason, ContactKind, RiskInterval, RiskLevel
from registry.models import Person

# Used only when the district removed a level's row from the admin.
DEFAULT_INTERVALS = {RiskLevel.HIGH: 14, RiskLevel.MEDIUM: 30, RiskLevel.LOW: 90}
TEXT_MAX = 2000


def _require(user: User, perm: str, what: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied(f"您没有{what}的权限")


def interval_days(risk: str) -> int:
    """The longest wait (days) between two follow-ups of a case of `risk`."""
    row = RiskInterval.objects.filter(risk=risk).first()
    return row.days if row is not None else DEFAULT_INTERVALS[RiskLevel(risk)]


def _risk(risk: str) -> str:
    if risk not in RiskLevel.values:
        raise ValidationError("请选择风险等级（低、中、高）")
    return risk


def _text(text: str, label: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError(f"请填写{label}")
    if len(text) > TEXT_MAX:
        raise ValidationError(f"{label}不能超过 {TEXT_MAX} 字")
    return text


@transaction.atomic
def case_open(
    *, user: User, person: Person, keyworker: User, risk: str, plan: str, opened_on: datetime.date
) -> CareCase:
    """Open a case for `person` from `opened_on`, with its keyworker, risk level and plan."""
    _require(user, "care.add_carecase", "开设个案")
    risk, plan = _risk(risk), _text(plan, "服务计划")
    if not keyworker.is_active:
        raise ValidationError("所选个案负责人的账号已停用")
    return record_create(
        model=CareCase,
        user=user,
        person=person,
        keyworker=keyworker,
        risk=risk,
        opened_risk=risk,
        plan=plan,
        opened_on=opened_on,
        next_due=opened_on + datetime.timedelta(days=interval_days(risk)),
    )


def _locked_open_case(user: User, case: CareCase) -> CareCase:
    require_in_scope(user, case)
    locked = CareCase.objects.select_for_update().get(pk=case.pk)
    require_in_scope(user, locked)
    if locked.voided_at is not None:
        raise ValidationError("该个案已作废")
    if locked.closed_on is not None:
        raise ValidationError(f"该个案已于 {locked.closed_on:%Y-%m-%d} 结案，不能再登记随访")
    return locked


@transaction.atomic
def followup_record(
    *,
    user: User,
    case: CareCase,
    followed_on: datetime.date,
    contact: str,
    findings: str,
    risk: str,
    next_due: datetime.date | None = None,
) -> CaseFollowUp:
    """Record a follow-up of `case` on `followed_on`; `next_due` defaults to the longest
    wait the assessed `risk` allows."""
    _require(user, "care.add_casefollowup", "登记个案随访")
    case = _locked_open_case(user, case)
    if contact not in ContactKind.values:
        raise ValidationError("请选择随访方式")
    risk, findings = _risk(risk), _text(findings, "随访情况")
    if followed_on > timezone.localdate():
        raise ValidationError("随访日期不能晚于今天")
    if followed_on < case.opened_on:
        raise ValidationError(f"随访日期不能早于开案日期（{case.opened_on:%Y-%m-%d}）")
    days = interval_days(risk)
    latest = followed_on + datetime.timedelta(days=days)
    if next_due is None:
        next_due = latest
    elif next_due <= followed_on:
        raise ValidationError("下次随访日期应晚于本次随访日期")
    elif next_due > latest:
        raise ValidationError(
            f"{RiskLevel(risk).label}风险个案至少每 {days} 天随访一次，下次随访日期不能晚于 {latest:%Y-%m-%d}"
        )
    follow_up = CaseFollowUp.objects.create(
        case=case,
        followed_on=followed_on,
        contact=contact,
        findings=findings,
        risk=risk,
        next_due=next_due,
        recorded_by=user,
    )
    _follow_newest(user, case)
    records_changed_once(CareCase, followed_on.year, area=case.area_code, day=followed_on)
    return follow_up


def _follow_newest(user: User, case: CareCase) -> None:
    """The case (locked) takes the risk level and the due day of its newest standing
    follow-up, or those of its opening when none stands; a change of level is audited."""
    newest = case.follow_ups.filter(voided_at__isnull=True).order_by("-followed_on", "-id").first()
    if newest is not None:
        risk, next_due, since = newest.risk, newest.next_due, newest.followed_on
    else:
        risk = case.opened_risk or case.risk
        next_due = case.opened_on + datetime.timedelta(days=interval_days(risk))
        since = case.opened_on
    fields = []
    if next_due != case.next_due:
        case.next_due = next_due
        fields.append("next_due")
    if risk != case.risk:
        audit_write(
            action="care.case.risk_changed",
            user=user,
            obj=case,
            data={"from": case.risk, "to": risk, "followed_on": since},
        )
        case.risk = risk
        fields.append("risk")
    if fields:
        case.save(update_fields=fields)


@transaction.atomic
def case_close(*, user: User, case: CareCase, closed_on: datetime.date, reason: str, note: str = "") -> CareCase:
    """Close an open case on `closed_on` with the reason."""
    _require(user, "care.close_carecase", "结案")
    case = _locked_open_case(user, case)
    if reason not in CloseReason.values:
        raise ValidationError("请选择结案原因")
    if closed_on > timezone.localdate():
        raise ValidationError("结案日期不能晚于今天")
    last = (
        case.follow_ups.filter(voided_at__isnull=True)
        .order_by("-followed_on")
        .values_list("followed_on", flat=True)
        .first()
    )
    earliest = max(filter(None, (case.opened_on, last)))
    if closed_on < earliest:
        raise ValidationError(f"结案日期不能早于开案日期或最近一次随访（{earliest:%Y-%m-%d}）")
    case.closed_on, case.close_reason, case.close_note, case.closed_by = closed_on, reason, note.strip()[:200], user
    case.save(update_fields=["closed_on", "close_reason", "close_note", "closed_by"])
    audit_write(
        action="care.case.closed", user=user, obj=case, data={"closed_on": closed_on, "reason": reason, "note": note}
    )
    records_changed_once(CareCase, closed_on.year, area=case.area_code, day=closed_on)
    return case


@transaction.atomic
def case_void(*, user: User, case: CareCase, reason: str) -> CareCase:
    """Void a case opened by mistake: it leaves the lists, the overdue follow-ups and the
    person's timeline, and another can be opened. Its follow-ups go with it."""
    return record_void(record=case, user=user, reason=reason)


@transaction.atomic
def followup_void(*, user: User, follow_up: CaseFollowUp, reason: str) -> CaseFollowUp:
    """Void a follow-up entered by mistake (who, when and why kept on the row, audited);
    the case's risk level and next due day are then those of the newest one standing."""
    _require(user, "care.void_casefollowup", "作废个案随访")
    require_in_scope(user, follow_up.case)
    case = CareCase.objects.select_for_update().get(pk=follow_up.case_id)
    require_in_scope(user, case)
    if case.voided_at is not None:
        raise ValidationError("该个案已作废")
    locked = CaseFollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if locked.voided_at is not None:
        raise ValidationError(f"该随访记录已于 {timezone.localtime(locked.voided_at):%Y-%m-%d %H:%M} 作废")
    reason = reason.strip()
    if not reason:
        raise ValidationError("请填写作废原因")
    locked.voided_at, locked.voided_by, locked.void_reason = timezone.now(), user, reason[:200]
    locked.save(update_fields=["voided_at", "voided_by", "void_reason"])
    audit_write(
        action="care.followup.voided",
        user=user,
        obj=locked,
        person=case.person_id,
        data={"case": case.pk, "followed_on": locked.followed_on, "reason": locked.void_reason},
    )
    if case.closed_on is None:
        _follow_newest(user, case)
    records_changed_once(CareCase, locked.followed_on.year, area=case.area_code, day=locked.followed_on)
    return locked
