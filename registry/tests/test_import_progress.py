"""The progress of an import job is written on a connection of its own (PostgreSQL), so the
status page sees it while the import's transaction is open and its COPY holds the import's
connection. A file of its own: its test commits, and pytest-django runs such tests last."""

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.backends.signals import connection_created

from canlian.jobs import progress_recorder
from canlian.models import Job
from registry.models import Person
from registry.tests.workbooks import import_job

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite: one writer, one connection"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_progress_is_seen_by_the_status_page_while_the_import_transaction_is_open(users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    job = import_job(users["officer"])
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with transaction.atomic(), progress_recorder(job.pk) as progress:
            Person.objects.select_for_update().exists()  # the import's transaction is open
            progress(200, 450)
            with other.cursor() as cursor:
                cursor.execute("SELECT processed, total FROM canlian_job WHERE id = %s", [job.pk])
                assert cursor.fetchone() == (200, 450)
    finally:
        other.close()


@pytest.fixture
def impatient_connections():
    """New connections give up a lock wait after 5 s, so a recorder that waited for the row
    fails this test instead of hanging it (it would wait for its own caller for ever)."""

    def impatient(sender, connection, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '5s'")

    connection_created.connect(impatient, dispatch_uid="impatient_connections")
    yield
    connection_created.disconnect(dispatch_uid="impatient_connections")


def test_a_job_row_held_by_the_imports_own_transaction_is_skipped_not_waited_for(
    users, impatient_connections, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    job = import_job(users["officer"])
    with transaction.atomic(), progress_recorder(job.pk) as progress:
        Job.objects.filter(pk=job.pk).update(processed=1)  # this transaction holds the row
        progress(200, 450)  # without SKIP LOCKED: "canceling statement due to lock timeout"
    job.refresh_from_db()
    assert job.processed == 1
