"""Likely duplicates (疑似重复) that the unique ID number cannot catch, and their merge.

The check (`duplicates_find`) is a few set-based statements over the whole registry, one per
reason: the keys the reason compares grouped once (GROUP BY … HAVING count(*) > 1), then
only the persons of the shared keys paired with each other (no Python loop over persons,
no self-join of the whole table), upserted into
`DuplicatePair` keyed on (person_a, person_b) with person_a the lower id. A pair keeps its
decision across runs: one marked not a duplicate (不是重复) is never listed again, a merged
one stays as the record of the merge; an open pair that a run no longer finds (a name was
corrected) is dropped.

A merge (`persons_merge`) moves every row that names the merged person to the kept one,
whatever app it belongs to: the relations are found from the models' `_meta`
(`person_relations`), so a new app's records are covered the day it is installed. In one
transaction it checks first, and refuses with every conflict listed and nothing written,
where a move would break a unique rule of a model (one enrolment per centre, one payment
per scheme and month…) or an app's own merge rule (`AppDeclaration.merge_checks`: two
awards of one scheme paying the same month); then moves the rows, lets the records that
follow their person take the kept person's community (`persons_moved`), marks the merged
person 已合并 by a dated status event and points it at the kept one, and writes the audit
entry. The merged row stays: its registry history and status events are its own, and the
person counters (kept by triggers) count it under its new status.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from canlian.audit import audit_write
from canlian.declarations import declarations, record_years
from canlian.scoping import is_district_user, require_district, require_in_scope
from canlian.signals import records_changed
from registry.models import DuplicatePair, DuplicateReason, EventKind, Person, PersonEvent, Status
from registry.signals import persons_moved

Progress = Callable[[int, int], None]

PAIRS = DuplicatePair._meta.db_table
PERSONS = Person._meta.db_table


def _pairs_sharing(keys: str) -> str:
    """(a, b), a < b, of the persons that share a key. `keys` selects (id, key) of the
    persons not merged; first the keys held by two persons or more are found by one GROUP
    BY (one pass over the registry, no join of it with itself), then only their holders
    are paired: a few hundred rows at 10^6 persons, where a self-join of the table would
    hash every person."""
    return (
        f"WITH k AS ({keys}), "
        "d AS (SELECT key FROM k GROUP BY key HAVING count(*) > 1), "
        "c AS (SELECT k.id, k.key FROM k JOIN d ON d.key = k.key) "
        "SELECT DISTINCT x.id AS a, y.id AS b FROM c x JOIN c y ON y.key = x.key AND y.id > x.id"
    )


_LIVE = "status <> %s"
# One query per reason, each (a, b) with a < b, over the persons not merged already. The
# keys are joined as text with a separator no name, date or address holds.
REASON_QUERIES: dict[DuplicateReason, str] = {
    DuplicateReason.NAME_BIRTH: _pairs_sharing(
        f"SELECT id, name || '|' || CAST(birth_date AS TEXT) AS key FROM {PERSONS} WHERE {_LIVE}"
    ),
    # A certificate on another person's ID number, or two certificates on one base (the
    # imports and the form refuse both; older data and other departments' lists hold them):
    # a person's keys are their ID number and, where it differs, their certificate's base.
    DuplicateReason.CERTIFICATE: _pairs_sharing(
        f"SELECT id, id_number AS key FROM {PERSONS} WHERE {_LIVE} UNION ALL "
        f"SELECT id, substr(certificate_number, 1, 18) FROM {PERSONS} "
        f"WHERE {_LIVE} AND substr(certificate_number, 1, 18) <> id_number"
    ),
    DuplicateReason.ADDRESS_NAME: _pairs_sharing(
        f"SELECT id, name || '|' || address AS key FROM {PERSONS} WHERE address <> '' AND {_LIVE}"
    ),
}

# One upsert per reason. A pair found again by a second reason of the same run gains its
# bit; found by a later run, it takes that run's reasons. "WHERE true": SQLite's parser
# needs it before ON CONFLICT after a SELECT with a FROM.
UPSERT = (
    f"INSERT INTO {PAIRS} (person_a_id, person_b_id, reasons, found_at, seen_at, decision) "
    "SELECT found.a, found.b, %s, %s, %s, %s FROM ({query}) found WHERE true "
    "ON CONFLICT (person_a_id, person_b_id) DO UPDATE SET "
    f"reasons = CASE WHEN {PAIRS}.seen_at = excluded.seen_at THEN {PAIRS}.reasons | excluded.reasons "
    "ELSE excluded.reasons END, seen_at = excluded.seen_at"
)


@dataclass(frozen=True)
class FindResult:
    open: int  # open pairs after the run
    new: int  # pairs first found by this run
    dropped: int  # open pairs no longer found

    @property
    def message(self) -> str:
        return f"待核实 {self.open} 对，其中本次新发现 {self.new} 对；不再符合条件而移除 {self.dropped} 对"


def duplicates_find(*, progress: Progress | None = None, now: datetime.datetime | None = None) -> FindResult:
    """Run the duplicate check over the whole registry (the nightly command, the reviewer's
    button). One transaction: a check that fails leaves the last run's pairs as they were."""
    run_at = now or timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(run_at)
    steps = len(REASON_QUERIES) + 1
    with transaction.atomic(), connection.cursor() as cursor:
        for done, (reason, query) in enumerate(REASON_QUERIES.items()):
            if progress:
                progress(done, steps)
            params = [int(reason), stamp, stamp, DuplicatePair.Decision.OPEN]
            params += [Status.MERGED] * query.count("%s")
            cursor.execute(UPSERT.format(query=query), params)
        if progress:
            progress(steps - 1, steps)
        dropped, _ = DuplicatePair.objects.filter(decision=DuplicatePair.Decision.OPEN, seen_at__lt=run_at).delete()
        open_pairs = DuplicatePair.objects.filter(decision=DuplicatePair.Decision.OPEN)
        result = FindResult(open=open_pairs.count(), new=open_pairs.filter(found_at=run_at).count(), dropped=dropped)
    if progress:
        progress(steps, steps)
    return result


