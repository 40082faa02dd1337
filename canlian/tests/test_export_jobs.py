"""A long export runs as a background job: its creator follows its progress and downloads
the file; anyone else gets 404; the download is logged, a refused list leaves no file."""

import io
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from canlian.export_jobs import JOB_KIND
from canlian.models import AuditEntry, Job
from registry.excel import HEADERS, PERSON_SHEET
from registry.identifiers import mask_id

URL = reverse("registry:person_export")


@pytest.fixture
def background(settings, tmp_path):
    settings.EXPORT_BACKGROUND_ROWS = 1
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _urls(job: Job) -> tuple[str, str]:
    return reverse("exports:status", args=[job.pk]), reverse("exports:download", args=[job.pk])


def _rows(response) -> list[list]:
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name(PERSON_SHEET).to_python()


def _logged() -> int:
    return AuditEntry.objects.filter(action="registry.export").count()


def test_a_long_export_becomes_a_job_and_its_creator_downloads_the_file(login, users, person, other_person, background):
    client = login(users["admin"])
    response = client.get(URL)
    job = Job.objects.get(kind=JOB_KIND)
    status, download = _urls(job)
    assert response.status_code == 302 and response["Location"] == status
    assert (job.state, job.processed, job.total, job.report["rows"]) == (Job.State.DONE, 2, 2, 2)
    assert _logged() == 0  # written, not yet handed out
    page = client.get(status).content.decode()
    assert "导出完成" in page and download in page and "共 2 行" in page
    rows = _rows(client.get(download))
    assert rows[0] == HEADERS
    assert sorted(row[2] for row in rows[1:]) == sorted(mask_id(p.id_number) for p in (person, other_person))
    log = AuditEntry.objects.get(action="registry.export")
    assert (log.user, log.data["rows"], log.data["revealed"], log.data["job"]) == (users["admin"], 2, False, job.pk)


def test_the_status_panel_is_what_htmx_polls(login, users, person, other_person, background):
    client = login(users["admin"])
    client.get(URL)
    status, download = _urls(Job.objects.get(kind=JOB_KIND))
    panel = client.get(status, headers={"HX-Request": "true"}).content.decode()
    assert panel.lstrip().startswith('<p id="status-announce"') and download in panel and "<html" not in panel


def test_only_the_jobs_creator_sees_its_status_and_file(login, users, person, other_person, background):
    login(users["admin"]).get(URL)
    status, download = _urls(Job.objects.get(kind=JOB_KIND))
    other = Client()
    other.force_login(users["reviewer"])
    assert other.get(status).status_code == 404 and other.get(download).status_code == 404
    assert _logged() == 0


def test_a_list_at_the_threshold_is_answered_at_once(login, users, person, other_person, background, settings):
    settings.EXPORT_BACKGROUND_ROWS = 2
    assert len(_rows(login(users["admin"]).get(URL))) == 3
    assert not Job.objects.filter(kind=JOB_KIND).exists() and _logged() == 1


def test_a_list_longer_than_a_worksheet_is_refused_and_leaves_no_file(
    login, users, person, other_person, background, monkeypatch
):
    monkeypatch.setattr("canlian.workbooks.MAX_ROWS", 2)
    client = login(users["admin"])
    client.get(URL)
    job = Job.objects.get(kind=JOB_KIND)
    status, download = _urls(job)
    assert job.state == Job.State.REFUSED and "分批导出" in job.message
    assert "未能导出" in client.get(status).content.decode()
    assert client.get(download).status_code == 404
    assert not list(Path(background, "exports").iterdir()) and _logged() == 0


def test_the_audit_log_export_runs_in_the_background_too(login, users, background):
    for _ in range(2):
        AuditEntry.objects.create(action="registry.identifiers.revealed", user=users["officer"], data={})
    client = login(users["admin"])
    client.get(reverse("audit:entry_export"), {"user": users["officer"].pk})
    job = Job.objects.get(kind=JOB_KIND)
    response = client.get(_urls(job)[1])
    rows = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content))).get_sheet_by_index(0)
    assert len(rows.to_python()) == 3
    log = AuditEntry.objects.get(action="canlian.export")
    assert (log.data["rows"], log.data["filters"]) == (2, {"user": str(users["officer"].pk)})


def _background_exporters() -> dict[str, str]:
    """The kind by dotted path of every background-capable exporter the project's pages use."""
    from django.urls import get_resolver

    from canlian.exporting import ListExporter

    get_resolver().resolve("/")  # imports every view, and with them every exporter
    found, todo = {}, list(ListExporter.__subclasses__())
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if cls.job_kind:
            found[f"{cls.__module__}.{cls.__qualname__}"] = cls.job_kind
    return found


def test_a_worker_that_imported_no_view_finds_every_background_exporter_by_its_class():
    """`db_worker` imports the task's module, not the views that import the exporters: the
    job names its exporter's class, which the worker imports (a fresh interpreter here)."""
    import json
    import os
    import subprocess
    import sys

    kinds = _background_exporters()
    assert {"benefits.exports.EligibilityExporter", "benefits.grants.EnrolmentExporter"} <= set(kinds)
    script = (
        "import json, sys, django\n"
        "django.setup()\n"
        "from canlian.export_jobs import _exporter_class\n"
        "kinds = json.loads(sys.argv[1])\n"
        # Whatever start-up happened to import, each exporter's module is dropped first, so
        # only the job's class path can bring it back.
        "for path, kind in kinds.items():\n"
        "    sys.modules.pop(path.rsplit('.', 1)[0], None)\n"
        "    assert _exporter_class({'class': path, 'exporter': kind}).job_kind == kind, path\n"
        "    assert path.rsplit('.', 1)[0] in sys.modules, path\n"
        "print(len(kinds))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "canlian.settings"}
    done = subprocess.run([sys.executable, "-c", script, json.dumps(kinds)], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) == len(kinds)


def test_a_job_naming_a_class_that_is_not_its_kinds_exporter_fails(db):
    from canlian.export_jobs import _exporter_class

    with pytest.raises(ValueError):
        _exporter_class({"class": "canlian.audit_exports.AuditExporter", "exporter": "registry.persons"})
    with pytest.raises(ValueError):
        _exporter_class({"class": "canlian.models.Job", "exporter": ""})
