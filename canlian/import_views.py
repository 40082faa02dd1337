"""The pages of every import on the framework (`canlian.importing`): upload, template,
status (polled by htmx) and the rejected rows. `import_urls(Importer, "services")` gives an
app the four URL patterns of one importer; the views are thin."""

import tempfile

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from canlian.importing import Importer, import_job_start
from canlian.jobs import dead_jobs_fail
from canlian.models import Job
from canlian.workbooks import XLSX
from registry.views_excel import REASONS_PER_PAGE, REPORT_ROWS_SHOWN, ImportUploadForm

RECENT_JOBS = 10


def _names(request, name: str) -> dict[str, str]:
    """The namespaced names of an importer's four pages, from the page asked for."""
    namespace = request.resolver_match.namespace
    base = f"{namespace}:{name}_import" if namespace else f"{name}_import"
    return {"start": base, "template": f"{base}_template", "status": f"{base}_status", "rejected": f"{base}_rejected"}


def _job(request, importer: type[Importer], pk: int) -> Job:
    """A job is its uploader's alone: any other user's is 404, as a missing one."""
    return get_object_or_404(Job, pk=pk, kind=importer.kind, created_by=request.user)


def import_urls(importer: type[Importer], name: str) -> list:
    """The upload, template, status and rejected-rows pages of `importer` under `name/`,
    named `<name>_import`, `<name>_import_template`, `<name>_import_status` and
    `<name>_import_rejected`, each guarded by the importer's permission."""
    guard = permission_required(importer.permission, raise_exception=True)

    @require_http_methods(["GET", "POST"])
    @guard
    def start(request):
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            job = import_job_start(importer, user=request.user, upload=form.cleaned_data["file"])
            return redirect(_names(request, name)["status"], pk=job.pk)
        recent = Job.objects.filter(created_by=request.user, kind=importer.kind)[:RECENT_JOBS]
        context = {
            "form": form,
            "importer": importer,
            "columns": importer.columns,
            "recent": recent,
            "urls": _names(request, name),
            "max_mb": settings.IMPORT_MAX_BYTES // 1048576,
        }
        return render(request, "canlian/import_start.html", context)

    @require_GET
    @guard
    def template(request):
        handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        importer.template_write(handle)
        handle.seek(0)
        filename = f"{importer.template_name or importer.title + '导入模板'}.xlsx"
        return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX)

    @require_GET
    @guard
    def status(request, pk: int):
        dead_jobs_fail(Job.objects.filter(pk=pk))
        job = _job(request, importer, pk)
        urls = _names(request, name)
        result = importer.result_class.from_report(job.report) if job.report else None
        reasons = [(r.row, issue) for r in result.rejected for issue in r.reasons] if result else []
        context = {
            "job": job,
            "importer": importer,
            "result": result,
            "reasons": Paginator(reasons, REASONS_PER_PAGE).get_page(request.GET.get("page")),
            "warnings": result.warnings[:REPORT_ROWS_SHOWN] if result else [],
            "warnings_hidden": max(len(result.warnings) - REPORT_ROWS_SHOWN, 0) if result else 0,
            "status_url": reverse(urls["status"], args=[job.pk]),
            "rejected_url": reverse(urls["rejected"], args=[job.pk]),
            "start_url": reverse(urls["start"]),
        }
        if request.htmx:
            return render(
                request, "_import_status_panel.html", {**context, "processed": job.processed, "total": job.total}
            )
        return render(request, "canlian/import_status.html", context)

    @require_GET
    @guard
    def rejected(request, pk: int):
        job = _job(request, importer, pk)
        if job.state != Job.State.DONE or not job.report.get("rejected"):
            raise Http404("该导入没有被拒绝的行")
        handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        result = importer.result_class.from_report(job.report)
        result.sheet_name = importer.sheet_name  # the report keeps the rows, not the sheet's name
        result.rejected_write(handle)
        handle.seek(0)
        stem = job.params.get("name", "导入").rsplit(".", 1)[0]
        return FileResponse(handle, as_attachment=True, filename=f"{stem}_拒绝行.xlsx", content_type=XLSX)

    return [
        path(f"{name}/", start, name=f"{name}_import"),
        path(f"{name}/template.xlsx", template, name=f"{name}_import_template"),
        path(f"{name}/<int:pk>/", status, name=f"{name}_import_status"),
        path(f"{name}/<int:pk>/rejected.xlsx", rejected, name=f"{name}_import_rejected"),
    ]
