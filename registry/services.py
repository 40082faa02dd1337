"""Changes to the registry. Each function is atomic, checks jurisdiction, and leaves a
trail: field history through django-simple-history, dated events for state changes."""

import datetime
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import AccessLog, User
from accounts.services import access_log_write
from canlian.scoping import require_in_scope
from canlian.signals import records_changed
from registry.models import (
    EVENT_FIELD,
    STATUS_OF_EVENT,
    Person,
    PersonEvent,
    Status,
)
from registry.signals import persons_moved

# Fields that change only through dated events once a person is registered, so that
# their value on any past date can be read back.
EVENT_MANAGED_FIELDS = ("status", "grade", "category", "economic_status", "certificate_valid_until")


def certificate_number_for(person: Person, suffix: str = "") -> str:
    return f"{person.id_number}{person.category}{person.grade}{suffix}"


def certificate_suffix(person: Person) -> str:
    return person.certificate_number[20:]


def field_to_text(field: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def text_to_field(field: str, text: str):
    if field in ("grade", "category"):
        return int(text)
    if field == "certificate_valid_until":
        return datetime.date.fromisoformat(text) if text else None
    return text


@transaction.atomic
def person_create(*, user: User, data: dict) -> Person:
    """Register a person from validated data (a form's or an import row's)."""
    require_in_scope(user, data["area"].code if hasattr(data["area"], "code") else data["area"])
    person = Person(**data)
    person._history_user = user
    person.save()
    records_changed.send(sender=Person, source="registry")
    return person


@transaction.atomic
def person_update(*, user: User, person: Person, data: dict) -> Person:
    """Edit the plain fields of a person. State fields change through `person_event_record`."""
    locked = Person.objects.select_for_update().get(pk=person.pk)
    require_in_scope(user, locked)
    person_area_before, id_number_before = locked.area_id, locked.id_number
    for field, value in data.items():
        if field in EVENT_MANAGED_FIELDS:
            raise ValueError(f"{field} changes through an event, not an edit")
        setattr(locked, field, value)
    # A moved record must stay inside the editor's jurisdiction (NetBox's re-check): the
    # new area is checked, not the row, which the database still holds in the old one.
    require_in_scope(user, locked.area_id)
    locked.certificate_number = certificate_number_for(locked, certificate_suffix(person))
    locked._history_user = user
    locked.save()
    moved, renumbered = locked.area_id != person_area_before, locked.id_number != id_number_before
    if moved:
        persons_moved.send(sender=Person, moves={locked.pk: locked.area_id})
    if moved or renumbered:
        records_changed.send(sender=Person, source="registry", ids_changed=renumbered)
    return locked


def _validate_event(person: Person, kind: str, date: datetime.date, new_value: str) -> None:
    today = datetime.date.today()
    if date > today:
        raise ValidationError("生效日期不能晚于今天")
    if date < person.birth_date:
        raise ValidationError("生效日期不能早于出生日期")
    field = EVENT_FIELD[kind]
    if field == "grade" and new_value not in {"1", "2", "3", "4"}:
        raise ValidationError("新等级应为一级至四级")
    if field == "category" and new_value not in {str(i) for i in range(1, 8)}:
        raise ValidationError("新类别应为 1–7")
    if field == "economic_status":
        from registry.models import EconomicStatus

        if new_value not in EconomicStatus.values:
            raise ValidationError("经济状况应为 无、低保、低保边缘 或 特困")
    if field == "certificate_valid_until" and new_value:
        try:
            datetime.date.fromisoformat(new_value)
        except ValueError:
            raise ValidationError("新有效期不是有效日期") from None


def event_new_value(kind: str, value) -> str:
    if kind in STATUS_OF_EVENT:
        return STATUS_OF_EVENT[kind]
    return field_to_text(EVENT_FIELD[kind], value)


@transaction.atomic
def person_event_record(
    *,
    user: User | None,
    person: Person,
    kind: str,
    date: datetime.date,
    value=None,
    reason: str = "",
    source: str = "手工录入",
    check_scope: bool = True,
) -> tuple[PersonEvent, bool]:
    """Record a dated state change and bring the person's current state in line with the
    ordered chain of events. Returns (event, created); recording the same event twice
    changes nothing the second time."""
    locked = Person.objects.select_for_update().get(pk=person.pk)
    chain = list(PersonEvent.objects.filter(person=locked, field=EVENT_FIELD[kind]).order_by("date", "id"))
    return person_event_record_held(
        user=user,
        locked=locked,
        chain=chain,
        kind=kind,
        date=date,
        value=value,
        reason=reason,
        source=source,
        check_scope=check_scope,
    )


def persons_with_events(
    ids: list[int], *, lock: bool
) -> tuple[dict[int, Person], dict[tuple[int, str], list[PersonEvent]]]:
    """The persons `ids` (read FOR UPDATE, in id order, if `lock`) and their events by
    (person, field) in date and id order, 1,000 persons a statement: what
    `person_event_record_held` takes, for many persons at once. A (person, field) with no
    event yet gets its list when first asked for."""
    persons: dict[int, Person] = {}
    chains: dict[tuple[int, str], list[PersonEvent]] = defaultdict(list)
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), 1000):
        chunk = ordered[start : start + 1000]
        rows = Person.objects.filter(pk__in=chunk).order_by("pk")
        persons.update((person.pk, person) for person in (rows.select_for_update() if lock else rows))
        for event in PersonEvent.objects.filter(person_id__in=chunk).order_by("date", "id"):
            chains[(event.person_id, event.field)].append(event)
    return persons, chains


