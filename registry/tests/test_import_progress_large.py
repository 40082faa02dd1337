"""The progress bar of a 20,000-row import moves while the import runs (it moves every
`PROGRESS_EVERY` rows, so a larger file only takes longer to show the same): its job's row is
read from another connection, as the status page reads it, during the import's own
transaction (PostgreSQL, where the progress goes out on a connection of its own). A file of
its own: its test commits, and pytest-django runs such tests last."""

import datetime
import threading
import time

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections

from canlian.importing import run_import
from canlian.models import Job
from registry.models import Person
from registry.tests.workbooks import import_job, person_row, write_workbook

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite: one writer, one connection"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROWS = 20_000


def _rows():
    first = datetime.date(1960, 1, 1)
    for n in range(ROWS):
        birth = first + datetime.timedelta(days=n // 1000)
        yield person_row(name="测试人员", birth=f"{birth:%Y%m%d}", sequence=n % 1000)


def test_the_progress_of_a_20000_row_import_moves_while_it_runs(users, areas, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    path = write_workbook(tmp_path / "两万人.xlsx", list(_rows()))
    job = import_job(users["officer"], path.read_bytes(), name="两万人.xlsx")
    worker = threading.Thread(target=lambda: (run_import.call(job.pk), connections.close_all()))
    seen: list[tuple[str, int]] = []
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        worker.start()
        while worker.is_alive():
            with other.cursor() as cursor:
                cursor.execute("SELECT state, processed FROM canlian_job WHERE id = %s", [job.pk])
                seen.append(cursor.fetchone())
            time.sleep(0.05)
        worker.join()
    finally:
        other.close()
    during = sorted({processed for state, processed in seen if state == Job.State.RUNNING})
    # The bar moved several times before the end, while the rows were not yet committed.
    assert len([p for p in during if 0 < p < ROWS]) >= 3, during[:10]
    job.refresh_from_db()
    assert (job.state, job.report["counts"]["created"]) == (Job.State.DONE, ROWS)
    assert Person.objects.count() == ROWS
