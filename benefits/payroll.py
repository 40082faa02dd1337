"""The monthly payroll: generate a draft batch set-based, approve it (by someone else),
and export it for the bank.

A payment line covers, for one person, every month from the first unpaid month of their
award up to the batch month in which they were eligible, each at that month's rate. The
first unpaid month is the month after the last paid month of the scheme to that person
(in an earlier batch), or the award's start. Months are inserted with one INSERT … SELECT
per calendar month (usually just one: the batch month), never a Python loop over persons.

A month is in one batch only (`PaymentMonth`'s unique constraint): a draft holds its months,
so a later batch does not take them, and approving a batch changes the batch row alone: it
adds a row per person (`Payee`) that freezes whom the bank pays, and no line is rewritten."""

import datetime
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from benefits.exports import yuan
from benefits.models import Award, Payee, PaymentMonth, PayrollBatch, Rate, Scheme, SchemeKind
from benefits.months import add_months, month_label, month_range
from benefits.rules import scheme_filter
from canlian.audit import audit_write
from canlian.scoping import require_district
from canlian.signals import records_changed
from registry.models import Person

# A batch covers every town: generating, approving and exporting it are the district's,
# checked here so that the pages, the commands and the tasks refuse alike.
DISTRICT_ONLY = "发放批次覆盖全区，只有区级用户可以执行此操作"


class PayrollError(Exception):
    """A payroll action that cannot be done; the message is for the officer, in Chinese."""


def _paid_batches(scheme: Scheme, batch_month: datetime.date) -> list[int]:
    """The paid batches of the scheme for months before `batch_month`: what a batch for
    `batch_month` builds on. A short list (one a month), so a line's batch is tested against
    it in place, not joined per line."""
    batches = PayrollBatch.objects.filter(scheme=scheme, month__lt=batch_month)
    return list(batches.exclude(state=PayrollBatch.State.DRAFT).values_list("pk", flat=True))


def _paid_in(scheme: Scheme, batches: list[int]):
    """Months of the scheme paid by `batches`, per person (the outer query's `person_id`)."""
    return PaymentMonth.objects.filter(scheme=scheme, person=OuterRef("person_id"), batch__in=batches)


def _owed_in(scheme: Scheme, paid_batches: list[int], month: datetime.date) -> Q:
    """An award's person is owed `month` unless a batch (draft or not) holds that month, or
    an earlier batch (`paid_batches`) paid a later month: months before the last paid one
    are never revisited (a month skipped then was not owed). One index probe."""
    taken = PaymentMonth.objects.filter(scheme=scheme, person=OuterRef("person_id"), month__gte=month).filter(
        Q(month=month) | Q(batch__in=paid_batches)
    )
    return ~Q(Exists(taken))


def rate_case(scheme: Scheme, month: datetime.date) -> Case | None:
    """The amount (fen) of each award's variant in `month`, as an SQL CASE."""
    latest: dict[str, Rate] = {}
    for rate in scheme.rates.filter(valid_from__lte=month).order_by("valid_from"):
        latest[rate.variant] = rate
    if not latest:
        return None
    return Case(
        *[When(variant=variant, then=Value(rate.amount_fen)) for variant, rate in latest.items()],
        default=None,
        output_field=IntegerField(),
    )


def insert_select(model, columns: list[str], queryset) -> int:
    """INSERT INTO model (columns) SELECT … — the queryset must select exactly `columns`,
    in order, as annotations named `_<column>`.

    A row that a unique constraint refuses is skipped: the queryset already leaves out
    months a batch holds, so this only happens when another batch's generation, running
    at the same time, took the month first (the insert waits for it to commit)."""
    sql, params = queryset.query.sql_with_params()
    quote = connection.ops.quote_name
    names = ", ".join(quote(model._meta.get_field(c).column) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(model._meta.db_table)} ({names}) {sql} ON CONFLICT DO NOTHING", params)
        return cursor.rowcount


def _insert_month(batch: PayrollBatch, month: datetime.date, paid_batches: list[int]) -> int:
    scheme = batch.scheme
    amount = rate_case(scheme, month)
    if amount is None:
        return 0
    covering = Q(start_month__lte=month) & (Q(end_month__isnull=True) | Q(end_month__gte=month))
    # An ended award and a later one may both cover a month (a new application dated
    # before the old award's end): pay the month once, under the earliest award.
    earlier = Award.objects.filter(covering, scheme=scheme, person=OuterRef("person_id"), pk__lt=OuterRef("pk"))
    due = (
        Award.objects.filter(covering, scheme=scheme)
        # In the order of the unique index (person, scheme, month): each index page is
        # written once, not once per line at random (2–3× faster at 10^6 persons).
        .order_by("person_id")
        .filter(_owed_in(scheme, paid_batches, month))
        .filter(~Exists(earlier))
        # Eligibility is evaluated on the due awards' persons only, not the whole registry.
        .filter(scheme_filter(scheme, month, person="person"))
        .annotate(_amount=amount)
        .filter(_amount__isnull=False)
    )
    columns = ["batch", "scheme", "person", "award", "area_code", "month", "amount_fen"]
    selected = due.annotate(
        _batch=Value(batch.pk, output_field=IntegerField()),
        _scheme=Value(scheme.pk, output_field=IntegerField()),
        _person=F("person_id"),
        _award=F("pk"),
        # The person's area today, not the award's when granted: a person who moved to
        # another town is paid, and seen, by that town.
        _area_code=F("person__area_id"),
        _month=Value(month),
        _amount_fen=F("_amount"),
    ).values(*[f"_{c}" for c in columns])
    return insert_select(PaymentMonth, columns, selected)


