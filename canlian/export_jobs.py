"""Large exports as background jobs: the job, its task, the file it leaves, the pages
that show its progress and hand the file to its creator, and how long the file is kept.

`export_response` starts a job when a background-capable exporter's list is longer than
`EXPORT_BACKGROUND_ROWS`. The task builds the exporter again from the job's params for the
job's creator (so the scope is the creator's), writes the workbook under MEDIA_ROOT with
the job's progress, and the status page polls it. The download is the creator's alone
(anyone else: 404) and each download is logged as the export, with the filter and rows.

A file is kept `EXPORT_RETENTION_DAYS` after its job finished. `exports_clean` deletes the
older ones, marks their jobs expired (`report["expired"]`: the work did end done, its file
is what is gone) and deletes the files no job names. It runs in the worker at the start of
every export job and as `manage.py exports_clean`; the status page and the download expire
a job past its retention when they read it, so what a user is offered holds to the
retention even when no export has run since.
"""

import datetime
import logging
import re
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.module_loading import import_string
from django.views.decorators.http import require_GET

from canlian.exporting import ExportRefused, ListExporter
from canlian.jobs import Outcome, dead_jobs_fail, job_run, job_task
from canlian.models import Job
from canlian.workbooks import XLSX, TooManyRows

logger = logging.getLogger(__name__)

JOB_KIND = "canlian.export"
# The job's pk starts the name of its file (`run_export`).
_FILE_NAME = re.compile(r"^([0-9]+)-")


def export_folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "exports"


def export_start(*, user, exporter: ListExporter, action: str, rows: int, again: str = "") -> Job:
    """A job for `exporter` (about `rows` rows), queued; `action` is what its download logs,
    `again` the address that asks for the same export (offered once the file is deleted)."""
    exporter_class = type(exporter)
    job = Job.objects.create(
        kind=JOB_KIND,
        title=exporter.filename,
        params={
            "exporter": exporter.job_kind,
            "class": f"{exporter_class.__module__}.{exporter_class.__qualname__}",
            "params": exporter.params(),
            "action": action,
            "rows": rows,
            "again": again,
        },
        total=rows,
        created_by=user,
    )
    run_export.enqueue(job.pk)
    return job


def _exporter_class(params: dict) -> type[ListExporter]:
    """The job's exporter, imported by its path: the worker (`db_worker`) imports no view,
    so it knows an exporter only once it has imported the exporter's module. Only a
    background-capable exporter of the job's kind is taken."""
    found = import_string(params["class"])
    if not (isinstance(found, type) and issubclass(found, ListExporter) and found.job_kind == params["exporter"]):
        raise ValueError(f"{params['class']} is not the exporter of {params['exporter']!r}")
    return found


@job_task
def run_export(job_id: int) -> dict:
    """Write the job's workbook into MEDIA_ROOT/exports; a list refused (too long, its
    filter, or the exporter's `finished`) leaves no file. Old files go first."""

    def export(job: Job, progress) -> Outcome:
        # Files appear only through these jobs, so cleaning as each starts keeps the
        # folder to what the retention allows without a scheduler (the worker has none).
        exports_clean()
        exporter = _exporter_class(job.params).from_params(job.created_by, job.params["params"])
        expected = job.params["rows"]
        folder = export_folder()
        folder.mkdir(parents=True, exist_ok=True)
        # Not guessable: the name is no way in (the download checks the creator), but the
        # folder may be served or backed up with others.
        path = folder / f"{job.pk}-{secrets.token_hex(8)}.xlsx"
        try:
            rows = exporter.write(str(path), progress=lambda done, total: progress(done, max(total, expected)))
            exporter.finished(rows, user=job.created_by)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        log = {**exporter.log_detail(), **exporter.persons_detail()}
        report = {"file": path.name, "filename": exporter.download_name(), "rows": rows, "log": log}
        return Outcome(f"共 {rows:,} 行", report)

    return job_run(
        job_id,
        export,
        refused=(TooManyRows, ExportRefused),
        failure="导出时发生系统错误，未生成文件。请联系系统管理员。",
    )


# Retention ---------------------------------------------------------------------------


def _with_file(jobs):
    """Those of `jobs` that are finished exports whose file has not been deleted."""
    return jobs.filter(kind=JOB_KIND, state=Job.State.DONE).exclude(report__has_key="expired")


