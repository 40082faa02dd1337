"""Background work of the registry: thin wrappers around the import services."""

import logging
from collections.abc import Callable
from typing import IO

from django.utils import timezone
from django_tasks import task

from canlian.audit import audit_write
from canlian.jobs import progress_recorder
from registry.comparison import events_import
from registry.imports import ImportRefused, ImportResult, persons_import
from registry.models import ImportJob

logger = logging.getLogger(__name__)

Importer = Callable[[ImportJob, IO[bytes], Callable[[int, int], None]], ImportResult]


def _progress_recorder(job_id: int):
    """`progress(processed, total)` for an import job's row counts: the shared recorder
    (`canlian.jobs.progress_recorder`, on its own connection on PostgreSQL)."""
    return progress_recorder(job_id, model=ImportJob, fields=("processed_rows", "total_rows"))


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