def payroll_generate(
    *,
    scheme: Scheme,
    month: datetime.date,
    user,
    progress: Callable[[int, int], None] | None = None,
) -> PayrollBatch:
    """Generate (or regenerate) the draft batch of `scheme` for `month`, prepared by `user`."""
    if not user.has_perm("benefits.prepare_payroll"):
        raise PermissionDenied("您没有编制发放批次的权限")
    require_district(user, DISTRICT_ONLY)
    if scheme.kind != SchemeKind.MONTHLY:
        raise PayrollError(f"{scheme.name} 不是按月发放的项目，不能编制月度发放批次")
    if month > datetime.date.today().replace(day=1):
        raise PayrollError(f"不能编制未来月份 {month_label(month)} 的发放批次")

    def fill(batch: PayrollBatch) -> None:
        paid_batches = _paid_batches(scheme, month)
        months = month_range(_earliest_unpaid(scheme, month, paid_batches), month)
        for done, m in enumerate(months, start=1):
            _insert_month(batch, m, paid_batches)
            if progress:
                progress(done, len(months))

    return batch_regenerate(
        scheme=scheme, month=month, user=user, label=f"{scheme.name} {month_label(month)}", fill=fill
    )


def batch_regenerate(
    *, scheme: Scheme, month: datetime.date, user, label: str, fill: Callable[[PayrollBatch], None]
) -> PayrollBatch:
    """Generate, or generate again, the draft batch of `scheme` for `month`: lock it, refuse
    if it is approved (`label` names it for the officer), empty it, let `fill` insert its
    lines, and total them. The monthly payroll and the annual and one-off grants share it."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # One statement over every award: let its sorts and hashes stay in memory
                # (the default 4 MB spilled the sort of 525,000 lines to disk at 10^6).
                cursor.execute("SET LOCAL work_mem = '64MB'")
        batch, _ = PayrollBatch.objects.get_or_create(scheme=scheme, month=month, defaults={"prepared_by": user})
        # The row lock serialises two generations of the same batch.
        batch = PayrollBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.state != PayrollBatch.State.DRAFT:
            raise PayrollError(f"{label} 的批次已审核，不能重新生成")
        batch.months.all().delete()
        fill(batch)
        totals = batch.months.aggregate(
            persons=Count("person", distinct=True), months=Count("id"), total=Coalesce(Sum("amount_fen"), 0)
        )
        batch.prepared_by = user
        batch.generated_at = timezone.now()
        batch.version += 1
        batch.person_count, batch.month_count, batch.total_fen = totals["persons"], totals["months"], totals["total"]
        batch.save()
        audit_write(action="benefits.batch.generated", user=user, obj=batch, data={"label": label, **totals})
    return batch


def _earliest_unpaid(scheme: Scheme, month: datetime.date, paid_batches: list[int]) -> datetime.date:
    """A lower bound of the months a batch of `month` may owe. A person paid last month by
    last month's batch owes at most `month`: those are read in one pass over that batch's
    lines, which lie together on disk. Only the other awards — new ones, and ones with a gap —
    are asked for their first unpaid month (one backward index probe each): the month after
    their last paid one, or their start if never paid. Months before an award's own first
    unpaid month insert nothing for it."""
    previous = add_months(month, -1)
    last_batch = PayrollBatch.objects.filter(pk__in=paid_batches, month=previous).values_list("pk", flat=True).first()
    steady = PaymentMonth.objects.filter(batch=last_batch, month=previous)
    horizon = Least(Coalesce("end_month", Value(previous)), Value(previous), output_field=DateField())
    never = datetime.date(1, 1, 1)  # "never paid", so the probe is written once in the filter
    last_paid = Coalesce(Subquery(_paid_in(scheme, paid_batches).order_by("-month").values("month")[:1]), Value(never))
    stale = (
        Award.objects.filter(scheme=scheme, start_month__lte=month)
        .exclude(person__in=steady.values("person_id"))
        .annotate(_last=last_paid, _horizon=horizon)
        .filter(_last__lt=F("_horizon"))
    )
    found = stale.aggregate(
        never_paid=Min("start_month", filter=Q(_last=never)), last_paid=Min("_last", filter=Q(_last__gt=never))
    )
    candidates = [month]
    if found["never_paid"]:
        candidates.append(found["never_paid"])
    if found["last_paid"]:
        candidates.append(add_months(found["last_paid"], 1))
    return min(candidates)


@transaction.atomic
def payroll_approve(*, batch: PayrollBatch, user, version: int) -> PayrollBatch:
    """Approve a draft batch: its months become paid, and its payees' name, bank and
    account are frozen for the bank file. Never by the one who prepared it, and only the
    draft `version` the reviewer saw: a draft generated again since is refused."""
    if not user.has_perm("benefits.approve_payroll"):
        raise PermissionDenied("您没有审核发放批次的权限")
    require_district(user, DISTRICT_ONLY)
    batch = PayrollBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.state != PayrollBatch.State.DRAFT:
        raise PayrollError(f"{batch} 已审核，不能重复审核")
    if batch.prepared_by_id == user.pk:
        raise PayrollError("审核人不能是制表人：请由另一位审核员审核")
    if batch.version != version:
        raise PayrollError(
            f"{batch} 的草稿在您查看后已重新生成（现为 {batch.person_count} 人，"
            f"合计 {yuan(batch.total_fen)} 元），未审核：请核对新的草稿后再审核"
        )
    _payees_freeze(batch)
    # Its months are paid from now on: a month is in one batch only (PaymentMonth), so
    # approving touches this row alone, however many lines the batch has.
    batch.state = PayrollBatch.State.APPROVED
    batch.approved_by = user
    batch.approved_at = timezone.now()
    batch.save(update_fields=["state", "approved_by", "approved_at"])
    audit_write(action="benefits.batch.approved", user=user, obj=batch, data={"total_fen": batch.total_fen})
    # Only its month's figures (every town's) and the year's change: a partial refresh.
    records_changed.send(sender=PayrollBatch, source="payroll", year=batch.month.year, areas=None, days={batch.month})
    return batch


def _payees_freeze(batch: PayrollBatch) -> int:
    """One `Payee` per person of the batch, with their name, bank and account now: one
    INSERT … SELECT of narrow rows, in person order, the lines only read."""
    persons = (
        Person.objects.filter(Exists(PaymentMonth.objects.filter(batch=batch, person=OuterRef("pk"))))
        .order_by("pk")
        .annotate(
            _batch=Value(batch.pk, output_field=IntegerField()),
            _person=F("pk"),
            _name=F("name"),
            _bank_name=F("bank_name"),
            _bank_account=F("bank_account"),
        )
    )
    columns = ["batch", "person", "name", "bank_name", "bank_account"]
    return insert_select(Payee, columns, persons.values(*[f"_{c}" for c in columns]))


def payees_changed(batch: PayrollBatch, persons):
    """The payees of `batch` among `persons` (a user's visible persons) whose name, bank or
    account in the registry differs from the one frozen at approval: the bank file pays
    the frozen one, so the reviewer must see who changed since."""
    return (
        batch.payees.filter(person__in=persons)
        .exclude(name=F("person__name"), bank_name=F("person__bank_name"), bank_account=F("person__bank_account"))
        .select_related("person")
        .order_by("person__area_id", "person__id_number")
    )


@transaction.atomic
def payroll_mark_exported(*, batch: PayrollBatch, user) -> PayrollBatch:
    require_district(user, DISTRICT_ONLY)
    batch = PayrollBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.state == PayrollBatch.State.DRAFT:
        raise PayrollError("草稿批次不能导出银行文件，请先审核")
    if batch.state == PayrollBatch.State.APPROVED:
        batch.state = PayrollBatch.State.EXPORTED
        batch.exported_at = timezone.now()
        batch.save(update_fields=["state", "exported_at"])
        audit_write(action="benefits.batch.exported", user=user, obj=batch)
    return batch


def payment_lines(batch: PayrollBatch, *, scope: Q | None = None, with_bank: bool = False):
    """One line per person: amount, months covered, first and last month; sorted by ID.
    `scope` narrows the months (a user's jurisdiction over `area_code`); `with_bank` adds
    the payee's name, bank and account frozen at approval (`Payee`), for the bank file."""
    fields = ["person_id", "person__id_number", "person__name", "area_code"]
    months = batch.months.all() if scope is None else batch.months.filter(scope)
    if with_bank:
        # The filter's join to the batch's payees is the one the values below read.
        months = months.filter(person__payees__batch=batch)
        fields += ["person__payees__name", "person__payees__bank_name", "person__payees__bank_account"]
    return (
        months.values(*fields)
        .annotate(amount_fen=Sum("amount_fen"), months=Count("id"), first=Min("month"), last=Max("month"))
        .order_by("person__id_number")
    )
