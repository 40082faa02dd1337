"""Records against a person: the base every service app's records share, and the two
services that write them.

A record (a rehabilitation service, a care visit, a job placement) is one dated fact about
one person, entered by a user of the person's town. `PersonRecord` gives it:

- `person`, a foreign key without a database constraint (persons are never deleted, and a
  record table is among the largest: the services write records for a locked, existing
  person), and no index of its own: each model's key or index starts with it;
- `area_code`, the person's community copied at write time, its `scope_field`, so lists
  and figures of a town are a prefix of it (docs/scaling.md) and `visible_to` comes from
  `canlian.scoping.ScopedQuerySet`;
- who recorded it and when; and the void (作废) with who, when and why: records are voided,
  never deleted or edited, so the row is its own audit trail, and `standing()` is what
  every list, export and figure reads.

A model declares `date_field` (the field holding the day the record is about) and
`follows_person`: whether its `area_code` moves with a person who moves to another
community (the new town then lists and counts it), or keeps the community of the day (the
old town's work stays the old town's). The base handles `registry.signals.persons_moved`
once for every model that follows.

`record_create` and `record_void` lock, check the permission (`<app>.add_<model>`,
`<app>.void_<model>`) and the scope, check the day against the person's registered life,
run the model's own rules (`clean()`), save, audit and send `records_changed` once per
transaction.
"""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.core import checks
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone

from canlian.scoping import ScopedQuerySet, require_in_scope, scope_rechecked
from canlian.signals import records_changed
from registry.models import Person, PersonEvent, Status
from registry.signals import persons_moved

STANDING = Q(voided_at__isnull=True)
# Fields the services fill in themselves; a caller cannot pass them.
WRITTEN_BY_THE_BASE = frozenset(
    {"person", "area_code", "recorded_by", "created_at", "voided_at", "voided_by", "void_reason"}
)
MOVE_CHUNK = 1000


def person_field(*, related_name: str) -> models.ForeignKey:
    """The person of a record; a model that wants its own reverse name redeclares `person`
    with this (e.g. `person.rehab_records`)."""
    return models.ForeignKey(
        "registry.Person",
        verbose_name="人员",
        on_delete=models.PROTECT,
        related_name=related_name,
        db_index=False,  # served by the model's key or index that starts with the person
        db_constraint=False,
    )


class PersonRecordQuerySet(ScopedQuerySet):
    def standing(self) -> "PersonRecordQuerySet":
        """The records not voided: every list, export and figure reads these (and a model's
        partial indexes, `condition=STANDING`, hold only them)."""
        return self.filter(STANDING)


