"""Changes to the registry. Each function is atomic, checks jurisdiction, and leaves a
trail: field history through django-simple-history, dated events for state changes."""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import AccessLog, User
from accounts.services import access_log_write
from canlian.scoping import require_in_scope, scope_rechecked
from canlian.signals import records_changed
from registry.models import (
    EVENT_FIELD,
    STATUS_OF_EVENT,
    EventKind,
    Person,
    PersonEvent,
    Status,
)
from registry.signals import persons_moved

# Fields that change only through dated events once a person is registered, so that
# their value on any past date can be read back.
EVENT_MANAGED_FIELDS = ("status", "grade", "category", "economic_status", "certificate_valid_until")
# Plain fields that other apps' figures read (`Indicator.reads` of registry.Person) and the
# registry's own do not: living alone (独居) puts a person on outreach's watch, whose on-time
# share would otherwise wait for the nightly refresh after an edit.
READ_BY_OTHERS = ("lives_alone",)


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


@scope_rechecked
def person_create(*, user: User, data: dict) -> Person:
    """Register a person from validated data (a form's or an import row's)."""
    require_in_scope(user, data["area"].code if hasattr(data["area"], "code") else data["area"])
    person = Person(**data)
    person._history_user = user
    person.save()
    records_changed.send(sender=Person, source="registry", areas=[person.area_id])
    return person


@scope_rechecked
def person_update(*, user: User, person: Person, data: dict, change_reason: str = "") -> Person:
    """Edit the plain fields of a person. State fields change through `person_event_record`;
    the key fields (bank account, area, guardian) are edited here only by an approved change
    request (`registry.changes`), which names itself in `change_reason`. A person moved out
    of the editor's jurisdiction is refused once saved (`scope_rechecked`), and nothing of
    the edit is kept."""
    locked = Person.objects.select_for_update().get(pk=person.pk)
    require_in_scope(user, locked)
    person_area_before, id_number_before = locked.area_id, locked.id_number
    read_before = [getattr(locked, field) for field in READ_BY_OTHERS]
    for field, value in data.items():
        if field in EVENT_MANAGED_FIELDS:
            raise ValueError(f"{field} changes through an event, not an edit")
        setattr(locked, field, value)
    locked.certificate_number = certificate_number_for(locked, certificate_suffix(person))
    locked._history_user = user
    if change_reason:
        locked._change_reason = change_reason
    locked.save()
    moved, renumbered = locked.area_id != person_area_before, locked.id_number != id_number_before
    if moved:
        persons_moved.send(sender=Person, moves={locked.pk: locked.area_id})
    if moved or renumbered:
        # `areas`: the towns whose persons changed (both, after a move), for the indicators
        # of other apps over the persons (`Indicator.reads`).
        areas = [person_area_before, locked.area_id]
        records_changed.send(sender=Person, source="registry", ids_changed=renumbered, areas=areas)
    elif read_before != [getattr(locked, field) for field in READ_BY_OTHERS]:
        # A flag the registry's own figures do not count (no dated record of its changed:
        # `days` empty), read by other apps' figures over the persons of the town.
        records_changed.send(sender=Person, source="registry", ids_changed=False, areas=[locked.area_id], days=())
    return locked


def _validate_event(person: Person, kind: str, date: datetime.date, new_value: str) -> None:
    if person.status == Status.MERGED and kind != EventKind.MERGED:
        raise ValidationError("该人员已作为重复登记合并到另一人员，请在保留的人员上登记")
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


def person_event_record_held(**event: Any) -> tuple[PersonEvent, bool]:
    """`person_event_record` for a caller inside a transaction that holds `locked` (the
    person, read FOR UPDATE in it) and `chain` (the person's events of the kind's field, in
    date and id order): the imports (persons, comparison) read both for all their rows in a
    few statements (`persons_with_events`), not again for each row. Takes the arguments of
    `person_event_decide` and writes what it decides at once (`person_event_apply`). Both
    stay current: the person's fields change on `locked`, and a new event joins `chain` in
    its place. Nothing is written when it raises (ValidationError, PermissionDenied,
    OutOfScope)."""
    recorded, change = person_event_decide(**event)
    if change is None:
        return recorded, False
    person_event_apply(change)
    return recorded, True


# The columns of `registry_person` that recording an event can change.
EVENT_STATE_FIELDS = (*EVENT_MANAGED_FIELDS, "status_date", "certificate_number")


