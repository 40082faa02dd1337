"""How long an uploaded workbook is kept: `UPLOAD_RETENTION_DAYS` after its import was
uploaded, then deleted (`uploads_purge`: `manage.py purge_uploads`, nightly, and at the
start of every import job, as the export files are at the start of every export job).

The uploaded file holds every row as the town typed it — names, ID numbers, phones and
accounts of persons who may never have been imported — and once the import has run it is
needed for nothing: the job keeps its report (counts, the rejected rows and their reasons,
which the rejected-rows workbook is written from). So the file goes; its job notes that it
went, when, and the retention (`params["file_deleted"]`, `params["retention_days"]`), and
the job's page says so. A job still queued or running keeps its file.

The other uploads are records, not temporary files, and are kept as long as the rows that
name them (`RECORD_FILES`): an application's attachments (申请附件) are the evidence the
town and the district reviewed it on, whatever its end (approved, rejected, returned for
want of a document, withdrawn: the application and its steps stay, and say why); a change
request's evidence (证明材料) the same, pending or decided; a visit's photos are the proof
of the money or gifts handed over (慰问金), kept with the visit, voided or not, as the
visit itself is voided, never deleted. What is temporary among them is a file no row
names: one stored by a write that was then refused and rolled back (the scope re-check
after the write, a check of the service), an abandoned upload. `record_orphans_purge`
deletes those once older than the retention (`manage.py purge_uploads`); a file a row
names is never touched.
"""

import datetime
import logging

from django.apps import apps
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


# (model, file field, the folder its files are stored under): every FileField of the
# project, each a record's file (see the module). A new one is added here, with its rule.
RECORD_FILES = (
    ("benefits.ApplicationAttachment", "file", "applications"),
    ("registry.ChangeRequest", "evidence", "change_requests"),
    ("outreach.VisitPhoto", "file", "outreach/visits"),
)


def _stored(folder: str):
    """The names of the files under `folder` of the storage, sub-folders included."""
    if not default_storage.exists(folder):
        return
    folders, files = default_storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _stored(f"{folder}/{sub}")


def record_orphans_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of the records' folders (`RECORD_FILES`) that no row names and
    that were stored more than `UPLOAD_RETENTION_DAYS` before `now`: the leftovers of
    writes rolled back. Listed before the rows are read, so a file whose row commits
    meanwhile is named. Returns how many were deleted."""
    before = (now or timezone.now()) - datetime.timedelta(days=settings.UPLOAD_RETENTION_DAYS)
    deleted = 0
    for label, field, folder in RECORD_FILES:
        files = list(_stored(folder))
        if not files:
            continue
        named = set(apps.get_model(label).objects.filter(**{f"{field}__in": files}).values_list(field, flat=True))
        for name in files:
            try:
                if name in named or default_storage.get_modified_time(name) >= before:
                    continue
                default_storage.delete(name)
            except OSError:
                logger.exception("Record file %s without a row could not be deleted", name)
                continue
            deleted += 1
    return deleted


def upload_gone(job: Job) -> str:
    """Why the job's uploaded file is no longer kept (Chinese), or "" while it is."""
    deleted = parse_datetime(str(job.params.get("file_deleted", "")))
    if deleted is None:
        return ""
    days = job.params.get("retention_days", settings.UPLOAD_RETENTION_DAYS)
    return f"上传的文件只保留 {days} 天，已于 {timezone.localtime(deleted):%Y-%m-%d} 删除；导入结果仍保留。"