def pair_for_user(user, pk: int) -> DuplicatePair:
    """The pair, if both its persons are in the user's scope; else 404 as for none."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(DuplicatePair.objects.visible_to(user).select_related("person_a", "person_b"), pk=pk)


# The rows that name a person ----------------------------------------------------------


@dataclass(frozen=True)
class PersonRelation:
    """A concrete foreign key to `Person` of some app's model, whose rows a merge moves."""

    model: type[models.Model]
    field: models.ForeignKey

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name)

    def rows(self, person):
        return self.model._base_manager.filter(**{self.field.name: person})


# Not moved: the person's own registry row and its status events (the merged row keeps
# its history), and the pairs themselves.
NOT_MOVED = (Person, PersonEvent, DuplicatePair)


def person_relations() -> list[PersonRelation]:
    """Every foreign key to `Person` in every installed app (their many-to-many tables
    too), but those of the database's own: a relation that does nothing on delete belongs
    to a row the database derives from others — a counter kept by triggers (rehab's service
    years follow their records), a view, a history copy (django-simple-history) — and
    unmanaged models are views. Found from `_meta` at each call, so nothing lists them."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if model in NOT_MOVED or not model._meta.managed or model._meta.proxy:
            continue
        for field in model._meta.local_concrete_fields:
            if (
                field.is_relation
                and field.remote_field.model is Person
                and field.remote_field.on_delete is not models.DO_NOTHING
            ):
                found.append(PersonRelation(model, field))
    return found


def _unique_sets(relation: PersonRelation) -> list[tuple[tuple[str, ...], object]]:
    """The unique rules of the relation's model that hold the person field: (fields,
    condition or None)."""
    model, name = relation.model, relation.field.name
    sets: list[tuple[tuple[str, ...], object]] = []
    if relation.field.unique:
        sets.append(((name,), None))
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and name in (constraint.fields or ()):
            sets.append((tuple(constraint.fields), constraint.condition))
    for together in model._meta.unique_together:
        if name in together:
            sets.append((tuple(together), None))
    return sets


def _field_label(model, field_name: str) -> str:
    """A field's Chinese name: its verbose name, or for a relation left unnamed (Django's
    default is the field name) the related model's."""
    field = model._meta.get_field(field_name)
    label = str(field.verbose_name)
    if label.isascii() and field.is_relation:
        label = str(field.related_model._meta.verbose_name)
    return label


