"""Reopening checks, emergency drills and boarding / home care placements.

- `check_record`: a dated checklist of an institution with each active item done or not,
  who checked and the result; refused for a day in the future or an institution outside
  the user's scope (404), or when an item is left unanswered;
- `drill_record`: a drill held on a day with the members and staff who took part (members
  of the institution that day, its staff users);
- `placement_create` / `placement_end`: a placement through `canlian.records.record_create`
  (its `clean()` refuses a person who is not grade 1–2, a provider of the wrong kind and a
  second overlapping placement of the same kind), and its last day;
- `placement_void`: a placement entered by mistake is voided (作废) with a reason, audited:
  it stops counting for the subsidy (`care_placement`'s rule reads standing ones).

Each is atomic, audited, and refuses in Chinese writing nothing.
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
from care.models import CheckItem, Drill, Institution, Placement, PlacementKind, ReopenCheck, ReopenCheckItem
from registry.models import Person

TEXT_MAX = 200


def _require(user: User, perm: str, what: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied(f"您没有{what}的权限")


def _text(value: str, label: str, limit: int = TEXT_MAX) -> str:
    value = " ".join((value or "").split())
    if len(value) > limit:
        raise ValidationError(f"{label}不能超过 {limit} 字")
    return value


def _not_future(day: datetime.date, label: str) -> None:
    if day > timezone.localdate():
        raise ValidationError(f"{label}不能晚于今天")


@transaction.atomic
def check_record(
    *, user: User, institution: Institution, checked_on: datetime.date, done: dict[int, bool], result: str = ""
) -> ReopenCheck:
    """Record a reopening checklist: `done` holds each active item's id and whether it is
    done. Every active item must be answered."""
    _require(user, "care.add_reopencheck", "登记开放前检查")
    require_in_scope(user, institution)
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    _not_future(checked_on, "检查日期")
    result = _text(result, "检查结论")
    items = list(CheckItem.objects.filter(is_active=True))
    if not items:
        raise ValidationError("尚未设置开放检查项目，请联系区残联管理员")
    missing = [i.title for i in items if i.pk not in done]
    if missing:
        raise ValidationError(f"请逐项填写检查结果，未填写：{'、'.join(missing)}")
    unknown = set(done) - {i.pk for i in items}
    if unknown:
        raise ValidationError("检查项目已变更，请刷新页面后重新填写")
    complete = all(done[i.pk] for i in items)
    check = ReopenCheck.objects.create(
        institution=institution, checked_on=checked_on, checked_by=user, result=result, complete=complete
    )
    ReopenCheckItem.objects.bulk_create(ReopenCheckItem(checklist=check, item=i, done=done[i.pk]) for i in items)
    audit_write(
        action="care.check.recorded",
        user=user,
        obj=check,
        data={
            "institution": institution.code,
            "checked_on": checked_on,
            "complete": complete,
            "not_done": [i.title for i in items if not done[i.pk]],
        },
    )
    return check


@transaction.atomic
def drill_record(
    *,
    user: User,
    institution: Institution,
    held_on: datetime.date,
    topic: str,
    member_ids=(),
    staff_ids=(),
    note: str = "",
) -> Drill:
    """Record a drill with who took part: members of the institution on the day (that the
    user sees) and the institution's staff users."""
    _require(user, "care.add_drill", "登记应急演练")
    require_in_scope(user, institution)
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    _not_future(held_on, "演练日期")
    topic = _text(topic, "演练内容", 100)
    if not topic:
        raise ValidationError("请填写演练内容")
    member_ids, staff_ids = set(member_ids), set(staff_ids)
    if not member_ids and not staff_ids:
        raise ValidationError("请选择参加演练的会员或工作人员")
    members = set(selectors.members_on(institution, held_on).visible_to(user).values_list("person_id", flat=True))
    if member_ids - members:
        raise ValidationError(f"有 {len(member_ids - members)} 人不是该机构 {held_on:%Y-%m-%d} 的在册会员")
    staff = set(institution.staff.values_list("pk", flat=True))
    if staff_ids - staff:
        raise ValidationError("所选工作人员不属于该机构")
    drill = Drill.objects.create(
        institution=institution, held_on=held_on, topic=topic, note=_text(note, "备注"), recorded_by=user
    )
    drill.members.set(member_ids)
    drill.staff.set(staff_ids)
    audit_write(
        action="care.drill.recorded",
        user=user,
        obj=drill,
        data={"institution": institution.code, "held_on": held_on, "members": len(member_ids), "staff": len(staff_ids)},
    )
    return drill


@transaction.atomic
def placement_create(
    *,
    user: User,
    person: Person,
    kind: str,
    started_on: datetime.date,
    institution: Institution | None = None,
    provider: str = "",
) -> Placement:
    """Place a severely disabled person in boarding care (at a 寄宿托养机构) or home care
    (by a named provider) from `started_on`."""
    if kind not in PlacementKind.values:
        raise ValidationError("请选择托养方式")
    _not_future(started_on, "开始日期")
    if institution is not None:
        require_in_scope(user, institution)
    placement = record_create(
        model=Placement,
        user=user,
        person=person,
        kind=kind,
        institution=institution if kind == PlacementKind.BOARDING else None,
        provider=_text(provider, "服务机构", 100),
        started_on=started_on,
    )
    audit_write(
        action="care.placement.created",
        user=user,
        obj=placement,
        data={"kind": kind, "provider": placement.provider_name, "started_on": started_on},
    )
    return placement


@transaction.atomic
def placement_end(*, user: User, placement: Placement, ended_on: datetime.date, reason: str = "") -> Placement:
    """End a placement on its last day `ended_on`."""
    _require(user, "care.change_placement", "结束托养安置")
    require_in_scope(user, placement)
    locked = Placement.objects.select_for_update().get(pk=placement.pk)
    require_in_scope(user, locked)
    if locked.voided_at is not None:
        raise ValidationError("该托养安置已作废")
    if locked.ended_on is not None:
        raise ValidationError(f"该托养安置已于 {locked.ended_on:%Y-%m-%d} 结束")
    if ended_on < locked.started_on:
        raise ValidationError(f"结束日期不能早于开始日期（{locked.started_on:%Y-%m-%d}）")
    _not_future(ended_on, "结束日期")
    locked.ended_on, locked.end_reason = ended_on, _text(reason, "结束原因")
    locked.save(update_fields=["ended_on", "end_reason"])
    audit_write(
        action="care.placement.ended", user=user, obj=locked, data={"ended_on": ended_on, "reason": locked.end_reason}
    )
    records_changed_once(Placement, ended_on.year, area=locked.area_code, day=ended_on)
    return locked


@transaction.atomic
def placement_void(*, user: User, placement: Placement, reason: str) -> Placement:
    """Void a placement entered by mistake (the record base's void, audited)."""
    return record_void(record=placement, user=user, reason=reason)
