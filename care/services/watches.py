"""Smart location watches (智能定位手表): issuing one to a member, and its return or loss.

`watch_issue` finds the device by its serial number (registering a new one), locks it,
and records the issue through `canlian.records.record_create`: the member's lock, scope
and day; a member with an active watch, or a device with another member, is refused
(the two partial unique keys hold it in the database too). `watch_end` records the day
it came back or was lost, audited. `watch_void` voids an issue entered by mistake (作废,
with a reason, audited): the member and the device are free for the right one.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from canlian.audit import audit_write
from canlian.records import record_create, record_void, records_changed_once
from canlian.scoping import require_in_scope
from care.models import WatchDevice, WatchEnd, WatchIssue
from care.models.cases import ACTIVE_WATCH
from registry.models import Person


def _require(user: User, perm: str, what: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied(f"您没有{what}的权限")


def active_watch(person: Person) -> WatchIssue | None:
    return WatchIssue.objects.standing().filter(ACTIVE_WATCH, person=person).select_related("device").first()


@transaction.atomic
def watch_issue(
    *,
    user: User,
    person: Person,
    serial: str,
    model_name: str,
    sim_number: str,
    monthly_fee_fen: int,
    issued_on: datetime.date,
) -> WatchIssue:
    """Issue the watch `serial` to `person` from `issued_on` under a contract of
    `monthly_fee_fen` fen a month."""
    _require(user, "care.add_watchissue", "发放定位手表")
    require_in_scope(user, person)
    serial, model_name, sim_number = serial.strip(), model_name.strip(), sim_number.strip()
    if not serial:
        raise ValidationError("请填写设备序列号")
    if monthly_fee_fen is None or monthly_fee_fen < 0:
        raise ValidationError("服务月费应为不小于 0 的金额")
    device = WatchDevice.objects.select_for_update().filter(serial=serial).first()
    if device is None:
        if not model_name:
            raise ValidationError("新登记的手表请填写型号")
        device = WatchDevice.objects.create(serial=serial, model_name=model_name, sim_number=sim_number)
    elif sim_number and sim_number != device.sim_number:
        device.sim_number = sim_number  # a new SIM card in a returned watch
        device.save(update_fields=["sim_number"])
    if WatchIssue.objects.standing().filter(ACTIVE_WATCH, device=device).exists():
        raise ValidationError(f"序列号为 {serial} 的手表正由其他会员使用，请先登记归还或遗失")
    current = active_watch(person)
    if current is not None:
        raise ValidationError(
            f"该人员已有一只在用的定位手表（序列号 {current.device.serial}，{current.issued_on:%Y-%m-%d} 发放）；"
            "每人只能有一只在用的手表，请先登记归还或遗失"
        )
    return record_create(
        model=WatchIssue, user=user, person=person, device=device, issued_on=issued_on, monthly_fee_fen=monthly_fee_fen
    )


@transaction.atomic
def watch_end(*, user: User, issue: WatchIssue, ended_on: datetime.date, end: str, note: str = "") -> WatchIssue:
    """The watch came back (`returned`) or was lost (`lost`) on `ended_on`."""
    _require(user, "care.change_watchissue", "登记手表归还或遗失")
    require_in_scope(user, issue)
    locked = WatchIssue.objects.select_for_update().select_related("device").get(pk=issue.pk)
    require_in_scope(user, locked)
    if locked.voided_at is not None:
        raise ValidationError("该发放登记已作废")
    if locked.ended_on is not None:
        raise ValidationError(f"该手表已于 {locked.ended_on:%Y-%m-%d} {locked.get_end_display()}")
    if end not in WatchEnd.values:
        raise ValidationError("请选择归还或遗失")
    if ended_on > timezone.localdate():
        raise ValidationError("归还或遗失日期不能晚于今天")
    if ended_on < locked.issued_on:
        raise ValidationError(f"归还或遗失日期不能早于发放日期（{locked.issued_on:%Y-%m-%d}）")
    locked.ended_on, locked.end, locked.end_note = ended_on, end, note.strip()[:200]
    locked.save(update_fields=["ended_on", "end", "end_note"])
    audit_write(
        action=f"care.watch.{end}",
        user=user,
        obj=locked,
        data={"serial": locked.device.serial, "ended_on": ended_on, "note": locked.end_note},
    )
    records_changed_once(WatchIssue, ended_on.year, area=locked.area_code, day=ended_on)
    return locked


@transaction.atomic
def watch_void(*, user: User, issue: WatchIssue, reason: str) -> WatchIssue:
    """Void a watch issue entered by mistake: it leaves the watch list, the fees and the
    person's timeline, and the member shows again among those eligible without one."""
    return record_void(record=issue, user=user, reason=reason)
