"""Mental-health case management (个案管理): opening a case, its follow-ups, its closure.

- `case_open`: a case through `canlian.records.record_create` (the person locked, scope and
  day checked, one open case per person), its first follow-up due after the risk level's
  interval;
- `followup_record`: a dated follow-up of an open case, on or after the day it opened and
  not in the future; the next one is due at the latest after the interval of the risk
  level the follow-up assessed. The case takes that risk level (a change is audited) and
  the due day of its latest follow-up;
- `case_close`: the day and the reason, audited.

The case row is locked first, so two follow-ups saved at once take turns.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from canlian.audit import audit_write
from canlian.records import record_create
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
    newest = case.follow_ups.order_by("-followed_on", "-id").first()
    fields = []
    if newest.next_due != case.next_due:
        case.next_due = newest.next_due
        fields.append("next_due")
    if newest.risk != case.risk:
        audit_write(
            action="care.case.risk_changed",
            user=user,
            obj=case,
            data={"from": case.risk, "to": newest.risk, "followed_on": followed_on},
        )
        case.risk = newest.risk
        fields.append("risk")
    if fields:
        case.save(update_fields=fields)
    return follow_up


@transaction.atomic
def case_close(*, user: User, case: CareCase, closed_on: datetime.date, reason: str, note: str = "") -> CareCase:
    """Close an open case on `closed_on` with the reason."""
    _require(user, "care.close_carecase", "结案")
    case = _locked_open_case(user, case)
    if reason not in CloseReason.values:
        raise ValidationError("请选择结案原因")
    if closed_on > timezone.localdate():
        raise ValidationError("结案日期不能晚于今天")
    last = case.follow_ups.order_by("-followed_on").values_list("followed_on", flat=True).first()
    earliest = max(filter(None, (case.opened_on, last)))
    if closed_on < earliest:
        raise ValidationError(f"结案日期不能早于开案日期或最近一次随访（{earliest:%Y-%m-%d}）")
    case.closed_on, case.close_reason, case.close_note, case.closed_by = closed_on, reason, note.strip()[:200], user
    case.save(update_fields=["closed_on", "close_reason", "close_note", "closed_by"])
    audit_write(
        action="care.case.closed", user=user, obj=case, data={"closed_on": closed_on, "reason": reason, "note": note}
    )
    return case
