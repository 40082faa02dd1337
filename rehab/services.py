"""Recording rehabilitation work: service records and yearly needs assessments. Each
function is atomic, checks the user's permission and jurisdiction (a town officer only for
persons of their town; a leader never writes), and refuses with a reason in Chinese."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import User
from canlian.records import check_day_of_person, record_create, record_void
from canlian.scoping import require_in_scope
from canlian.signals import records_changed
from registry.models import Person
from rehab.models import ItemKind, NeedAssessment, Provider, RehabItem, ServiceRecord


def _check_may(user: User, perm: str, person: Person, what: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied(f"您没有{what}的权限")
    require_in_scope(user, person)


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
    """Record one basic rehabilitation service given to a person (one person-time): the
    record base's checks, then the model's (active item and provider, sessions, the same
    item twice on one day)."""
    return record_create(
        model=ServiceRecord,
        user=user,
        person=person,
        item=item,
        provider=provider,
        served_on=served_on,
        sessions=sessions,
        note=note.strip(),
    )


def service_record_void(*, user: User, record: ServiceRecord, reason: str) -> ServiceRecord:
    """Void (作废) a mistaken record: it stops counting anywhere (lists, exports, figures) and
    keeps who voided it, when and why. The town where it was given decides, as it recorded it."""
    return record_void(record=record, user=user, reason=reason)


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
