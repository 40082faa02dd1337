"""The calendar (one row per day of 2000–2060, with its weekday's bit) and the view of
member-days the attendance rate is computed over: each day of a standing day-care
enrolment on which the institution was open — or the member was marked anyway (a day
opened specially, or the open days changed since) — with that day's mark. Plain SQL that
PostgreSQL and SQLite read alike: dates compare as dates (ISO text on SQLite), and the
weekday test is one AND of two integers."""

import datetime

from django.db import migrations

FIRST, LAST = datetime.date(2000, 1, 1), datetime.date(2060, 12, 31)

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
JOIN care_calendarday d ON d.day >= e.started_on AND d.day <= COALESCE(e.ended_on, '2060-12-31')
LEFT JOIN care_attendance a ON a.institution_id = e.institution_id AND a.day = d.day AND a.person_id = e.person_id
WHERE e.voided_at IS NULL AND e.day_care AND ((i.open_days & d.weekday_bit) <> 0 OR a.id IS NOT NULL)
"""


def fill(apps, schema_editor):
    CalendarDay = apps.get_model("care", "CalendarDay")
    days, day = [], FIRST
    while day <= LAST:
        days.append(CalendarDay(day=day, weekday_bit=1 << day.weekday()))
        day += datetime.timedelta(days=1)
    CalendarDay.objects.bulk_create(days, batch_size=2000)


def empty(apps, schema_editor):
    apps.get_model("care", "CalendarDay").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("care", "0002_admission_rules")]

    operations = [
        migrations.RunPython(fill, empty),
        migrations.RunSQL(VIEW, "DROP VIEW care_memberday"),
    ]
