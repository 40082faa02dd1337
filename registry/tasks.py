"""Background work of the registry: a thin wrapper around the import service."""

import logging

from django.utils import timezone
from django_tasks import task

from registry.imports import ImportRefused, persons_import
from registry.models import ImportJob

logger = logging.getLogger(__name__)


@task()
def run_person_import(job_id: int) -> dict:
    """Run the import of an uploaded workbook and record its outcome on the job.

    The job is updated with queryset `.update()` so that its row is written on its own,
    never held back or rolled back with the import's transaction. Progress during the
    validation pass (before the transaction) is visible to the status page at once; on
    PostgreSQL, updates made while rows are being written show after the commit.
    """
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    jobs = ImportJob.objects.filter(pk=job_id)
    State = ImportJob.State
    jobs.update(state=State.RUNNING, processed_rows=0, message="")

    def progress(processed: int, total: int) -> None:
        jobs.update(processed_rows=processed, total_rows=total)

    try:
        with job.file.open("rb") as handle:
            result = persons_import(
                user=job.created_by,
                path_or_file=handle,
                source_name=job.original_name,
                progress=progress,
            )
    except ImportRefused as exc:
        jobs.update(state=State.REFUSED, message=str(exc), finished_at=timezone.now())
        return {"state": State.REFUSED, "message": str(exc)}
    except Exception:
        logger.exception("Import job %s failed", job_id)
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