def person_event_record_held(
    *,
    user: User | None,
    locked: Person,
    chain: list[PersonEvent],
    kind: str,
    date: datetime.date,
    value=None,
    reason: str = "",
    source: str = "手工录入",
    check_scope: bool = True,
) -> tuple[PersonEvent, bool]:
    """`person_event_record` for a caller inside a transaction that holds `locked` (the
    person, read FOR UPDATE in it) and `chain` (the person's events of the kind's field, in
    date and id order): the imports (persons, comparison) read both for all their rows in a
    few statements (`persons_with_events`), not again for each row. Both stay current: the
    person's fields change on `locked`, and a new event joins `chain` in its place. Nothing
    is written when it raises (ValidationError, PermissionDenied, OutOfScope)."""
    if check_scope and user is not None:
        require_in_scope(user, locked)
    new_value = event_new_value(kind, value)
    _validate_event(locked, kind, date, new_value)
    existing = next((e for e in chain if e.kind == kind and e.date == date and e.new_value == new_value), None)
    if existing:
        return existing, False

    field = EVENT_FIELD[kind]
    baseline = chain[0].old_value if chain else field_to_text(field, getattr(locked, field))
    before = baseline
    for earlier in chain:
        if earlier.date <= date:
            before = earlier.new_value
    if before == new_value:
        raise ValidationError(f"该人员在 {date:%Y-%m-%d} 已是此状态，无需登记")

    event = PersonEvent.objects.create(
        person=locked,
        area_code=locked.area_id,
        kind=kind,
        field=field,
        date=date,
        new_value=new_value,
        old_value=before,
        reason=reason,
        source=source,
        created_by=user,
    )
    chain.append(event)
    chain.sort(key=lambda e: (e.date, e.id))
    previous = baseline
    for item in chain:
        if item.old_value != previous:
            item.old_value = previous
            item.save(update_fields=["old_value"])
        previous = item.new_value

    setattr(locked, field, text_to_field(field, previous))
    if field == "status":
        locked.status_date = None if previous == Status.ACTIVE else chain[-1].date
    if field in ("grade", "category"):
        locked.certificate_number = certificate_number_for(locked, certificate_suffix(locked))
    locked._history_user = user
    locked._change_reason = f"{event.get_kind_display()}（{date:%Y-%m-%d}）"
    locked.save()
    if field == "status":
        # No person is added and no ID number changes: receivers that match persons by
        # their number (rehab's children) need not look again for every event of an import.
        records_changed.send(sender=Person, source="registry", ids_changed=False)
    return event, True


def person_reveal(*, user: User, person: Person, **where) -> Person:
    """Give the full identifiers of a person to a user allowed to see them; logged, with
    `where` they were shown when it is not the person page (e.g. page="edit")."""
    if not user.has_perm("registry.reveal_identifiers"):
        raise PermissionDenied("您没有查看完整证件号的权限")
    access_log_write(user=user, action=AccessLog.Action.REVEAL, person=person, **where)
    return person
