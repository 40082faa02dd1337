"""Data comparison (数据比对) pages: upload a department's list of events, follow its
progress, read the row report, download the rejected rows. Thin: the work is
`registry.comparison.events_import`, run as a background task on an `ImportJob`."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from registry.comparison import EVENT_COLUMNS, KIND_BY_NAME, VALUE_HELP, EventsResult
from registry.models import ImportJob
from registry.tasks import run_events_import
from registry.views_excel import ImportUploadForm, job_for_user, rejected_download, status_render

KIND = ImportJob.Kind.EVENTS


class EventsUploadForm(ImportUploadForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = f"仅限 .xlsx 或 .xls，列为 {'、'.join(EVENT_COLUMNS)}"


@require_http_methods(["GET", "POST"])
@permission_required("registry.import_persons", raise_exception=True)
def comparison_start(request):
    form = EventsUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = ImportJob.objects.create(
            kind=KIND, file=upload, original_name=Path(upload.name).name[:200], created_by=request.user
        )
        run_events_import.enqueue(job.pk)
        return redirect("registry:comparison_status", pk=job.pk)
    kinds = [(name, VALUE_HELP.get(kind, "留空")) for name, kind in KIND_BY_NAME.items()]
    context = {
        "form": form,
        "columns": EVENT_COLUMNS,
        "kinds": kinds,
        "recent": ImportJob.objects.filter(created_by=request.user, kind=KIND)[:10],
        "max_mb": settings.IMPORT_MAX_BYTES // 1048576,
    }
    return render(request, "registry/comparison_start.html", context)


@require_GET
@permission_required("registry.import_persons", raise_exception=True)
def comparison_status(request, pk: int):
    job = job_for_user(request, pk, KIND)
    page = {"what": "数据比对", "start_url": reverse("registry:comparison_start"), "again": "比对另一个文件"}
    return status_render(request, job, EventsResult, "registry/comparison_status_panel.html", page)


@require_GET
@permission_required("registry.import_persons", raise_exception=True)
def comparison_rejected(request, pk: int):
    return rejected_download(job_for_user(request, pk, KIND), EventsResult, "比对")
