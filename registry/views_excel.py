"""Excel in and out: the import pages (upload, progress, report, downloads) and the export
of the current filtered list. Thin: parse the request, call the service, render."""

import tempfile
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from canlian.exporting import export_response
from canlian.workbooks import XLSX
from registry import excel
from registry.imports import ImportResult
from registry.models import ImportJob
from registry.tasks import dead_jobs_fail, run_person_import

EXCEL_SUFFIXES = (".xlsx", ".xls")
# Leading bytes of an .xlsx (a zip) and of an .xls (an OLE2 compound file).
EXCEL_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
REPORT_ROWS_SHOWN = 500
REASONS_PER_PAGE = 200


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


def job_for_user(request, pk: int, kind: str = ImportJob.Kind.PERSONS) -> ImportJob:
    """An import job (of persons, or of a comparison's events) is visible only to the user
    who uploaded it: others get 404."""
    return get_object_or_404(ImportJob, pk=pk, created_by=request.user, kind=kind)


def rejected_download(job: ImportJob, result_class: type[ImportResult], what: str) -> FileResponse:
    """A finished job's rejected rows as a workbook to fix and upload again."""
    if job.state != ImportJob.State.DONE or not job.rejected_count:
        raise Http404(f"该{what}没有被拒绝的行")
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    result_class.from_report(job.report).rejected_write(handle)
    handle.seek(0)
    stem = Path(job.original_name).stem
    return FileResponse(handle, as_attachment=True, filename=f"{stem}_拒绝行.xlsx", content_type=XLSX)


@require_http_methods(["GET", "POST"])
@permission_required("registry.import_persons", raise_exception=True)
def import_start(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = ImportJob.objects.create(file=upload, original_name=Path(upload.name).name[:200], created_by=request.user)
        run_person_import.enqueue(job.pk)
        return redirect("registry:import_status", pk=job.pk)
    recent = ImportJob.objects.filter(created_by=request.user, kind=ImportJob.Kind.PERSONS)[:10]
    return render(
        request,
        "registry/import_start.html",
        {"form": form, "columns": excel.COLUMNS, "recent": recent, "max_mb": settings.IMPORT_MAX_BYTES // 1048576},
    )


@require_GET
@permission_required("registry.import_persons", raise_exception=True)
def import_status(request, pk: int):
    job = job_for_user(request, pk)
    page = {"what": "导入", "start_url": reverse("registry:import_start"), "again": "导入另一个文件"}
    return status_render(request, job, ImportResult, "registry/import_status_panel.html", page)


def status_render(request, job: ImportJob, result_class: type[ImportResult], panel: str, page: dict):
    """A job's status: its panel alone for the page's polling (htmx), else the whole page
    (`page`: what the job is, and the link to start another). A job whose worker died is
    shown, and stored, as failed."""
    if not job.finished and dead_jobs_fail(ImportJob.objects.filter(pk=job.pk)):
        job.refresh_from_db()
    context = status_context(job, result_class, page_number=request.GET.get("page"))
    if request.htmx:
        return render(request, panel, context)
    return render(request, "registry/job_status.html", {**context, **page, "panel": panel})


def status_context(job: ImportJob, result_class: type[ImportResult], *, page_number: str | None = None) -> dict:
    """The context of a job's status page: the job, a page of its rejected rows' reasons
    (`page_number`), and its first warnings."""
    result = result_class.from_report(job.report) if job.report else None
    reasons = []
    if result:
        reasons = [(r.row, issue) for r in result.rejected for issue in r.reasons]
    return {
        "job": job,
        "result": result,
        "reasons": Paginator(reasons, REASONS_PER_PAGE).get_page(page_number),
        "warnings": result.warnings[:REPORT_ROWS_SHOWN] if result else [],
        "warnings_hidden": max(len(result.warnings) - REPORT_ROWS_SHOWN, 0) if result else 0,
    }


@require_GET
@permission_required("registry.import_persons", raise_exception=True)
def import_template(request):
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    excel.template_write(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename="持证残疾人导入模板.xlsx", content_type=XLSX)


@require_GET
@permission_required("registry.import_persons", raise_exception=True)
def import_rejected(request, pk: int):
    return rejected_download(job_for_user(request, pk), ImportResult, "导入")


@require_GET
@permission_required("registry.export_persons", raise_exception=True)
def person_export(request):
    """The current filtered list (same filters as the list page) in the template's columns.
    Full identifiers only on request (reveal=1) and with the reveal permission; logged."""
    return export_response(request, excel.PersonExporter.for_request(request))
