"""Recording rehabilitation work: service records and yearly needs assessments. Each
function is atomic, checks the user's permission and jurisdiction (a town officer only for
persons of their town; a leader never writes), and refuses with a reason in Chinese."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from canlian.audit import audit_write
from canlian.scoping import require_in_scope
from canlian.signals import records_changed
from registry.models import Person, Status
from rehab.models import ItemKind, NeedAssessment, Provider, RehabItem, ServiceRecord

# One record is one service of one item on one day; a course of training is its sessions.
# More than one a day for a year is a typing error, not a course.
MAX_SESSIONS = 366


def _check_may(user: User, perm: str, person: Person, what: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied(f"您没有{what}的权限")
    require_in_scope(user, person)


def check_day_of_person(person: Person, day: datetime.date, what: str) -> None:
    """`day` lies in the person's certified, registered life: not in the future, not before
    the certificate, not after a death, moving out or cancellation."""
    if day > datetime.date.today():
        raise ValidationError(f"{what}不能晚于今天")
    if day < person.birth_date:
        raise ValidationError(f"{what}不能早于出生日期（{person.birth_date:%Y-%m-%d}）")
    if person.certificate_issued and day < person.certificate_issued:
        raise ValidationError(f"{what}早于该人员的发证日期（{person.certificate_issued:%Y-%m-%d}）")
    if person.status != Status.ACTIVE and person.status_date and day > person.status_date:
        raise ValidationError(
            f"该人员已于 {person.status_date:%Y-%m-%d} {person.get_status_display()}，{what}不能晚于此日期"
        )


@transaction.atomic
def service_record(
    *,
    user: User,
    person: Person,
    item: RehabItem,
    provider: Provider,
    served_on: datetime.date,
    sessions: int,
    note: str = "",
) -> ServiceRecord:
    """Record one basic rehabilitation service given to a person (one person-time)."""
    _check_may(user, "rehab.add_servicerecord", person, "登记康复服务")
    # The person's state and area as they are now, not as the page read them.
    person = Person.objects.select_for_update().get(pk=person.pk)
    _check_may(user, "rehab.add_servicerecord", person, "登记康复服务")
    check_day_of_person(person, served_on, "服务日期")
    if not item.is_active:
        raise ValidationError(f"康复项目“{item.name}”已停用，不能登记新的服务")
    if not provider.is_active:
        raise ValidationError(f"服务机构“{provider.name}”已停用，不能登记新的服务")
    if sessions is None or sessions < 1:
        raise ValidationError("服务次数至少为 1 次")
    if sessions > MAX_SESSIONS:
        raise ValidationError(f"一条记录的服务次数不能超过 {MAX_SESSIONS} 次，请检查是否输入有误")
    try:
        with transaction.atomic():
            record = ServiceRecord.objects.create(
                person=person,
                area_code=person.area_id,
                item=item,
                provider=provider,
                served_on=served_on,
                sessions=sessions,
                note=note.strip(),
                recorded_by=user,
            )
    except IntegrityError:
        raise ValidationError(f"该人员 {served_on:%Y-%m-%d} 已有“{item.name}”的服务记录，请勿重复登记") from None
    records_changed.send(sender=ServiceRecord, source="rehab", year=served_on.year)
    return record


@transaction.atomic
def service_record_void(*, user: User, record: ServiceRecord, reason: str) -> ServiceRecord:
    """Void (作废) a mistaken record: it stops counting anywhere (lists, exports, figures) and
    keeps who voided it, when and why. The town where it was given decides, as it recorded it."""
    if not user.has_perm("rehab.void_servicerecord"):
        raise PermissionDenied("您没有作废康复服务记录的权限")
    locked = ServiceRecord.objects.select_for_update().select_related("item").get(pk=record.pk)
    require_in_scope(user, locked)
    if locked.voided_at is not None:
        raise ValidationError(f"该记录已于 {timezone.localtime(locked.voided_at):%Y-%m-%d %H:%M} 作废")
    reason = reason.strip()
    if not reason:
        raise ValidationError("请填写作废原因")
    locked.voided_at = timezone.now()
    locked.voided_by = user
    locked.void_reason = reason[:200]
    locked.save(update_fields=["voided_at", "voided_by", "void_reason"])
    audit_write(action="rehab.record.voided", user=user, obj=locked, data={"reason": locked.void_reason})
    records_changed.send(sender=ServiceRecord, source="rehab", year=locked.served_on.year)
    return locked


@transaction.atomic
def need_assess(
    *,
    user: User,
    person: Person,
    year: int,
    has_need: bool,
    kinds: list[str],
    assessed_on: datetime.date,
    note: str = "",
) -> tuple[NeedAssessment, bool]:
    """Record a person's rehabilitation needs assessment for a year; a second one in the
    same year replaces the first (kept in the history). Returns (assessment, created)."""
    _check_may(user, "rehab.add_needassessment", person, "登记康复需求评估")
    person = Person.objects.select_for_update().get(pk=person.pk)
    _check_may(user, "rehab.add_needassessment", person, "登记康复需求评估")
    check_day_of_person(person, assessed_on, "评估日期")
    if assessed_on.year != year:
        raise ValidationError(f"评估日期应在 {year} 年内")
    unknown = [kind for kind in kinds if kind not in ItemKind.values]
    if unknown:
        raise ValidationError(f"未知的需求类别：{'、'.join(unknown)}")
    kinds = [kind for kind in ItemKind.values if kind in kinds]  # catalogue order, once each
    if has_need and not kinds:
        raise ValidationError("有康复需求时，请至少选择一类需求")
    if not has_need and kinds:
        raise ValidationError("评估为无康复需求时，不应选择需求类别")
    existing = NeedAssessment.objects.select_for_update().filter(person=person, year=year).first()
    if existing is not None and not user.has_perm("rehab.change_needassessment"):
        raise PermissionDenied("您没有修改康复需求评估的权限")
    assessment = existing or NeedAssessment(person=person, year=year)
    assessment.area_code = person.area_id
    assessment.has_need = has_need
    assessment.kinds = kinds
    assessment.assessed_on = assessed_on
    assessment.note = note.strip()
    assessment.assessed_by = user
    assessment._history_user = user
    assessment.save()
    records_changed.send(sender=NeedAssessment, source="rehab", year=year)
    return assessment, existing is None


def persons_moved_follow(sender, *, moves: dict[int, str], **kwargs) -> None:
    """Assessments follow a person who moved to another community, so the new town counts
    the person's need (and the old town no longer does). Service records keep the area they
    were given in."""
    by_area: dict[str, list[int]] = {}
    for person_id, area_code in moves.items():
        by_area.setdefault(area_code, []).append(person_id)
    for area_code, person_ids in by_area.items():
        NeedAssessment.objects.filter(person_id__in=person_ids).update(area_code=area_code)
    # This year's coverage moves town with them.
    records_changed.send(sender=NeedAssessment, source="rehab")
