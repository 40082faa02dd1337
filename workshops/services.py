"""What changes workshops: memberships, a month of work days and income, stock and sales.

Every service is atomic, checks the permission and the scope (`require_in_scope`, an
object outside it answers 404 as one that does not exist) and refuses bad input with a
Chinese `ValidationError`, writing nothing:

- `membership_start` / `membership_end`: a person joins a workshop (a person record,
  through `canlian.records.record_create`) and leaves it on a day (audited);
- `month_save`: a workshop's month saved as a whole (person id -> `Entry`): every person
  must be a member during the month, the month not after the current one, the work days
  0 to the days of the month, the income not negative; a changed row is a correction
  (audited with before and after). The import (`workshops.imports`) writes through the
  same `month_refusal`, `members_in_month`, `entry_refusal` and `rows_write`;
- `product_restock` and `sale_record`: stock goes up by what the workshop made and down
  by what it sold, never below zero (the product's row locked).
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from canlian.audit import audit_write
from canlian.records import SheetSaved, record_create, record_void, records_changed_once, sheet_write
from canlian.scoping import require_in_scope
from registry.models import Person, Status
from workshops import selectors
from workshops.models import Channel, Membership, Product, Project, Sale, WorkMonth, Workshop, month_end

NOTE_MAX = 200


def _require(user: User, perm: str, what: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied(f"您没有{what}的权限")


# Memberships -----------------------------------------------------------------------------


def membership_start(
    *, user: User, workshop: Workshop, person: Person, started_on: datetime.date, project: Project | None = None
) -> Membership:
    """The person joins the workshop (optionally one of its projects) on `started_on`."""
    require_in_scope(user, workshop)
    if project is not None and project.workshop_id != workshop.pk:
        raise ValidationError("所选项目不属于该车间")
    return record_create(
        model=Membership, user=user, person=person, workshop=workshop, project=project, started_on=started_on
    )


@transaction.atomic
def membership_end(*, user: User, membership: Membership, ended_on: datetime.date, note: str = "") -> Membership:
    """The member leaves on `ended_on` (their last day). Months entered after it refuse."""
    _require(user, "workshops.change_membership", "办理离开车间")
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    require_in_scope(user, locked)
    if locked.voided_at is not None:
        raise ValidationError("该成员登记已作废")
    if locked.ended_on is not None:
        raise ValidationError(f"该成员已于 {locked.ended_on:%Y-%m-%d} 离开车间")
    if ended_on > timezone.localdate():
        raise ValidationError("离开日期不能晚于今天")
    if ended_on < locked.started_on:
        raise ValidationError(f"离开日期不能早于进入车间日期（{locked.started_on:%Y-%m-%d}）")
    later = WorkMonth.objects.filter(
        workshop_id=locked.workshop_id, person_id=locked.person_id, month__gt=ended_on.replace(day=1)
    ).order_by("month")
    if first := later.first():
        raise ValidationError(f"该成员已登记 {first.month:%Y-%m} 的月报，离开日期不能早于该月")
    note = " ".join(note.split())
    if len(note) > NOTE_MAX:
        raise ValidationError(f"离开说明不能超过 {NOTE_MAX} 字")
    locked.ended_on, locked.end_note = ended_on, note
    locked.save(update_fields=["ended_on", "end_note"])
    audit_write(action="workshops.membership.ended", user=user, obj=locked, data={"ended_on": ended_on, "note": note})
    records_changed_once(Membership, ended_on.year, area=locked.area_code, day=ended_on)
    return locked


@transaction.atomic
def membership_void(*, user: User, membership: Membership, reason: str) -> Membership:
    """Void a membership entered by mistake; refused while months are entered for the
    person at the workshop within its period (they would be income paid to a non-member)."""
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    require_in_scope(user, locked)
    months = WorkMonth.objects.filter(
        workshop_id=locked.workshop_id, person_id=locked.person_id, month__gte=locked.started_on.replace(day=1)
    )
    if locked.ended_on is not None:
        months = months.filter(month__lte=locked.ended_on)
    if first := months.order_by("month").first():
        raise ValidationError(f"该成员已登记 {first.month:%Y-%m} 等月份的月报，不能作废；如已离开车间，请办理离开")
    return record_void(record=locked, user=user, reason=reason)


# A month of work days and income ---------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """A member's month: the days worked and the income paid (fen)."""

    work_days: int
    income_fen: int


