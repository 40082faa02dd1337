"""The calendar and the view of member-days the attendance rate is computed over.

`care_calendar` is a plain table (not a model, so the tests' snapshot of migrated rows and
`flush` leave it alone) of the days 2000–2060 with their weekday's bit (Monday 1 …
Sunday 64). `care_memberday` is each day of a standing day-care enrolment on which the
institution was open — or the member was marked anyway (a day opened specially, or the
open days changed since) — with that day's mark: plain SQL that PostgreSQL and SQLite
read alike (dates compare as dates, ISO text on SQLite; "open that day" is one AND of two
integers). An open enrolment runs to tomorrow in the database's clock (UTC: the local day
is at most one day ahead), not to 2060: the rate counts days up to today only, and the
days of every open membership up to 2060 were most of what SQLite read (6 s of the demo's
refresh, 0.7 s after)."""

import datetime

from django.db import migrations

FIRST, LAST = datetime.date(2000, 1, 1), datetime.date(2060, 12, 31)

TABLE = "CREATE TABLE care_calendar (day date PRIMARY KEY, weekday_bit smallint NOT NULL)"

VIEW = """
CREATE VIEW care_memberday AS
SELECT e.id AS enrolment_id,
       d.day AS day,
       e.person_id AS person_id,
       e.institution_id AS institution_id,
       e.area_code AS area_code,
       a.present AS present
FROM care_enrolment e
JOIN care_institution i ON i.id = e.institution_id
JOIN care_calendar d ON d.day >= e.started_on AND d.day <= COALESCE(e.ended_on, {tomorrow})
LEFT JOIN care_attendance a ON a.institution_id = e.institution_id AND a.day = d.day AND a.person_id = e.person_id
WHERE e.voided_at IS NULL AND e.day_care AND ((i.open_days & d.weekday_bit) <> 0 OR a.id IS NOT NULL)
"""


def fill(apps, schema_editor):
    days, day = [], FIRST
    while day <= LAST:
        days.append((day.isoformat(), 1 << day.weekday()))
        day += datetime.timedelta(days=1)
    with schema_editor.connection.cursor() as cursor:
        cursor.executemany("INSERT INTO care_calendar (day, weekday_bit) VALUES (%s, %s)", days)


# The database's tomorrow, as each engine writes it.
TOMORROW = {"postgresql": "CURRENT_DATE + 1", "sqlite": "date('now', '+1 day')"}


def view_create(apps, schema_editor):
    tomorrow = TOMORROW[schema_editor.connection.vendor]
    schema_editor.execute(VIEW.format(tomorrow=tomorrow))


def view_drop(apps, schema_editor):
    schema_editor.execute("DROP VIEW care_memberday")


class Migration(migrations.Migration):
    dependencies = [("care", "0002_admission_rules")]

    operations = [
        migrations.RunSQL(TABLE, "DROP TABLE care_calendar"),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(view_create, view_drop),
    ]
