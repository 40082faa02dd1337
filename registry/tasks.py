"""Background work of the registry: thin wrappers around the import services."""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone
from django_tasks import task

from canlian.audit import audit_write
from registry.comparison import events_import
from registry.imports import ImportRefused, ImportResult, persons_import
from registry.models import ImportJob

logger = logging.getLogger(__name__)

Importer = Callable[[ImportJob, IO[bytes], Callable[[int, int], None]], ImportResult]


@contextmanager
def _progress_recorder(job_id: int) -> Iterator[Callable[[int, int], None]]:
    """`progress(processed, total)` for the job, written in autocommit on a second
    connection where the database allows two writers (PostgreSQL). Progress is a hint: a
    job row that a transaction holds (a task run inside its caller's transaction, which
    updated the row) is skipped, never waited for, since that transaction may be the
    import's own."""
    if connection.vendor != "postgresql":
        jobs = ImportJob.objects.filter(pk=job_id)
        yield lambda processed, total: jobs.update(processed_rows=processed, total_rows=total)
        return
    own = connections.create_connection(DEFAULT_DB_ALIAS)
    table = ImportJob._meta.db_table

    def progress(processed: int, total: int) -> None:
        with own.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET processed_rows = %s, total_rows = %s "
                f"WHERE id = (SELECT id FROM {table} WHERE id = %s FOR UPDATE SKIP LOCKED)",
                [processed, total, job_id],
            )

    try:
        yield progress
    finally:
        own.close()


@task()
def run_person_import(job_id: int) -> dict:
    """Run the import of an uploaded person workbook and record its outcome on the job."""

    def run(job: ImportJob, handle: IO[bytes], progress) -> ImportResult:
        return persons_import(
            user=job.created_by, path_or_file=handle, source_name=job.original_name, progress=progress
        )

    return _run_import(job_id, run)


@task()
def run_events_import(job_id: int) -> dict:
    """Run a data comparison (数据比对): record the events of an uploaded workbook."""

    def run(job: ImportJob, handle: IO[bytes], progress) -> ImportResult:
        return events_import(user=job.created_by, path=handle, source_name=job.original_name, progress=progress)

    return _run_import(job_id, run)


def _run_import(job_id: int, run: Importer) -> dict:
    """Run `run` on the job's file and record the outcome on the job.

    The job is updated with queryset `.update()` so that its row is written on its own,
    never held back or rolled back with the import's transaction. The import validates
    its rows inside that transaction, on PostgreSQL while it streams them to the server
    (one COPY holds the connection), so its progress goes out on a connection of its own
    and the status page sees it at once. SQLite has one writer at a time: there the
    progress shares the import's connection and shows when it commits.
    """
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    jobs = ImportJob.objects.filter(pk=job_id)
    State = ImportJob.State
    jobs.update(state=State.RUNNING, processed_rows=0, message="")

    try:
        with job.file.open("rb") as handle, _progress_recorder(job_id) as progress:
            result = run(job, handle, progress)
    except ImportRefused as exc:
        jobs.update(state=State.REFUSED, message=str(exc), finished_at=timezone.now())
        audit_write(action="registry.import.refused", user=job.created_by, obj=job, data={"message": str(exc)})
        return {"state": State.REFUSED, "message": str(exc)}
    except Exception:
        logger.exception("Import job %s failed", job_id)
        audit_write(action="registry.import.failed", user=job.created_by, obj=job, data={"file": job.original_name})
        jobs.update(
            state=State.FAILED,
            message="导入时发生系统错误，未写入任何数据。请联系系统管理员。",
            finished_at=timezone.now(),
        )
        raise

    counts = result.counts()
    jobs.update(
        state=State.DONE,
        total_rows=counts["total"],
        processed_rows=counts["total"],
        created_count=result.created,
        updated_count=result.updated,
        unchanged_count=result.unchanged,
        rejected_count=result.rejected_count,
        report=result.as_report(),
        message=result.summary(),
        finished_at=timezone.now(),
    )
    return {"state": State.DONE, **counts}
