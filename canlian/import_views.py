"""The pages of every import (`canlian.importing`): upload, template, status (polled by
htmx) and the rejected rows. `import_urls(Importer, "services")` gives an app the four URL
patterns of one importer, and `import_scoped_urls` their declarations for the scope test;
the views are thin."""

import tempfile

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from canlian.declarations import ScopedUrl
from canlian.importing import Importer, import_job_start
from canlian.jobs import dead_jobs_fail
from canlian.models import Job
from canlian.uploads import upload_gone
from canlian.workbooks import XLSX

RECENT_JOBS = 10
REPORT_ROWS_SHOWN = 500
REASONS_PER_PAGE = 200
EXCEL_SUFFIXES = (".xlsx", ".xls")
# Leading bytes of an .xlsx (a zip) and of an .xls (an OLE2 compound file).
EXCEL_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Excel 文件",
        help_text="仅限 .xlsx 或 .xls，按导入模板的列填写",
        error_messages={"required": "请选择要导入的 Excel 文件", "empty": "上传的文件是空的"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(EXCEL_SUFFIXES):
            raise forms.ValidationError("只能导入 Excel 文件（.xlsx 或 .xls）")
        limit = settings.IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"文件太大（{upload.size / 1048576:.1f} MB），上限为 {limit / 1048576:.0f} MB；请分成几个文件导入"
            )
        head = upload.read(4)
        upload.seek(0)
        if not head.startswith(EXCEL_MAGIC):
            raise forms.ValidationError("文件内容不是 Excel 工作簿，请用 Excel 另存为 .xlsx 后再导入")
        return upload


def _names(request, name: str) -> dict[str, str]:
    """The namespaced names of an importer's four pages, from the page asked for."""
    namespace = request.resolver_match.namespace
    base = f"{namespace}:{name}_import" if namespace else f"{name}_import"
    return {"start": base, "template": f"{base}_template", "status": f"{base}_status", "rejected": f"{base}_rejected"}


def _job(request, importer: type[Importer], pk: int) -> Job:
    """A job is its uploader's alone: any other user's is 404, as a missing one."""
    return get_object_or_404(Job, pk=pk, kind=importer.kind, created_by=request.user)


def import_urls(importer: type[Importer], name: str, *, folder: str | None = None, jobs: str | None = None) -> list:
    """The upload, template, status and rejected-rows pages of `importer`, named
    `<name>_import`, `<name>_import_template`, `<name>_import_status` and
    `<name>_import_rejected`, each guarded by the importer's permission. The upload page
    and the template are under `folder` (default `<name>/`), the job's pages under `jobs`
    (default `folder`)."""
    folder = f"{name}/" if folder is None else folder
    jobs = folder if jobs is None else jobs
    guard = permission_required(importer.permission, raise_exception=True)

    @require_http_methods(["GET", "POST"])
    @guard
    def start(request):
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        if importer.upload_help:
            form.fields["file"].help_text = importer.upload_help
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
            **importer.start_context(),
        }
        return render(request, importer.start_template, context)

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
            "upload_gone": upload_gone(job),
            "importer": importer,
            "result": result,
            "reasons": Paginator(reasons, REASONS_PER_PAGE).get_page(request.GET.get("page")),
            "warnings": result.warnings[:REPORT_ROWS_SHOWN] if result else [],
            "warnings_hidden": max(len(result.warnings) - REPORT_ROWS_SHOWN, 0) if result else 0,
            "status_url": reverse(urls["status"], args=[job.pk]),
            "rejected_url": reverse(urls["rejected"], args=[job.pk]),
            "start_url": reverse(urls["start"]),
            "processed": job.processed,
            "total": job.total,
        }
        if request.htmx:
            return render(request, "_import_status_panel.html", context)
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
        path(folder, start, name=f"{name}_import"),
        path(f"{folder}template.xlsx", template, name=f"{name}_import_template"),
        path(f"{jobs}<int:pk>/", status, name=f"{name}_import_status"),
        path(f"{jobs}<int:pk>/rejected.xlsx", rejected, name=f"{name}_import_rejected"),
    ]


def _scope_jobs(importer: type[Importer], url_name: str):
    """Import jobs are their uploader's own: one of the home officer's and one of the other
    officer's, each done with one rejected row (so its rejected-rows download exists)."""

    def make(world):
        urls = []
        for key in ("officer", "other_officer"):
            job = Job.objects.create(
                kind=importer.kind,
                title="范围测试导入",
                params={"file": "imports/scope.xlsx", "name": "导入.xlsx"},
                created_by=world.users[key],
                state=Job.State.DONE,
                report={"columns": ["公民身份号码"], "rejected": [{"row": 2, "values": ["x"], "reasons": []}]},
            )
            urls.append(reverse(url_name, args=[job.pk]))
        return tuple(urls)

    return make


def import_scoped_urls(importer: type[Importer], base: str) -> dict[str, ScopedUrl]:
    """The declarations of the four pages of `import_urls` named `base` (`rehab:services_import`):
    upload and template for whoever may import, the job's status and rejected rows for its
    uploader alone."""
    permission = importer.permission
    return {
        base: ScopedUrl(permission),
        f"{base}_template": ScopedUrl(permission),
        f"{base}_status": ScopedUrl(permission, _scope_jobs(importer, f"{base}_status"), scope="owner"),
        f"{base}_rejected": ScopedUrl(permission, _scope_jobs(importer, f"{base}_rejected"), scope="owner"),
    }
