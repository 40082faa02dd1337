"""Large exports as background jobs: the job, its task, the file it leaves, and the pages
that show its progress and hand the file to its creator.

`export_response` starts a job when a background-capable exporter's list is longer than
`EXPORT_BACKGROUND_ROWS`. The task builds the exporter again from the job's params for the
job's creator (so the scope is the creator's), writes the workbook under MEDIA_ROOT with
the job's progress, and the status page polls it. The download is the creator's alone
(anyone else: 404) and each download is logged as the export, with the filter and rows.
"""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.module_loading import import_string
from django.views.decorators.http import require_GET
from django_tasks import task

from canlian.exporting import ExportRefused, ListExporter
from canlian.jobs import Outcome, dead_jobs_fail, job_run
from canlian.models import Job
from canlian.workbooks import XLSX, TooManyRows

JOB_KIND = "canlian.export"


def export_folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "exports"


def export_start(*, user, exporter: ListExporter, action: str, rows: int) -> Job:
    """A job for `exporter` (about `rows` rows), queued; `action` is what its download logs."""
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


@task()
def run_export(job_id: int) -> dict:
    """Write the job's workbook into MEDIA_ROOT/exports; a list refused (too long, its
    filter, or the exporter's `finished`) leaves no file."""

    def export(job: Job, progress) -> Outcome:
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
        report = {"file": path.name, "filename": exporter.download_name(), "rows": rows, "log": exporter.log_detail()}
        return Outcome(f"共 {rows:,} 行", report)

    return job_run(
        job_id,
        export,
        refused=(TooManyRows, ExportRefused),
        failure="导出时发生系统错误，未生成文件。请联系系统管理员。",
    )


def _own_job(request, pk: int) -> Job:
    dead_jobs_fail(Job.objects.filter(pk=pk))
    return get_object_or_404(Job, pk=pk, kind=JOB_KIND, created_by=request.user)


@require_GET
@login_required
def export_status(request, pk: int):
    """The progress of an export, and its download link when done; its creator's only."""
    job = _own_job(request, pk)
    template = "canlian/_export_panel.html" if request.htmx else "canlian/export_status.html"
    return render(request, template, {"job": job})


@require_GET
@login_required
def export_download(request, pk: int):
    """The finished export's file, logged like an export answered at once."""
    from accounts.services import access_log_write

    job = _own_job(request, pk)
    if job.state != Job.State.DONE:
        raise Http404("导出尚未完成")
    path = export_folder() / Path(job.report["file"]).name
    if not path.is_file():
        raise Http404("导出文件已不存在，请重新导出")
    access_log_write(
        user=request.user, action=job.params["action"], rows=job.report["rows"], job=job.pk, **job.report["log"]
    )
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.report["filename"], content_type=XLSX)
