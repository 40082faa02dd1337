"""Applications through review to awards; ending awards. Each step is atomic, checks the
user's jurisdiction and role, and writes an `ApplicationStep` with who, when and why."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from benefits.models import Application, ApplicationAttachment, ApplicationStep, Award, Scheme
from benefits.months import add_months, month_label, month_start
from canlian.audit import audit_write
from canlian.scoping import require_in_scope, scope_rechecked
from registry.models import Person

State = Application.State


def _step(application: Application, user, action: str, from_state: str, reason: str = "") -> None:
    ApplicationStep.objects.create(
        application=application,
        action=action,
        from_state=from_state,
        to_state=application.state,
        reason=reason,
        user=user,
    )


def _locked(application: Application, *, user, expected: tuple[str, ...]) -> Application:
    """The application locked, once it is known to be in the user's scope (before its state
    is told) and in one of the `expected` states."""
    locked = Application.objects.select_for_update().select_related("scheme").get(pk=application.pk)
    require_in_scope(user, locked)
    if locked.state not in expected:
        raise ValidationError(f"申请当前状态为“{locked.get_state_display()}”，不能执行此操作")
    return locked


@scope_rechecked
def application_submit(
    *,
    user,
    person: Person,
    scheme: Scheme,
    applied_on: datetime.date,
    applicant: str,
    variant: str = "",
    note: str = "",
    attachments: list[tuple[str, object]] = (),
) -> Application:
    """Take an application at the town window (受理)."""
    if not user.has_perm("benefits.add_application"):
        raise PermissionDenied("您没有受理申请的权限")
    require_in_scope(user, person)
    if applicant not in Application.Applicant.values:
        raise ValidationError("申请方式不正确")
    if applied_on > datetime.date.today():
        raise ValidationError("申请日期不能晚于今天")
    if not scheme.is_active:
        raise ValidationError(f"{scheme.name} 已停用")
    if Award.objects.filter(person=person, scheme=scheme, end_month__isnull=True).exists():
        raise ValidationError(f"该人员已在享受{scheme.name}，无需重复申请")
    try:
        with transaction.atomic():
            application = Application.objects.create(
                person=person,
                scheme=scheme,
                area_code=person.area_id,
                applied_on=applied_on,
                applicant=applicant,
                variant=variant,
                note=note,
                submitted_by=user,
            )
    except IntegrityError:
        raise ValidationError(f"该人员已有一份{scheme.name}申请在办理中") from None
    for title, upload in attachments:
        ApplicationAttachment.objects.create(application=application, file=upload, title=title, uploaded_by=user)
    _step(application, user, "受理", "")
    return application


@transaction.atomic
def application_town_review(
    *, user, application: Application, approve: bool, reason: str = "", today: datetime.date | None = None
) -> Application:
    """Town first review (镇街初审): approve starts the public notice; return needs a reason."""
    if not user.has_perm("benefits.town_review_application"):
        raise PermissionDenied("您没有初审权限")
    application = _locked(application, user=user, expected=(State.SUBMITTED,))
    before = application.state
    if approve:
        today = today or datetime.date.today()
        application.state = State.NOTICE
        application.town_reviewed_by = user
        application.notice_from = today
        application.notice_until = today + datetime.timedelta(days=application.scheme.notice_days)
        action = "初审通过，开始公示"
    else:
        if not reason.strip():
            raise ValidationError("退回申请须填写原因")
        application.state = State.RETURNED
        action = "初审退回"
    application.save()
    _step(application, user, action, before, reason)
    return application


@transaction.atomic
def application_end_notice(
    *, user, application: Application, objection: str = "", today: datetime.date | None = None
) -> Application:
    """Close the public notice: with no objection it goes to the district; an objection
    returns it to the town with the objection as the reason."""
    if not user.has_perm("benefits.town_review_application"):
        raise PermissionDenied("您没有初审权限")
    application = _locked(application, user=user, expected=(State.NOTICE,))
    before = application.state
    today = today or datetime.date.today()
    if objection.strip():
        application.state = State.RETURNED
        action = "公示有异议，退回"
    else:
        if today < application.notice_until:
            raise ValidationError(f"公示期未满：{application.notice_until:%Y-%m-%d} 后方可结束公示")
        application.state = State.DISTRICT_REVIEW
        action = "公示期满无异议，报区残联"
    application.save()
    _step(application, user, action, before, objection)
    return application


@transaction.atomic
def application_decide(*, user, application: Application, approve: bool, reason: str = "") -> Application:
    """District decision. Approval creates the award from the month of application."""
    if not user.has_perm("benefits.decide_application"):
        raise PermissionDenied("您没有审批权限")
    application = _locked(application, user=user, expected=(State.DISTRICT_REVIEW,))
    if user.pk in (application.submitted_by_id, application.town_reviewed_by_id):
        raise PermissionDenied("审批人不能审批自己受理或初审的申请")
    before = application.state
    application.decided_by = user
    application.decided_at = timezone.now()
    application.decision_reason = reason
    if approve:
        start = _award_start(application)
        application.state = State.APPROVED
        application.save()
        try:
            with transaction.atomic():
                Award.objects.create(
                    person=application.person,
                    scheme=application.scheme,
                    area_code=application.area_code,
                    variant=application.variant,
                    start_month=start,
                    source=Award.Source.APPLICATION,
                    application=application,
                    created_by=user,
                )
        except IntegrityError:
            raise ValidationError(f"该人员已在享受{application.scheme.name}") from None
        action = f"批准，自 {month_label(start)} 起发放"
    else:
        if not reason.strip():
            raise ValidationError("不予批准须填写原因")
        application.state = State.REJECTED
        application.save()
        action = "不予批准"
    _step(application, user, action, before, reason)
    return application


def _award_start(application: Application) -> datetime.date:
    """The month of application, or the month after an earlier award of the same scheme
    ended if that award still covers it: two awards covering one month would put the
    month twice into a payroll draft."""
    start = month_start(application.applied_on)
    last_end = (
        Award.objects.filter(person_id=application.person_id, scheme_id=application.scheme_id, end_month__gte=start)
        .order_by("-end_month")
        .values_list("end_month", flat=True)
        .first()
    )
    return add_months(last_end, 1) if last_end else start


@transaction.atomic
def award_end(*, user, award: Award, end_month: datetime.date, reason: str) -> Award:
    """End an award after `end_month` (the last month paid)."""
    if not user.has_perm("benefits.change_award"):
        raise PermissionDenied("您没有终止享受资格的权限")
    award = Award.objects.select_for_update().get(pk=award.pk)
    require_in_scope(user, award)
    if award.end_month is not None:
        raise ValidationError("该享受资格已终止")
    if not reason.strip():
        raise ValidationError("终止须填写原因")
    end_month = month_start(end_month)
    if end_month < award.start_month:
        raise ValidationError("终止月份不能早于起始月份")
    award.end_month = end_month
    award.end_reason = reason
    award.ended_by = user
    award.ended_at = timezone.now()
    award.save(update_fields=["end_month", "end_reason", "ended_by", "ended_at"])
    audit_write(action="benefits.award.ended", user=user, obj=award, data={"end_month": end_month, "reason": reason})
    return award


def persons_moved_follow(sender, *, moves: dict[int, str], **kwargs) -> None:
    """Awards and applications follow a person who moved to another community, so the
    officer of the new town sees them (and the old town's no longer does). Payments
    already made keep the area they were paid in."""
    by_area: dict[str, list[int]] = {}
    for person_id, area_code in moves.items():
        by_area.setdefault(area_code, []).append(person_id)
    for area_code, person_ids in by_area.items():
        Award.objects.filter(person_id__in=person_ids).update(area_code=area_code)
        Application.objects.filter(person_id__in=person_ids).update(area_code=area_code)