def _value_text(row, field_name: str) -> str:
    field = row._meta.get_field(field_name)
    value = getattr(row, field_name)
    if value is None:
        return "空"
    if isinstance(value, datetime.date):
        return f"{value:%Y-%m-%d}"
    if field.choices:
        return str(getattr(row, f"get_{field_name}_display")())
    return str(value)


def unique_conflicts(merged: Person, kept: Person) -> list[str]:
    """What moving the merged person's rows to the kept one would break: for each unique
    rule with the person in it, the merged person's rows (under the rule's condition) for
    which the kept person has a row with the same other values."""
    conflicts = []
    for relation in person_relations():
        for fields, condition in _unique_sets(relation):
            mine, theirs = relation.rows(merged), relation.rows(kept)
            if condition is not None:
                mine, theirs = mine.filter(condition), theirs.filter(condition)
            others = [name for name in fields if name != relation.field.name]
            clashing = mine.filter(Exists(theirs.filter(**{name: OuterRef(name) for name in others})))
            for row in clashing[:5]:
                if others:
                    what = "、".join(f"{_field_label(relation.model, n)} {_value_text(row, n)}" for n in others)
                    conflicts.append(f"{relation.label}：两人都有{what} 的记录")
                else:
                    conflicts.append(f"{relation.label}：两人各有一条（只能有一条）")
    return conflicts


def merge_conflicts(merged: Person, kept: Person) -> list[str]:
    """Every reason the merge cannot be done: the unique rules and the apps' own checks."""
    conflicts = unique_conflicts(merged, kept)
    for declaration in declarations().values():
        for check in declaration.merge_checks:
            conflicts.extend(check(merged, kept))
    return list(dict.fromkeys(conflicts))


def record_counts(persons: list[Person]) -> list[dict]:
    """Per model, how many rows name each of `persons` (the compare page): those with any."""
    counted = []
    for relation in person_relations():
        rows = relation.model._base_manager.filter(**{f"{relation.field.name}__in": persons})
        by_person = dict(rows.values_list(relation.field.name).annotate(n=Count("pk")).order_by())
        if by_person:
            counted.append({"label": relation.label, "counts": [by_person.get(p.pk, 0) for p in persons]})
    return counted


# Decisions ----------------------------------------------------------------------------

CROSS_TOWN = "两人分属不同的镇（街），镇（街）专干不能合并；请由区残联审核员核实后合并"
MERGE_REFUSED = "无法合并，未作任何修改。以下记录冲突：{conflicts}。请先在相应业务中终止或作废其中一条，再合并。"


def _locked_pair(user, pair: DuplicatePair) -> tuple[DuplicatePair, Person, Person]:
    locked = DuplicatePair.objects.select_for_update().get(pk=pair.pk)
    if locked.decision != DuplicatePair.Decision.OPEN:
        raise ValidationError(f"该疑似重复已处理（{locked.get_decision_display()}）")
    persons = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=[pair.person_a_id, pair.person_b_id])}
    return locked, persons[locked.person_a_id], persons[locked.person_b_id]


@transaction.atomic
def pair_dismiss(*, user, pair: DuplicatePair) -> DuplicatePair:
    """Mark the pair 不是重复: no later run lists it again."""
    if not user.has_perm("registry.change_duplicatepair"):
        raise PermissionDenied("您没有处理疑似重复的权限")
    locked, person_a, person_b = _locked_pair(user, pair)
    require_in_scope(user, person_a)
    require_in_scope(user, person_b)
    locked.decision = DuplicatePair.Decision.NOT_DUPLICATE
    locked.decided_by, locked.decided_at = user, timezone.now()
    locked.save(update_fields=["decision", "decided_by", "decided_at"])
    audit_write(
        action="registry.duplicates.dismissed",
        user=user,
        obj=locked,
        person=person_a,
        data={"persons": [person_a.pk, person_b.pk], "reasons": locked.reason_labels},
    )
    return locked


