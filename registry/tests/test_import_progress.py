"""The progress of an import job is written on a connection of its own (PostgreSQL), so the
status page sees it while the import's transaction is open and its COPY holds the import's
connection. A file of its own: its test commits, and pytest-django runs such tests last."""

import pytest
from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.backends.signals import connection_created

from registry.models import ImportJob, Person
from registry.tasks import _progress_recorder

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite: one writer, one connection"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_progress_is_seen_by_the_status_page_while_the_import_transaction_is_open(users):
    job = ImportJob.objects.create(
        file=ContentFile(b"x", name="a.xlsx"), original_name="a.xlsx", created_by=users["officer"]
    )
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with transaction.atomic(), _progress_recorder(job.pk) as progress:
            Person.objects.select_for_update().exists()  # the import's transaction is open
            progress(200, 450)
            with other.cursor() as cursor:
                cursor.execute("SELECT processed_rows, total_rows FROM registry_importjob WHERE id = %s", [job.pk])
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


def test_a_job_row_held_by_the_imports_own_transaction_is_skipped_not_waited_for(users, impatient_connections):
    job = ImportJob.objects.create(
        file=ContentFile(b"x", name="a.xlsx"), original_name="a.xlsx", created_by=users["officer"]
    )
    with transaction.atomic(), _progress_recorder(job.pk) as progress:
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=1)  # this transaction holds the row
        progress(200, 450)  # without SKIP LOCKED: "canceling statement due to lock timeout"
    job.refresh_from_db()
    assert job.processed_rows == 1
