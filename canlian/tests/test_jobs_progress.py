"""On PostgreSQL a payroll generation's progress is seen from another connection while the
generation's own transaction is still open: the page's bar moves during the work."""

import datetime

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections

from benefits import payroll
from benefits.models import Award, Scheme
from benefits.tasks import JOB_KIND, run_payroll_generate
from canlian.models import Job

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_payroll_generations_progress_shows_while_its_transaction_is_open(users, person, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer: there the progress shows when the generation commits")
    nursing = Scheme.objects.get(code="nursing")
    Award.objects.create(
        person=person,
        scheme=nursing,
        area_code=person.area_id,
        start_month=datetime.date(2024, 1, 1),
        source=Award.Source.IMPORT,
    )
    job = Job.objects.create(
        kind=JOB_KIND,
        title="护理补贴 2024-03",
        params={"scheme": nursing.pk, "month": "2024-03-01"},
        created_by=users["admin"],
    )
    seen = []
    insert_month = payroll._insert_month

    def insert_and_look(batch, month, paid_batches):
        inserted = insert_month(batch, month, paid_batches)
        other = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            with other.cursor() as cursor:
                cursor.execute(f"SELECT processed, total FROM {Job._meta.db_table} WHERE id = %s", [job.pk])
                seen.append(cursor.fetchone())
        finally:
            other.close()
        return inserted

    monkeypatch.setattr(payroll, "_insert_month", insert_and_look)
    assert run_payroll_generate.call(job.pk)["state"] == "done"
    # After each month's insert the months before it are reported done (three months owed).
    assert seen == [(0, 0), (1, 3), (2, 3)]
    job.refresh_from_db()
    assert (job.processed, job.total) == (3, 3)
