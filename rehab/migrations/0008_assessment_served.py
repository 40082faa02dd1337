"""A mark on each needs assessment, `basic_served`: whether the person has a standing basic
service record in the assessment's year — a row of `rehab_serviceyear` (person, year), which
the records' triggers (0004, 0005) keep and remove at zero. With a partial index on the
assessments with a need and no service, the work list's "assessed, not served" reads the
town's few unserved assessments from the index instead of probing the service years of
every assessment of the year (10^6: 210,000 probes, ~475 ms, for a town).

Kept by triggers, whatever writes (the service, an import, `bulk_create`, the benchmark's
INSERT … SELECT):

- on `rehab_serviceyear`: a person's service year inserted marks their assessments of that
  year served; one deleted (records voided or deleted, or moved to another community) marks
  them by whether another of that year remains; TRUNCATE unmarks all;
- on `rehab_needassessment`: an inserted or updated assessment is marked from the service
  years, so the value Django writes (False when new, the loaded value when saved again) is
  never the one kept.

PostgreSQL: statement-level triggers over the transition tables on the service years (the
benchmark's 10^6 records are one grouped statement), a BEFORE row trigger on the
assessments; ENABLE ALWAYS, as 0004, so they fire under session_replication_role = replica.
SQLite: row triggers (an assessment's trigger updates its own row after the write, only
when the mark is wrong, so it does not fire itself again).

SQLite rebuilds the assessments' table to add the column: the coverage view (0007) that
reads it is dropped first and created again after; a later migration that rebuilds the
table drops and recreates these triggers too.
"""

import importlib

from django.db import migrations, models

coverage = importlib.import_module("rehab.migrations.0007_coverage_need_view")
run = importlib.import_module("registry.migrations.0006_person_count").run

HAS_YEAR = "EXISTS (SELECT 1 FROM rehab_serviceyear s WHERE s.person_id = {row}.person_id AND s.year = {row}.year)"

POSTGRESQL = [
    f"""
    CREATE FUNCTION rehab_assessment_served() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.basic_served := {HAS_YEAR.format(row="NEW")};
        RETURN NEW;
    END
    $$
    """,
    "CREATE TRIGGER assessment_served BEFORE INSERT OR UPDATE ON rehab_needassessment "
    "FOR EACH ROW EXECUTE FUNCTION rehab_assessment_served()",
    """
    CREATE FUNCTION rehab_service_year_served() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            UPDATE rehab_needassessment a SET basic_served = true
            FROM (SELECT DISTINCT person_id, year FROM new_rows) n
            WHERE a.person_id = n.person_id AND a.year = n.year AND NOT a.basic_served;
        ELSIF TG_OP = 'DELETE' THEN
            -- The assessment's own trigger sets the mark from the service years left.
            UPDATE rehab_needassessment a SET basic_served = false
            FROM (SELECT DISTINCT person_id, year FROM old_rows) o
            WHERE a.person_id = o.person_id AND a.year = o.year AND a.basic_served;
        ELSE
            UPDATE rehab_needassessment SET basic_served = false WHERE basic_served;
        END IF;
        RETURN NULL;
    END
    $$
    """,
    "CREATE TRIGGER service_year_served_insert AFTER INSERT ON rehab_serviceyear REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION rehab_service_year_served()",
    "CREATE TRIGGER service_year_served_delete AFTER DELETE ON rehab_serviceyear REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION rehab_service_year_served()",
    "CREATE TRIGGER service_year_served_truncate AFTER TRUNCATE ON rehab_serviceyear "
    "FOR EACH STATEMENT EXECUTE FUNCTION rehab_service_year_served()",
    "ALTER TABLE rehab_needassessment ENABLE ALWAYS TRIGGER assessment_served",
    *(
        f"ALTER TABLE rehab_serviceyear ENABLE ALWAYS TRIGGER service_year_served_{op}"
        for op in ("insert", "delete", "truncate")
    ),
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER assessment_served ON rehab_needassessment",
    *(f"DROP TRIGGER service_year_served_{op} ON rehab_serviceyear" for op in ("insert", "delete", "truncate")),
    "DROP FUNCTION rehab_assessment_served()",
    "DROP FUNCTION rehab_service_year_served()",
]

SQLITE = [
    *(
        f"CREATE TRIGGER assessment_served_{op} AFTER {op.upper()} ON rehab_needassessment "
        f"WHEN NEW.basic_served IS NOT {HAS_YEAR.format(row='NEW')} "
        f"BEGIN UPDATE rehab_needassessment SET basic_served = {HAS_YEAR.format(row='NEW')} WHERE id = NEW.id; END"
        for op in ("insert", "update")
    ),
    "CREATE TRIGGER service_year_served_insert AFTER INSERT ON rehab_serviceyear "
    "BEGIN UPDATE rehab_needassessment SET basic_served = 1 "
    "WHERE person_id = NEW.person_id AND year = NEW.year AND NOT basic_served; END",
    "CREATE TRIGGER service_year_served_delete AFTER DELETE ON rehab_serviceyear "
    f"BEGIN UPDATE rehab_needassessment SET basic_served = {HAS_YEAR.format(row='OLD')} "
    "WHERE person_id = OLD.person_id AND year = OLD.year; END",
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "assessment_served_insert",
        "assessment_served_update",
        "service_year_served_insert",
        "service_year_served_delete",
    )
]


def mark_all(schema_editor) -> None:
    """The assessments already there, marked once (one statement); from here on the
    triggers keep them."""
    schema_editor.execute(
        f"UPDATE rehab_needassessment SET basic_served = true WHERE {HAS_YEAR.format(row='rehab_needassessment')}",
        params=None,
    )


def create_triggers(apps, schema_editor):
    mark_all(schema_editor)
    run(schema_editor, {"postgresql": POSTGRESQL, "sqlite": SQLITE})


def drop_triggers(apps, schema_editor):
    run(schema_editor, {"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE})


class Migration(migrations.Migration):
    dependencies = [
        ("rehab", "0007_coverage_need_view"),
    ]

    operations = [
        migrations.RunSQL("DROP VIEW rehab_coverageneed", coverage.VIEW),
        migrations.AddField(
            model_name="needassessment",
            name="basic_served",
            field=models.BooleanField(default=False, editable=False, verbose_name="当年已接受基本康复服务"),
        ),
        # Marked before the index is built: it then holds the few unserved only (an index
        # built first would keep an entry of every row the marking updates until a vacuum).
        migrations.RunPython(create_triggers, drop_triggers),
        migrations.AddIndex(
            model_name="needassessment",
            index=models.Index(
                condition=models.Q(("basic_served", False), ("has_need", True)),
                fields=["year", "area_code"],
                name="rehab_assessment_unserved_idx",
            ),
        ),
        migrations.RunSQL(coverage.VIEW, "DROP VIEW rehab_coverageneed"),
    ]
