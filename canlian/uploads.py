"""How long an uploaded workbook is kept: `UPLOAD_RETENTION_DAYS` after its import was
uploaded, then deleted (`uploads_purge`: `manage.py purge_uploads`, nightly, and at the
start of every import job, as the export files are at the start of every export job).

The uploaded file holds every row as the town typed it — names, ID numbers, phones and
accounts of persons who may never have been imported — and once the import has run it is
needed for nothing: the job keeps its report (counts, the rejected rows and their reasons,
which the rejected-rows workbook is written from). So the file goes; its job notes that it
went, when, and the retention (`params["file_deleted"]`, `params["retention_days"]`), and
the job's page says so. A job still queued or running keeps its file.
"""

import datetime
import logging

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from canlian.models import Job

logger = logging.getLogger(__name__)


def _uploaded_jobs():
    """The import jobs whose uploaded file is kept: the ones with a stored file, not yet
    deleted. Every import's job names its file in `params["file"]` (`import_job_start`)."""
    return Job.objects.filter(params__has_key="file").exclude(params__has_key="file_deleted")


def uploads_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the uploaded files of the imports uploaded more than `UPLOAD_RETENTION_DAYS`
    before `now` whose job has ended, and note it on their jobs. Returns how many."""
    now = now or timezone.now()
    days = settings.UPLOAD_RETENTION_DAYS
    old = (
        _uploaded_jobs()
        .filter(created_at__lt=now - datetime.timedelta(days=days))
        .exclude(state__in=[Job.State.QUEUED, Job.State.RUNNING])
    )
    purged = 0
    for job in old.only("pk", "params"):
        name = job.params.get("file") or ""
        try:
            if name and default_storage.exists(name):
                default_storage.delete(name)
        except OSError:
            logger.exception("Import job %s: its uploaded file could not be deleted", job.pk)
            continue
        params = {**job.params, "file_deleted": now, "retention_days": days}
        Job.objects.filter(pk=job.pk).update(params=params)
        purged += 1
    return purged


def upload_gone(job: Job) -> str:
    """Why the job's uploaded file is no longer kept (Chinese), or "" while it is."""
    deleted = parse_datetime(str(job.params.get("file_deleted", "")))
    if deleted is None:
        return ""
    days = job.params.get("retention_days", settings.UPLOAD_RETENTION_DAYS)
    return f"上传的文件只保留 {days} 天，已于 {timezone.localtime(deleted):%Y-%m-%d} 删除；导入结果仍保留。"
