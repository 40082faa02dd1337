"""The rows of the rehabilitation coverage indicator as a view (`rehab.CoverageNeed`): the
persons assessed with a need (`rehab_needassessment`) and the children assessed with a need
(`rehab_childassessment`, certified or not), each with whether they were served in the
year and the subject it counts.

- A person is served by a standing service record of the year (`rehab_serviceyear`, kept by
  the records' triggers) or by a standing child rehabilitation record of the year of the
  child linked to them.
- A child is served by a standing record of their own in the year, or, once linked, by a
  service record of their person.
- `subject` is the person's id, or for a child not linked the child's id negated: a linked
  child assessed both as a person and as a child is one subject, counted once.

One SQL for PostgreSQL and SQLite (the records carry their `year`, so no date arithmetic);
the year filter of the indicator reaches both branches of the UNION ALL. A later migration
that rebuilds one of the tables it reads (SQLite rebuilds a table for most alterations;
PostgreSQL refuses to change a column type a view reads) drops the view first and creates
it again after, as 0005 does with the service years' triggers.
"""

from django.db import migrations

VIEW = """
CREATE VIEW rehab_coverageneed AS
SELECT 'n' || a.id AS key,
       a.person_id AS subject,
       a.year AS year,
       a.area_code AS area_code,
       a.assessed_on AS assessed_on,
       (EXISTS (SELECT 1 FROM rehab_serviceyear s WHERE s.person_id = a.person_id AND s.year = a.year)
        OR EXISTS (SELECT 1 FROM rehab_child c JOIN rehab_childrehabrecord r ON r.child_id = c.id
                   WHERE c.person_id = a.person_id AND r.year = a.year AND r.voided_at IS NULL)) AS served
FROM rehab_needassessment a
WHERE a.has_need
UNION ALL
SELECT 'c' || ca.id AS key,
       COALESCE(c.person_id, -c.id) AS subject,
       ca.year AS year,
       ca.area_code AS area_code,
       ca.assessed_on AS assessed_on,
       (EXISTS (SELECT 1 FROM rehab_childrehabrecord r
                WHERE r.child_id = ca.child_id AND r.year = ca.year AND r.voided_at IS NULL)
        OR EXISTS (SELECT 1 FROM rehab_serviceyear s WHERE s.person_id = c.person_id AND s.year = ca.year)) AS served
FROM rehab_childassessment ca
JOIN rehab_child c ON c.id = ca.child_id
WHERE ca.has_need
"""


class Migration(migrations.Migration):
    dependencies = [("rehab", "0006_child_rehab")]

    operations = [migrations.RunSQL(VIEW, "DROP VIEW rehab_coverageneed")]