class VoidColumns(models.Model):
    """The void (作废) of a row: who, when and why. A person record has them; so does a
    part of one that is voided on its own (a case's follow-up)."""

    voided_at = models.DateTimeField("作废时间", null=True, blank=True, editable=False)
    voided_by = models.ForeignKey(
        "accounts.User",
        verbose_name="作废人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    void_reason = models.CharField("作废原因", max_length=200, blank=True)

    class Meta:
        abstract = True


class PersonRecord(VoidColumns):
    person = person_field(related_name="%(app_label)s_%(class)ss")
    area_code = models.CharField("区划代码", max_length=12, editable=False)
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name="登记人", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = PersonRecordQuerySet.as_manager()
    scope_field, scope_person_field = "area_code", "person"
    # Declared by each model: the name of its DateField, and whether it moves town.
    date_field: str
    follows_person: bool = True

    class Meta:
        abstract = True

    def figure_days(self) -> set[datetime.date]:
        """The days by which this record is counted in the figures: its `date_field`'s, and
        a model's other dates an indicator counts it by (closed on, completed on) or of the
        rows that stop counting with it (a voided case's follow-ups). Voiding it recomputes
        those months only (`targets` incremental refresh)."""
        return figure_days_of(self)

    def duplicate_message(self) -> str:
        """The refusal when the record breaks one of the model's unique keys (a double entry)."""
        return f"该人员已有相同的{self._meta.verbose_name}，请勿重复登记"

    @classmethod
    def check(cls, **kwargs) -> list[checks.CheckMessage]:
        """A record model declares its date field, its void permission and a key or index
        that starts with the person (the person column has no index of its own)."""
        errors = super().check(**kwargs)
        opts = cls._meta
        try:
            dated = isinstance(opts.get_field(getattr(cls, "date_field", "")), models.DateField)
        except FieldDoesNotExist:
            dated = False
        if not dated:
            errors.append(
                checks.Error(f"{opts.label} declares no date_field naming a DateField", obj=cls, id="canlian.E101")
            )
        if f"void_{opts.model_name}" not in {codename for codename, _ in opts.permissions}:
            errors.append(
                checks.Error(f"{opts.label} declares no void_{opts.model_name} permission", obj=cls, id="canlian.E102")
            )
        keys = [index.fields for index in opts.indexes] + [
            constraint.fields for constraint in opts.constraints if isinstance(constraint, models.UniqueConstraint)
        ]
        if not any(fields and fields[0] in ("person", "-person") for fields in keys):
            errors.append(
                checks.Error(f"{opts.label} has no index or key starting with person", obj=cls, id="canlian.E103")
            )
        return errors


def record_models() -> list[type[PersonRecord]]:
    return [model for model in apps.get_models() if issubclass(model, PersonRecord)]


# The day of a record against the person's life ------------------------------------------


def _inactive_periods(person: Person) -> list[tuple[datetime.date, datetime.date | None, str]]:
    """(since, until, status) of each time the person's status events left them not active
    (dead, moved out, cancelled) until a restoration on `until` (None: not restored)."""
    return _periods(PersonEvent.objects.filter(person=person, field="status").order_by("date", "id"))


def _periods(events) -> list[tuple[datetime.date, datetime.date | None, str]]:
    """The inactive periods of one person's status events, in date order."""
    periods, since, label = [], None, ""
    for event in events:
        if event.new_value != Status.ACTIVE and since is None:
            since, label = event.date, Status(event.new_value).label
        elif event.new_value == Status.ACTIVE and since is not None:
            periods.append((since, event.date, label))
            since = None
    if since is not None:
        periods.append((since, None, label))
    return periods


def inactive_periods_of(person_ids) -> dict[int, list[tuple[datetime.date, datetime.date | None, str]]]:
    """The inactive periods of many persons in one query, for a bulk import that checks
    each row's day with `check_day_of_person(..., periods=)`: persons without a status
    event (most) are absent and have none."""
    events: dict[int, list] = {}
    person_ids = list(person_ids)
    for start in range(0, len(person_ids), MOVE_CHUNK):
        chunk = person_ids[start : start + MOVE_CHUNK]
        for event in PersonEvent.objects.filter(person__in=chunk, field="status").order_by("date", "id"):
            events.setdefault(event.person_id, []).append(event)
    return {person_id: _periods(chain) for person_id, chain in events.items()}


def check_day_of_person(person: Person, day: datetime.date, what: str, *, periods=None) -> None:
    """`day` lies in the person's certified, registered life: not in the future, not before
    birth or the certificate, not after a death, moving out or cancellation — the current
    one, or an earlier one until a restoration (the status events date them; the day of the
    event itself still counts, as the day of the restoration does). A bulk import passes
    the person's `periods` read for all its rows at once (`inactive_periods_of`)."""
    if day > datetime.date.today():
        raise ValidationError(f"{what}不能晚于今天")
    if day < person.birth_date:
        raise ValidationError(f"{what}不能早于出生日期（{person.birth_date:%Y-%m-%d}）")
    if person.certificate_issued and day < person.certificate_issued:
        raise ValidationError(f"{what}早于该人员的发证日期（{person.certificate_issued:%Y-%m-%d}）")
    # The current state first: a status set by an import carries its date but no event.
    if person.status != Status.ACTIVE and person.status_date and day > person.status_date:
        raise ValidationError(
            f"该人员已于 {person.status_date:%Y-%m-%d} {person.get_status_display()}，{what}不能晚于此日期"
        )
    for since, until, label in _inactive_periods(person) if periods is None else periods:
        if since < day and (until is None or day < until):
            back = f"，{until:%Y-%m-%d} 恢复正常" if until else ""
            raise ValidationError(f"该人员于 {since:%Y-%m-%d} {label}{back}，{what}不能在此期间")


# Signals and audit ----------------------------------------------------------------------


def figure_days_of(record, *fields: str, related: tuple[str, str] | None = None) -> set[datetime.date]:
    """The days of `record` in its `date_field` and `fields` (those set), and of its
    `related` rows (a reverse relation and its date field: a case's sessions)."""
    days = {getattr(record, name) for name in (type(record).date_field, *fields)}
    if related is not None:
        relation, field = related
        days.update(getattr(record, relation).values_list(field, flat=True))
    return {day for day in days if day is not None}


def records_changed_once(
    model: type[models.Model], year: int | None, *, area: str | None = None, day: datetime.date | None = None
) -> None:
    """Send `records_changed` for `model`'s records of `year`, once per transaction however
    many records it writes (a bulk import writes one per row); a rolled-back savepoint takes
    its mark with it, so the next write sends again.

    A caller that names the record's `area` code and `day` lets the receivers recompute only
    what was touched: the signal carries `areas` and `days`, sets that the later writes of
    the same transaction extend (a receiver reads them at the commit). Once a write names
    neither, the signal is sent again without them: the whole year changed."""
    key = (model._meta.label, year)
    mark = next(
        (
            callback
            for _, callback, _ in transaction.get_connection().run_on_commit
            if getattr(callback, "records_changed", None) == key
        ),
        None,
    )
    touched = area is not None and day is not None
    if mark is not None:
        if mark.areas is None:
            return  # the whole year is already sent
        if touched:
            mark.areas.add(area)
            mark.days.add(day)
            return
        mark.areas = mark.days = None
        records_changed.send(sender=model, source=model._meta.app_label, year=year)
        return

    def sent() -> None:
        """A mark in the transaction's commit callbacks; nothing to do at the commit."""

    sent.records_changed = key
    sent.areas, sent.days = ({area}, {day}) if touched else (None, None)
    transaction.on_commit(sent)
    if touched:
        records_changed.send(sender=model, source=model._meta.app_label, year=year, areas=sent.areas, days=sent.days)
    else:
        records_changed.send(sender=model, source=model._meta.app_label, year=year)


def void_action(model: type[PersonRecord]) -> str:
    """The audit action of voiding a `model` record: `<app>.record.voided`, or
    `<app>.<model>.voided` for the second and later record models of an app."""
    return getattr(model, "void_action", f"{model._meta.app_label}.record.voided")


def _audit_void(*, user, record: PersonRecord) -> None:
    """A void changes a standing record into one that counts nowhere: an audit entry. A
    record's creation is not audited: the row itself keeps who recorded it and when, and
    the record tables are the largest (no history twin, no audit row per record)."""
    from canlian.audit import audit_write

    audit_write(action=void_action(type(record)), user=user, obj=record, data={"reason": record.void_reason})


# The services ---------------------------------------------------------------------------


def _require_may(user, model: type[PersonRecord], action: str, verb: str) -> None:
    opts = model._meta
    if not user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}"):
        raise PermissionDenied(f"您没有{verb}{opts.verbose_name}的权限")


