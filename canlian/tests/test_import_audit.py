"""An import job leaves an audit entry however it ends: finished (`<app>.import`, written by
the import), refused (`<app>.import.refused`, with the reason) or failed (`<app>.import.failed`,
also when its worker died), each on the job, under the app whose import it was."""

import importlib

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from canlian.audit import ACTIONS
from canlian.importing import IMPORT_FAILED, IMPORTERS, import_job_start, run_import
from canlian.models import AuditEntry, Job
from registry.tests.workbooks import write_workbook
from rehab.imports import ServiceRecordImporter

# Every app's importers, so that IMPORTERS holds them all.
import_modules = (
    "areas.services",
    "benefits.award_import",
    "registry.comparison",
    "registry.imports",
    "rehab.imports",
    "care.imports",
    "outreach.imports",
    "activities.imports",
)


@pytest.fixture(autouse=True)
def _media_and_tasks(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _upload(tmp_path, headers) -> SimpleUploadedFile:
    path = write_workbook(tmp_path / "服务.xlsx", [], headers)
    return SimpleUploadedFile(path.name, path.read_bytes())


def test_a_refused_file_is_audited_on_its_job_with_the_reason(users, tmp_path):
    job = import_job_start(ServiceRecordImporter, user=users["officer"], upload=_upload(tmp_path, ["公民身份号码"]))
    job.refresh_from_db()
    assert job.state == Job.State.REFUSED
    entry = AuditEntry.objects.get(action="rehab.import.refused")
    assert (entry.user, entry.content_type.model_class(), entry.object_id) == (users["officer"], Job, str(job.pk))
    assert entry.data == {"file": "服务.xlsx", "message": job.message} and "缺少必需的列" in job.message
    assert entry.action_label == "导入康复服务记录或需求评估：文件被拒绝"
    assert not AuditEntry.objects.filter(action="rehab.import").exists()


def test_a_failed_job_is_audited_on_the_job(users, tmp_path, monkeypatch):
    def unreadable(*args, **kwargs):
        raise OSError("the stored upload cannot be read")

    monkeypatch.setattr(default_storage, "open", unreadable)
    upload = _upload(tmp_path, ["公民身份号码", "项目编号", "服务机构", "服务日期"])
    job = import_job_start(ServiceRecordImporter, user=users["officer"], upload=upload)
    job.refresh_from_db()
    assert (job.state, job.message) == (Job.State.FAILED, IMPORT_FAILED)
    entry = AuditEntry.objects.get(action="rehab.import.failed")
    assert (entry.user, entry.object_id, entry.data) == (
        users["officer"],
        str(job.pk),
        {"file": "服务.xlsx", "message": IMPORT_FAILED},
    )


def test_every_apps_import_endings_have_their_chinese_labels():
    for module in import_modules:
        importlib.import_module(module)
    apps_of_imports = {kind.split(".")[0] for kind in IMPORTERS if apps.is_installed(kind.split(".")[0])}
    assert apps_of_imports >= {"registry", "benefits", "areas", "rehab", "care", "outreach", "activities"}
    for app in apps_of_imports:
        for action in (f"{app}.import", f"{app}.import.refused", f"{app}.import.failed"):
            assert ACTIONS.get(action, "").startswith("导入"), action


def test_the_audit_log_names_an_import_by_its_title_not_its_code():
    from canlian.audit_exports import data_text

    text = data_text({"kind": ServiceRecordImporter.kind, "created": 3, "file": "服务.xlsx"})
    assert text == "新增：3；文件：服务.xlsx；类型：康复服务记录"
    assert data_text({"kind": "unknown.kind"}) == "类型：unknown.kind"


@pytest.mark.parametrize(
    ("headers", "action"),
    [
        (["公民身份号码"], "rehab.import.refused"),
        (["公民身份号码", "项目编号", "服务机构", "服务日期"], "rehab.import"),
    ],
)
def test_an_import_started_from_the_page_is_logged_with_the_uploaders_address(
    users, login, tmp_path, settings, headers, action
):
    """The worker runs the job after the upload's request has ended: the address goes with
    the job, and the audit log shows it, as it does a page's or an export's."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client = login(users["officer"])
    response = client.post(
        reverse("rehab:services_import"), {"file": _upload(tmp_path, headers)}, REMOTE_ADDR="203.0.113.7"
    )
    job = Job.objects.get()
    assert response.status_code == 302 and job.params["ip"] == "203.0.113.7"
    assert not AuditEntry.objects.filter(action__startswith="rehab.import").exists()
    run_import.call(job.pk)
    entry = AuditEntry.objects.get(action__startswith="rehab.import")
    assert (entry.action, entry.user, entry.data["file"], entry.ip_address) == (
        action,
        users["officer"],
        "服务.xlsx",
        "203.0.113.7",
    )
    page = login(users["auditor"]).get(reverse("audit:entry_list"), {"action": action}).content.decode()
    assert "<td>203.0.113.7</td>" in page


def test_an_import_from_a_command_has_no_address(users, tmp_path):
    job = import_job_start(ServiceRecordImporter, user=users["officer"], upload=_upload(tmp_path, ["公民身份号码"]))
    assert job.params["ip"] is None
    assert AuditEntry.objects.get(action="rehab.import.refused").ip_address is None