@dataclass
class PersonEventChange:
    """A new event decided by `person_event_decide` and not yet written: the event (no id
    until it is), the events of its chain whose old value it changed, the person (its fields
    already as the event leaves them) and those fields' values at that point, which its
    history record keeps even when a later event of the same import changes them again."""

    event: PersonEvent
    person: Person
    relinked: list[PersonEvent]
    state: dict[str, Any]
    change_reason: str


def _chain_order(event: PersonEvent) -> tuple:
    # An event not yet written goes after the written ones of its day, as the id it will
    # be given will.
    return (event.date, event.id is None, event.id or 0)


def person_event_decide(
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
) -> tuple[PersonEvent, PersonEventChange | None]:
    """The rule of `person_event_record`, in memory: check the event, place it in `chain`
    and bring `locked` in line, writing nothing. Returns (the event already
    recorded, None), or (the new event, its change) for `person_event_apply` (one at a
    time, as it is decided) or `person_events_write` (many at once, PostgreSQL). Raises
    ValidationError, PermissionDenied or OutOfScope; `locked` and `chain` are then as they
    were."""
    if check_scope and user is not None:
        require_in_scope(user, locked)
    new_value = event_new_value(kind, value)
    _validate_event(locked, kind, date, new_value)
    existing = next((e for e in chain if e.kind == kind and e.date == date and e.new_value == new_value), None)
    if existing:
        return existing, None

    field = EVENT_FIELD[kind]
    baseline = chain[0].old_value if chain else field_to_text(field, getattr(locked, field))
    before = baseline
    for earlier in chain:
        if earlier.date <= date:
            before = earlier.new_value
    if before == new_value:
        raise ValidationError(f"该人员在 {date:%Y-%m-%d} 已是此状态，无需登记")

    event = PersonEvent(
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
    chain.sort(key=_chain_order)
    relinked = []
    previous = baseline
    for item in chain:
        if item.old_value != previous:
            item.old_value = previous
            relinked.append(item)
        previous = item.new_value

    setattr(locked, field, text_to_field(field, previous))
    if field == "status":
        locked.status_date = None if previous == Status.ACTIVE else chain[-1].date
    if field in ("grade", "category"):
        locked.certificate_number = certificate_number_for(locked, certificate_suffix(locked))
    return event, PersonEventChange(
        event=event,
        person=locked,
        relinked=relinked,
        state={name: getattr(locked, name) for name in EVENT_STATE_FIELDS},
        # The kind's label without `get_kind_display`, which rebuilds its choices each call.
        change_reason=f"{EventKind(kind).label}（{date:%Y-%m-%d}）",
    )


def person_event_apply(change: PersonEventChange) -> None:
    """Write one decided event, right after `person_event_decide`: the event, the old values
    it changed in its chain, the person with a change record (its user and reason), and
    `records_changed` (the indicators' refresh)."""
    change.event.save()
    for item in change.relinked:
        item.save(update_fields=["old_value"])
    person = change.person
    person._history_user = change.event.created_by
    person._change_reason = change.change_reason
    person.save()
    # Any event: a status, a grade (the living-alone watch's interval), a category or an
    # economic status changes figures of the registry and of other apps over the persons.
    # No person is added and no ID number changes: receivers that match persons by their
    # number (rehab's children) need not look again for every event of an import.
    records_changed.send(sender=Person, source="registry", ids_changed=False, areas=[person.area_id])


def person_events_write(changes: list[PersonEventChange]) -> None:
    """PostgreSQL: write many decided events at once, with what `person_event_apply` writes
    for each of them (in the order they were decided): the events by one COPY, the old
    values they changed in their chains by one UPDATE, each event's state of its person by
    one COPY into a temp table, from which one UPDATE … FROM stores each person's last state
    and one INSERT … SELECT writes each event's change (`~`) record, and one
    `records_changed` for their towns. A reimport in which 1 in 10 persons died
    wrote 10,000 events one by one, each an insert, the person's update and its history
    record (~3 ms each; docs/performance.md, fix 20)."""
    if not changes:
        return
    quote = connection.ops.quote_name
    events = [change.event for change in changes]
    # The earlier events whose old value changed, each once, with its value after them all.
    relinked = {item.pk: item for change in changes for item in change.relinked if item.pk is not None}
    now = timezone.now()
    event_table = PersonEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [event_table, PersonEvent._meta.pk.column, len(events)],
        )
        for event, (pk,) in zip(events, cursor.fetchall(), strict=True):
            event.pk, event.created_at = pk, now
        event_fields = PersonEvent._meta.concrete_fields
        _rows_copy(
            cursor,
            event_table,
            [f.column for f in event_fields],
            ([getattr(event, f.attname) for f in event_fields] for event in events),
        )
        if relinked:
            cursor.execute(
                f"UPDATE {quote(event_table)} e SET old_value = r.old_value "
                "FROM unnest(%s::bigint[], %s::text[]) AS r(id, old_value) WHERE e.id = r.id",
                [list(relinked), [item.old_value for item in relinked.values()]],
            )
        _states_write(cursor, changes, now=now)
    for change in changes:
        change.person.updated_at = now
    areas = {change.person.area_id for change in changes}
    records_changed.send(sender=Person, source="registry", ids_changed=False, areas=areas)