def export_jobs_expire(jobs=None) -> int:
    """Delete the files of the export jobs among `jobs` (all by default) that finished more
    than `EXPORT_RETENTION_DAYS` ago and mark the jobs expired, with the day and the
    retention. Returns how many jobs were marked."""
    now = timezone.now()
    days = settings.EXPORT_RETENTION_DAYS
    old = _with_file(Job.objects.all() if jobs is None else jobs).filter(
        finished_at__lt=now - datetime.timedelta(days=days)
    )
    marked = 0
    for job in old.only("pk", "report"):
        name = job.report.get("file")
        try:
            if name:
                (export_folder() / Path(name).name).unlink(missing_ok=True)
        except OSError:
            logger.exception("Export job %s: its file could not be deleted", job.pk)
            continue
        Job.objects.filter(pk=job.pk).update(report={**job.report, "expired": now, "retention_days": days})
        marked += 1
    return marked


def export_orphans_delete() -> int:
    """Delete the files of the export folder that no job names: the file of a job that
    ended otherwise (a worker stopped between writing and recording it), of an expired or
    deleted job, or one put there by hand. A file of a job still queued or running may be
    being written, and stays. Returns how many were deleted."""
    folder = export_folder()
    if not folder.is_dir():
        return 0
    # Listed before the jobs are read: a job that finishes meanwhile names its file.
    files = [path for path in folder.iterdir() if path.is_file()]
    pks = {int(match[1]) for path in files if (match := _FILE_NAME.match(path.name))}
    busy, named = set(), set()
    for pk, state, report in Job.objects.filter(kind=JOB_KIND, pk__in=pks).values_list("pk", "state", "report"):
        if state in (Job.State.QUEUED, Job.State.RUNNING):
            busy.add(pk)
        elif state == Job.State.DONE and "expired" not in report and report.get("file"):
            named.add(report["file"])
    deleted = 0
    for path in files:
        match = _FILE_NAME.match(path.name)
        if path.name in named or (match and int(match[1]) in busy):
            continue
        try:
            path.unlink(missing_ok=True)
        except OSError:
            logger.exception("Export file %s could not be deleted", path.name)
            continue
        deleted += 1
    return deleted


def exports_clean() -> tuple[int, int]:
    """The retention applied to every export: (jobs expired, files without a job deleted)."""
    return export_jobs_expire(), export_orphans_delete()


def export_gone(job: Job) -> str:
    """Why a finished export's file can no longer be downloaded (Chinese), or "" while it
    can."""
    if job.state != Job.State.DONE:
        return ""
    if "expired" in job.report:
        expired = parse_datetime(str(job.report["expired"]))
        day = f"于 {timezone.localtime(expired):%Y-%m-%d} " if expired else ""
        return f"导出文件只保留 {job.report.get('retention_days', settings.EXPORT_RETENTION_DAYS)} 天，已{day}删除。"
    if not _file(job).is_file():
        return "导出文件已不存在。"
    return ""


def _file(job: Job) -> Path:
    return export_folder() / Path(job.report.get("file", "")).name


# Pages -------------------------------------------------------------------------------


def _own_job(request, pk: int) -> Job:
    dead_jobs_fail(Job.objects.filter(pk=pk))
    job = get_object_or_404(Job, pk=pk, kind=JOB_KIND, created_by=request.user)
    if export_jobs_expire(Job.objects.filter(pk=job.pk)):
        job.refresh_from_db()
    return job


def _status(request, job: Job, *, status: int = 200):
    gone = export_gone(job)
    template = "canlian/_export_panel.html" if request.htmx else "canlian/export_status.html"
    context = {
        "job": job,
        "gone": gone,
        "again": job.params.get("again", "") if gone else "",
        "retention_days": settings.EXPORT_RETENTION_DAYS,
    }
    return render(request, template, context, status=status)


@require_GET
@login_required
def export_status(request, pk: int):
    """The progress of an export, and its download link when done (or, once its file is
    deleted, why and the way to ask again); its creator's only."""
    return _status(request, _own_job(request, pk))


@require_GET
@login_required
def export_download(request, pk: int):
    """The finished export's file, logged like an export answered at once. A file no longer
    kept answers 410 with the status page, which says why and offers the export again."""
    from accounts.services import access_log_write

    job = _own_job(request, pk)
    if job.state != Job.State.DONE:
        raise Http404("导出尚未完成")
    try:
        handle = None if export_gone(job) else _file(job).open("rb")
    except FileNotFoundError:  # deleted since it was looked for
        handle = None
    if handle is None:
        return _status(request, job, status=410)
    access_log_write(
        user=request.user, action=job.params["action"], rows=job.report["rows"], job=job.pk, **job.report["log"]
    )
    return FileResponse(handle, as_attachment=True, filename=job.report["filename"], content_type=XLSX)