@transaction.atomic
def persons_merge(*, user, pair: DuplicatePair, kept: Person) -> dict[str, int]:
    """Merge the other person of `pair` into `kept`: every record, award and payment moves,
    or nothing does (a `ValidationError` listing the conflicts). A town officer merges two
    persons of their own town only. Returns the rows moved per model (verbose name)."""
    if not user.has_perm("registry.merge_persons"):
        raise PermissionDenied("您没有合并人员的权限")
    locked, person_a, person_b = _locked_pair(user, pair)
    if kept.pk not in (person_a.pk, person_b.pk):
        raise ValidationError("保留的人员不在这一对疑似重复中")
    kept, merged = (person_a, person_b) if kept.pk == person_a.pk else (person_b, person_a)
    if not is_district_user(user) and kept.town_code != merged.town_code:
        raise PermissionDenied(CROSS_TOWN)
    require_in_scope(user, kept)
    require_in_scope(user, merged)
    for person in (kept, merged):
        if person.status == Status.MERGED:
            raise ValidationError(f"{person.name}（编号 {person.pk}）已合并到其他人员，不能再合并")
    conflicts = merge_conflicts(merged, kept)
    if conflicts:
        raise ValidationError(MERGE_REFUSED.format(conflicts="；".join(conflicts)))

    moved: dict[str, int] = {}
    apps_moved = set()
    for relation in person_relations():
        count = relation.rows(merged).update(**{relation.field.name: kept})
        if count:
            moved[relation.label] = moved.get(relation.label, 0) + count
            apps_moved.add(relation.model._meta.app_label)
    # The moved records that follow their person take the kept person's community, as on a move.
    persons_moved.send(sender=Person, moves={kept.pk: kept.area_id})

    from registry.services import person_event_record

    today = timezone.localdate()
    person_event_record(
        user=user,
        person=merged,
        kind=EventKind.MERGED,
        date=today,
        reason=f"重复登记，已合并到 {kept.name}（编号 {kept.pk}）",
        source="疑似重复合并",
        check_scope=False,
    )
    Person.objects.filter(pk=merged.pk).update(merged_into=kept)

    locked.decision = DuplicatePair.Decision.MERGED
    locked.decided_by, locked.decided_at, locked.kept = user, timezone.now(), kept
    locked.save(update_fields=["decision", "decided_by", "decided_at", "kept"])
    # The merged person's other open pairs are void; the next run finds the kept one's.
    DuplicatePair.objects.filter(decision=DuplicatePair.Decision.OPEN).filter(
        models.Q(person_a=merged) | models.Q(person_b=merged)
    ).delete()
    audit_write(
        action="registry.persons.merged",
        user=user,
        obj=locked,
        person=kept,
        data={"kept": kept.pk, "merged": merged.pk, "reasons": locked.reason_labels, "moved": moved},
    )
    areas = [kept.area_id, merged.area_id]
    records_changed.send(sender=Person, source="registry", areas=areas)
    # The moved records' figures, in every year they may count in (a paid line of a past
    # year is in that year's recipients: two registrations paid are one person now), by the
    # sources their apps' indicators name (benefits' paid lines feed "payroll"'s).
    years = sorted(record_years() | {today.year}) if apps_moved else []
    for source in sorted(indicator_sources(apps_moved) - {"registry"}):
        for year in years:
            records_changed.send(sender=Person, source=source, year=year, areas=areas)
    return moved


def indicator_sources(app_labels) -> set[str]:
    """The indicator sources of these apps' records: each app's label and the sources its
    declared indicators name (the benefits app's are "payroll")."""
    declared = declarations()
    sources = set(app_labels)
    for label in app_labels:
        if label in declared:
            sources |= {indicator.source for indicator in declared[label].indicators}
    return sources


def duplicates_check_allowed(user) -> None:
    """Who runs the check on demand: a district user with the permission (it reads every
    town)."""
    if not user.has_perm("registry.check_duplicates"):
        raise PermissionDenied("您没有运行疑似重复检查的权限")
    require_district(user, "疑似重复检查覆盖全区，仅区残联用户可以运行")