def _rows_copy(cursor, table: str, columns: list[str], rows: Iterable[Sequence]) -> None:
    """PostgreSQL: `rows` into `table`'s `columns` by one COPY (text: psycopg writes each
    value as its type's text)."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


_STATES_TABLE = "registry_event_states"


def _states_write(cursor, changes: list[PersonEventChange], *, now: datetime.datetime) -> None:
    """The persons' state after each of `changes`, as `person_event_apply`'s saves leave
    them: each person's last state stored, and a change record of each state."""
    quote = connection.ops.quote_name
    person_table = quote(Person._meta.db_table)
    state = [Person._meta.get_field(name).column for name in EVENT_STATE_FIELDS]
    cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{_STATES_TABLE}")
    cursor.execute(
        f"CREATE TEMP TABLE {_STATES_TABLE} ON COMMIT DROP AS SELECT 0 AS seq, id AS person_id, "
        f"{', '.join(quote(c) for c in state)}, ''::text AS change_reason, 0::bigint AS user_id "
        f"FROM {person_table} WITH NO DATA"
    )
    _rows_copy(
        cursor,
        _STATES_TABLE,
        ["seq", "person_id", *state, "change_reason", "user_id"],
        (
            [
                seq,
                change.person.pk,
                *(change.state[name] for name in EVENT_STATE_FIELDS),
                change.change_reason,
                change.event.created_by_id,
            ]
            for seq, change in enumerate(changes)
        ),
    )
    assigned = ", ".join(f"{quote(c)} = s.{quote(c)}" for c in state)
    cursor.execute(
        f"UPDATE {person_table} p SET {assigned}, {quote('updated_at')} = %s FROM "
        f"(SELECT DISTINCT ON (person_id) * FROM {_STATES_TABLE} ORDER BY person_id, seq DESC) s "
        "WHERE p.id = s.person_id",
        [now],
    )
    if getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        record = {
            "history_date": ("%s", [now]),
            "history_change_reason": ("s.change_reason", []),
            "history_type": ("%s", ["~"]),
            "history_user_id": ("s.user_id", []),
        }
        targets, sources, params = history_select(
            record, lambda column: f"s.{quote(column)}" if column in state else f"p.{quote(column)}"
        )
        cursor.execute(
            f"INSERT INTO {quote(Person.history.model._meta.db_table)} ({targets}) "
            f"SELECT {sources} FROM {_STATES_TABLE} s JOIN {person_table} p ON p.id = s.person_id ORDER BY s.seq",
            params,
        )
    cursor.execute(f"DROP TABLE {_STATES_TABLE}")


def history_select(record: dict[str, tuple[str, list]], column: Callable[[str], str]) -> tuple[str, str, list]:
    """For an INSERT … SELECT of a person's history records: the history table's columns,
    the SELECT's expression of each — for the record's own fields (history_date, …) the
    SQL and parameters `record` gives, else `column` of the person's column of that name —
    and the parameters, in order."""
    quote = connection.ops.quote_name
    targets, sources, params = [], [], []
    for f in Person.history.model._meta.concrete_fields:
        if f.primary_key:
            continue
        targets.append(quote(f.column))
        sql, values = record.get(f.attname) or (column(f.column), [])
        sources.append(sql)
        params += values
    return ", ".join(targets), ", ".join(sources), params


def person_reveal(*, user: User, person: Person, **where) -> Person:
    """Give the full identifiers of a person to a user allowed to see them; logged, with
    `where` they were shown when it is not the person page (e.g. page="edit")."""
    if not user.has_perm("registry.reveal_identifiers"):
        raise PermissionDenied("您没有查看完整证件号的权限")
    access_log_write(user=user, action=AccessLog.Action.REVEAL, person=person, **where)
    return person