@scope_rechecked
def record_create(*, model: type[PersonRecord], user, person, **fields) -> PersonRecord:
    """Record one fact about a person: `fields` are the model's own, its `date_field`
    among them. The person is locked and read again, so the scope and the day are checked
    against the stored person, not the page's copy; the model's `clean()` adds its own
    rules; a broken unique key is refused with its `duplicate_message()`."""
    if passed := WRITTEN_BY_THE_BASE & fields.keys():
        raise TypeError(f"record_create writes {', '.join(sorted(passed))} itself")
    _require_may(user, model, "add", "登记")
    require_in_scope(user, person)
    person = Person.objects.select_for_update().get(pk=person.pk)
    require_in_scope(user, person)
    label = model._meta.get_field(model.date_field).verbose_name
    day = fields.get(model.date_field)
    if day is None:
        raise ValidationError(f"请填写{label}")
    check_day_of_person(person, day, label)
    record = model(person=person, area_code=person.area_id, recorded_by=user, **fields)
    record.clean()
    try:
        with transaction.atomic():
            record.save(force_insert=True)
    except IntegrityError:
        raise ValidationError(record.duplicate_message()) from None
    records_changed_once(model, day.year, area=record.area_code, day=day)
    return record


@transaction.atomic
def record_void(*, record: PersonRecord, user, reason: str) -> PersonRecord:
    """Void (作废) a mistaken record: it stops counting anywhere and keeps who voided it,
    when and why. The town the record is in decides (its `area_code`), as it recorded it."""
    model = type(record)
    _require_may(user, model, "void", "作废")
    locked = model._base_manager.select_for_update().get(pk=record.pk)
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
    _audit_void(user=user, record=locked)
    days = locked.figure_days() if hasattr(locked, "figure_days") else {getattr(locked, model.date_field)}
    for day in sorted(days):
        records_changed_once(model, day.year, area=locked.area_code, day=day)
    return locked