MonthSaved = SheetSaved


def month_refusal(workshop: Workshop, month: datetime.date, today: datetime.date | None = None) -> str | None:
    """Why no month can be entered for `workshop`, or None."""
    today = today or timezone.localdate()
    if not workshop.is_active:
        return f"“{workshop.name}”已停用，不能登记月报"
    if month > today.replace(day=1):
        return f"{month:%Y-%m} 尚未到来，不能登记以后月份的工作天数和收入"
    return None


def members_in_month(user: User, workshop: Workshop, month: datetime.date) -> dict[int, Membership]:
    """The members of the workshop during `month` whom the user may see, by person."""
    rows = selectors.members_in_month(workshop, month).visible_to(user).select_related("person")
    return {m.person_id: m for m in rows}


def entry_refusal(membership: Membership, month: datetime.date, entry: Entry) -> str | None:
    """What is wrong with one member's month, or None."""
    person = membership.person
    days_in_month = month_end(month).day
    if entry.work_days < 0:
        return f"{person.name}的工作天数不能为负数"
    if entry.work_days > days_in_month:
        return f"{person.name}的工作天数 {entry.work_days} 超过 {month:%Y-%m} 的天数（{days_in_month} 天）"
    if entry.income_fen < 0:
        return f"{person.name}的收入不能为负数"
    if person.status != Status.ACTIVE and person.status_date and person.status_date < month:
        return f"{person.name}已于 {person.status_date:%Y-%m-%d} {person.get_status_display()}，不能登记此后的月报"
    return None


def rows_write(
    *, user: User, workshop: Workshop, month: datetime.date, entries: dict[Membership, Entry], result: MonthSaved
) -> None:
    """Write the checked entries of one workshop's month (its row locked by the caller):
    insert the new, update the changed (an audit entry with each change), count each."""
    changed = sheet_write(
        WorkMonth,
        user=user,
        key={"workshop": workshop, "month": month},
        day=month,
        entries={membership.person: (entry.work_days, entry.income_fen) for membership, entry in entries.items()},
        fields=("work_days", "income_fen"),
        result=result,
        change_perm="workshops.change_workmonth",
        refused="您没有更正车间月报的权限",
    )
    if changed:
        audit_write(
            action="workshops.month.corrected",
            user=user,
            obj=workshop,
            data={
                "month": f"{month:%Y-%m}",
                "changes": [
                    {"person": row.person_id, "before": list(was), "after": [row.work_days, row.income_fen]}
                    for was, row in changed
                ],
            },
        )


@transaction.atomic
def month_save(*, user: User, workshop: Workshop, month: datetime.date, entries: dict[int, Entry]) -> MonthSaved:
    """Save a workshop's month (person id -> `Entry`), all or nothing. A member left out
    keeps what they had (nothing, on a new month)."""
    _require(user, "workshops.add_workmonth", "登记车间月报")
    require_in_scope(user, workshop)
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    month = month.replace(day=1)
    if refusal := month_refusal(workshop, month):
        raise ValidationError(refusal)
    if not entries:
        raise ValidationError("没有要保存的月报")
    members = members_in_month(user, workshop, month)
    strangers = [pk for pk in entries if pk not in members]
    if strangers:
        # Named only when the user may see them all: a posted id of someone out of scope
        # must not bring back their name.
        names = list(Person.objects.visible_to(user).filter(pk__in=strangers[:5]).values_list("name", flat=True))
        who = "、".join(names) if len(names) == len(strangers) else f"{len(strangers)} 人"
        raise ValidationError(
            f"{who}在 {month:%Y-%m} 不是“{workshop.name}”的成员，不能登记工作天数和收入；本月月报未保存"
        )
    refusals = [r for pk, entry in entries.items() if (r := entry_refusal(members[pk], month, entry))]
    if refusals:
        raise ValidationError(refusals)
    result = MonthSaved()
    rows_write(
        user=user, workshop=workshop, month=month, entries={members[pk]: e for pk, e in entries.items()}, result=result
    )
    return result


# Stock and sales -------------------------------------------------------------------------


