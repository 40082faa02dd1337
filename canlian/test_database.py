"""The test suite's database resets, made cheap (used by the root conftest only).

A committing test (the browser tests, the concurrency tests) empties every table when it
ends and loads the migrated rows (areas, groups, permissions, schemes) back before the next
one. Django does both the general way: one TRUNCATE of all ~130 tables, which on PostgreSQL
replaces every table's and index's files (seconds, whatever the few rows), and one
`save()` a row for the ~1,600 migrated rows. Here:

- `sql_flush` on PostgreSQL, for a superuser (the suite's `postgres`), deletes the rows
  instead, with the ordinary triggers and foreign-key checks off for the transaction
  (`session_replication_role = replica`: every table is emptied, so no key can dangle).
  The triggers enabled ALWAYS (or REPLICA) still fire; their tables are emptied first, each
  before the table its trigger writes, so what they write is deleted after them. Anything else (not a
  superuser, another database) keeps Django's statement.
- the serialized migrated rows are put back a model at a time (`bulk_create`, updating a
  row already there as `save()` does), as the serializer listed them, with the
  many-to-many rows after.
"""

from io import StringIO

from django.core import serializers
from django.db import transaction
from django.db.backends.base.creation import BaseDatabaseCreation
from django.db.backends.postgresql.operations import DatabaseOperations

# Tables whose delete triggers fire under `replica` (ENABLE ALWAYS), each before the tables
# its trigger writes: persons → the counts per area; service records → service years →
# the assessments' "served" mark.
ALWAYS_TRIGGERED_FIRST = ("registry_person", "rehab_servicerecord", "rehab_serviceyear")

_django_sql_flush = DatabaseOperations.sql_flush


def _may_switch_off_triggers(connection) -> bool:
    known = getattr(connection, "_canlian_replica_ok", None)
    if known is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('is_superuser') = 'on'")
            known = cursor.fetchone()[0]
            cursor.execute(
                "SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger "
                "WHERE NOT tgisinternal AND tgenabled IN ('A', 'R') AND tgtype & 8 = 8"
            )
            unknown = {row[0] for row in cursor.fetchall()} - set(ALWAYS_TRIGGERED_FIRST)
        if unknown:
            raise RuntimeError(
                f"canlian/test_database.py: {sorted(unknown)} delete triggers fire ALWAYS: "
                "add them to ALWAYS_TRIGGERED_FIRST, before the tables they write"
            )
        connection._canlian_replica_ok = known
    return known


def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    # A cascade (a test's `available_apps`) empties tables beyond those listed: Django's.
    if not tables or allow_cascade or not _may_switch_off_triggers(self.connection):
        return _django_sql_flush(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
    ordered = sorted(
        tables,
        key=lambda t: ALWAYS_TRIGGERED_FIRST.index(t) if t in ALWAYS_TRIGGERED_FIRST else len(ALWAYS_TRIGGERED_FIRST),
    )
    statements = ["SET LOCAL session_replication_role = replica"]
    statements += [f"DELETE FROM {self.quote_name(table)}" for table in ordered]
    if reset_sequences:
        names = ", ".join("'" + table.replace("'", "''") + "'" for table in ordered)
        # TRUNCATE … RESTART IDENTITY: each listed table's own sequences back to 1.
        statements.append(
            "SELECT setval(s.oid::regclass, 1, false) FROM pg_class s "
            "JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') "
            "JOIN pg_class t ON t.oid = d.refobjid "
            f"WHERE s.relkind = 'S' AND t.relname IN ({names})"
        )
    statements.append("SET LOCAL session_replication_role = origin")
    return statements


def deserialize_db_from_string(self, data):
    alias = self.connection.alias
    rows: dict[type, list] = {}
    links: dict[type, list] = {}
    for found in serializers.deserialize("json", StringIO(data), using=alias):
        model = type(found.object)
        rows.setdefault(model, []).append(found.object)
        for name, targets in (found.m2m_data or {}).items():
            field = model._meta.get_field(name)
            through = field.remote_field.through
            source = through._meta.get_field(field.m2m_field_name()).attname
            target = through._meta.get_field(field.m2m_reverse_field_name()).attname
            links.setdefault(through, []).extend(through(**{source: found.object.pk, target: pk}) for pk in targets)
    with transaction.atomic(using=alias), self.connection.constraint_checks_disabled():
        for model, objects in rows.items():
            # As `save()` would: a row already there (the migrated rows before the first
            # committing test) is updated, not refused.
            fields = [f.name for f in model._meta.concrete_fields if not f.primary_key]
            model._base_manager.using(alias).bulk_create(
                objects,
                batch_size=500,
                update_conflicts=bool(fields),
                ignore_conflicts=not fields,
                unique_fields=[model._meta.pk.name] if fields else None,
                update_fields=fields or None,
            )
        for through, objects in links.items():
            through._base_manager.using(alias).bulk_create(objects, batch_size=500, ignore_conflicts=True)
        self.connection.check_constraints(table_names={m._meta.db_table for m in [*rows, *links]})


def install() -> None:
    DatabaseOperations.sql_flush = sql_flush
    BaseDatabaseCreation.deserialize_db_from_string = deserialize_db_from_string