def persons_moved_follow(sender, *, moves: dict[int, str], **kwargs) -> None:
    """Receiver of `registry.signals.persons_moved`: the records of every model that
    follows the person take the new community (voided ones too, so a record keeps one
    town); the others keep the community of their day."""
    following = [model for model in record_models() if model.follows_person]
    if not following:
        return
    by_area: dict[str, list[int]] = {}
    for person_id, area_code in moves.items():
        by_area.setdefault(area_code, []).append(person_id)
    for model in following:
        for area_code, person_ids in by_area.items():
            for start in range(0, len(person_ids), MOVE_CHUNK):
                chunk = person_ids[start : start + MOVE_CHUNK]
                model._base_manager.filter(person_id__in=chunk).exclude(area_code=area_code).update(area_code=area_code)
        # Whose town counts them changed, for any year.
        records_changed_once(model, None)


persons_moved.connect(persons_moved_follow, dispatch_uid="canlian.records.persons_moved_follow")


# Sheets of marks -----------------------------------------------------------------------


@dataclass
class SheetSaved:
    """What saving a sheet (a centre's day of attendance, a workshop's month) did, per person."""

    created: int = 0
    changed: int = 0
    unchanged: int = 0

    @property
    def summary(self) -> str:
        parts = [f"新登记 {self.created} 人"]
        if self.changed:
            parts.append(f"更正 {self.changed} 人")
        if self.unchanged:
            parts.append(f"未变 {self.unchanged} 人")
        return "，".join(parts)


def sheet_write(
    model: type[models.Model],
    *,
    user,
    key: dict,
    day: datetime.date,
    entries: dict,
    fields: tuple[str, ...],
    result: SheetSaved,
    change_perm: str,
    refused: str,
) -> list[tuple[tuple, models.Model]]:
    """Write one sheet of `model` rows (the rows matching `key`, e.g. an institution and a
    day; the sheet's owner locked by the caller), whose figures are those of `day` (the
    sheet's day, or its month's first): `entries` maps a person to their values of
    `fields`; the new rows are inserted, the changed ones updated (who and when), each
    counted in `result`. A change needs `change_perm` (else PermissionDenied(`refused`)).
    Returns the changed rows with their values before, for the caller's history and audit."""
    held = {
        row.person_id: row
        for row in model.objects.select_for_update().filter(**key, person__in=[person.pk for person in entries])
    }
    now = timezone.now()
    new, changed = [], []
    for person, values in entries.items():
        before = held.get(person.pk)
        if before is None:
            named = dict(zip(fields, values, strict=True))
            new.append(model(**key, person_id=person.pk, area_code=person.area_id, recorded_by=user, **named))
            continue
        was = tuple(getattr(before, name) for name in fields)
        if was == tuple(values):
            result.unchanged += 1
            continue
        for name, value in zip(fields, values, strict=True):
            setattr(before, name, value)
        before.changed_by, before.changed_at = user, now
        changed.append((was, before))
    if changed and not user.has_perm(change_perm):
        raise PermissionDenied(refused)
    model.objects.bulk_create(new, batch_size=500)
    model.objects.bulk_update([row for _, row in changed], [*fields, "changed_by", "changed_at"], batch_size=500)
    result.created += len(new)
    result.changed += len(changed)
    # The day's figures of the persons' towns only.
    for area in sorted({row.area_code for row in (*new, *(row for _, row in changed))}):
        records_changed_once(model, day.year, area=area, day=day)
    return changed