@transaction.atomic
def product_restock(*, user: User, product: Product, quantity: int) -> Product:
    """What the workshop made goes into stock."""
    _require(user, "workshops.restock_product", "登记产品入库")
    require_in_scope(user, product)
    if quantity <= 0:
        raise ValidationError("入库数量应为正整数")
    locked = Product.objects.select_for_update().get(pk=product.pk)
    locked.stock += quantity
    locked.save(update_fields=["stock"])
    audit_write(
        action="workshops.product.restocked",
        user=user,
        obj=locked,
        data={"quantity": quantity, "stock": locked.stock},
    )
    return locked


@transaction.atomic
def sale_record(
    *,
    user: User,
    workshop: Workshop,
    channel: str,
    sold_on: datetime.date,
    amount_fen: int,
    product: Product | None = None,
    quantity: int = 0,
    project: Project | None = None,
    note: str = "",
) -> Sale:
    """Record a sale. With a catalogue product, `quantity` (at least 1) leaves its stock,
    which may not go below zero; the sale takes the product's project."""
    _require(user, "workshops.add_sale", "登记销售")
    require_in_scope(user, workshop)
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if not workshop.is_active:
        raise ValidationError(f"“{workshop.name}”已停用，不能登记销售")
    if channel not in Channel.values:
        raise ValidationError("请选择销售渠道")
    if sold_on > timezone.localdate():
        raise ValidationError("销售日期不能晚于今天")
    if amount_fen < 0:
        raise ValidationError("销售金额不能为负数")
    if quantity < 0:
        raise ValidationError("数量不能为负数")
    note = " ".join(note.split())
    if len(note) > NOTE_MAX:
        raise ValidationError(f"备注不能超过 {NOTE_MAX} 字")
    if project is not None and project.workshop_id != workshop.pk:
        raise ValidationError("所选项目不属于该车间")
    if product is not None:
        product = Product.objects.select_for_update().get(pk=product.pk)
        if product.workshop_id != workshop.pk:
            raise ValidationError("所选产品不属于该车间")
        if quantity < 1:
            raise ValidationError("售出产品时请填写数量（至少 1）")
        if quantity > product.stock:
            raise ValidationError(
                f"“{product.name}”库存不足：现有 {product.stock}{product.unit}，本次售出 {quantity}{product.unit}"
            )
        product.stock -= quantity
        product.save(update_fields=["stock"])
        project = project or product.project
    sale = Sale.objects.create(
        workshop=workshop,
        project=project,
        product=product,
        channel=channel,
        sold_on=sold_on,
        quantity=quantity,
        amount_fen=amount_fen,
        note=note,
        recorded_by=user,
    )
    records_changed_once(Sale, sold_on.year, area=workshop.area_id, day=sold_on)
    return sale


@transaction.atomic
def sale_void(*, user: User, sale: Sale, reason: str) -> Sale:
    """Void a sale entered by mistake: it stops counting, and a catalogue product's
    quantity goes back into stock."""
    _require(user, "workshops.void_sale", "作废销售记录")
    locked = Sale.objects.select_for_update().get(pk=sale.pk)
    require_in_scope(user, locked)
    if locked.voided_at is not None:
        raise ValidationError(f"该销售记录已于 {timezone.localtime(locked.voided_at):%Y-%m-%d %H:%M} 作废")
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError("请填写作废原因")
    if len(reason) > NOTE_MAX:
        raise ValidationError(f"作废原因不能超过 {NOTE_MAX} 字")
    if locked.product_id is not None:
        product = Product.objects.select_for_update().get(pk=locked.product_id)
        product.stock += locked.quantity
        product.save(update_fields=["stock"])
    locked.voided_at, locked.voided_by, locked.void_reason = timezone.now(), user, reason
    locked.save(update_fields=["voided_at", "voided_by", "void_reason"])
    audit_write(
        action="workshops.sale.voided",
        user=user,
        obj=locked,
        data={"amount_fen": locked.amount_fen, "quantity": locked.quantity, "reason": reason},
    )
    records_changed_once(Sale, locked.sold_on.year, area=locked.workshop.area_id, day=locked.sold_on)
    return locked


def persons_moved_follow(sender, *, moves: dict[int, str], **kwargs) -> None:
    """A person who moved takes their months with them (memberships move through the
    record base), so the town now responsible sees their whole work history."""
    by_area: dict[str, list[int]] = {}
    for person_id, area_code in moves.items():
        by_area.setdefault(area_code, []).append(person_id)
    for area_code, person_ids in by_area.items():
        WorkMonth.objects.filter(person_id__in=person_ids).exclude(area_code=area_code).update(area_code=area_code)
