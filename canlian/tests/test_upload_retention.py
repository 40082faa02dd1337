"""An import's uploaded workbook is kept UPLOAD_RETENTION_DAYS after its upload, then
deleted (`manage.py purge_uploads`, and each import job as it starts); the job keeps its
report and notes the deletion, which its page says in Chinese. A job still running keeps
its file. Times are a fixed 'now'."""

import datetime
import io
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from canlian.importing import import_job_start
from canlian.models import Job
from canlian.uploads import uploads_purge
from registry.tests.workbooks import write_workbook
from rehab.imports import ServiceRecordImporter

# Later than the clock, so the purge each import job runs as it starts (at the real time)
# leaves the files these tests age from NOW alone.
NOW = timezone.make_aware(datetime.datetime(2030, 6, 30, 2, 0))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.UPLOAD_RETENTION_DAYS = 90
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _imported(users, tmp_path, *, days_ago: float, name: str = "服务.xlsx", now=NOW) -> Job:
    """An import of the officer's, ended (refused: a sheet without its columns), uploaded
    `days_ago` days before `now`."""
    path = write_workbook(tmp_path / name, [], ["公民身份号码"])
    job = import_job_start(
        ServiceRecordImporter, user=users["officer"], upload=SimpleUploadedFile(path.name, path.read_bytes())
    )
    Job.objects.filter(pk=job.pk).update(created_at=now - datetime.timedelta(days=days_ago))
    job.refresh_from_db()
    assert job.finished and default_storage.exists(job.params["file"])
    return job


def test_files_past_the_retention_are_deleted_and_their_jobs_keep_the_report(users, tmp_path):
    old, recent = _imported(users, tmp_path, days_ago=90.5), _imported(users, tmp_path, days_ago=89.5, name="新.xlsx")
    report, message = old.report, old.message
    assert uploads_purge(now=NOW) == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert not default_storage.exists(old.params["file"]) and default_storage.exists(recent.params["file"])
    assert (old.report, old.message, old.state) == (report, message, Job.State.REFUSED)
    assert old.params["retention_days"] == 90 and "file_deleted" in old.params
    assert "file_deleted" not in recent.params
    # Once is enough: the job is not counted again.
    assert uploads_purge(now=NOW) == 0


def test_a_job_still_running_keeps_its_file(users, tmp_path):
    job = _imported(users, tmp_path, days_ago=200)
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING)
    assert uploads_purge(now=NOW) == 0
    assert default_storage.exists(job.params["file"])


def test_the_command_purges_and_says_so(users, tmp_path, settings):
    settings.UPLOAD_RETENTION_DAYS = 30
    job = _imported(users, tmp_path, days_ago=400, now=timezone.now())
    out = io.StringIO()
    call_command("purge_uploads", stdout=out)
    assert out.getvalue() == "已删除 1 个超过 30 天的上传文件（导入结果保留）。\n"
    assert not default_storage.exists(job.params["file"])


def test_the_jobs_page_says_the_file_was_deleted(login, users, tmp_path):
    job = _imported(users, tmp_path, days_ago=100)
    uploads_purge(now=NOW)
    page = login(users["officer"]).get(reverse("rehab:services_import_status", args=[job.pk])).content.decode()
    assert "上传的文件只保留 90 天，已于 2030-06-30 删除；导入结果仍保留。" in page
    assert "文件未导入" in page


def test_each_import_job_purges_the_old_files_as_it_starts(users, tmp_path):
    old = _imported(users, tmp_path, days_ago=120, now=timezone.now())
    _imported(users, tmp_path, days_ago=0, name="今天.xlsx", now=timezone.now())
    old.refresh_from_db()
    assert "file_deleted" in old.params and not default_storage.exists(old.params["file"])


def _aged(name: str, days: int) -> None:
    """The stored file `name` last written `days` days before the real clock."""
    stamp = (timezone.now() - datetime.timedelta(days=days)).timestamp()
    os.utime(default_storage.path(name), (stamp, stamp))


@pytest.fixture
def record_files(users, person):
    """A record's file of each kind, stored long ago, and each record ended as a kept one
    may be: the application returned, the change request refused, the visit voided."""
    from benefits.models import Application, ApplicationAttachment, Scheme
    from outreach.declaration import TINY_PNG
    from outreach.services import visit_record, visit_void
    from registry.changes import change_request_create
    from registry.models import ChangeRequest

    application = Application.objects.create(
        person=person,
        scheme=Scheme.objects.get(code="living"),
        area_code=person.area_id,
        applied_on=datetime.date(2025, 1, 5),
        applicant=Application.Applicant.SELF,
        submitted_by=users["officer"],
        state=Application.State.RETURNED,
    )
    attachment = ApplicationAttachment(application=application, title="身份证", uploaded_by=users["officer"])
    attachment.file.save("id.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    request = change_request_create(
        user=users["officer"],
        person=person,
        field=ChangeRequest.Field.BANK,
        values={"bank_name": "测试银行", "bank_account": "6228480055550001"},
        reason="换卡",
        evidence=ContentFile(b"%PDF-1.4\n", name="card.pdf"),
    )
    ChangeRequest.objects.filter(pk=request.pk).update(state=ChangeRequest.State.REJECTED)
    photo = SimpleUploadedFile("走访.png", TINY_PNG, content_type="image/png")
    visit = visit_record(
        user=users["officer"], person=person, visited_on=datetime.date.today(), visitors=[users["officer"]],
        photos=[photo],
    )  # fmt: skip
    visit_void(user=users["officer"], visit=visit, reason="录入错误")
    names = [attachment.file.name, request.evidence.name, visit.photos.get().file.name]
    for name in names:
        _aged(name, 1000)
    return names


def test_every_file_field_is_a_record_file_with_its_rule():
    from django.apps import apps
    from django.db import models

    from canlian.uploads import RECORD_FILES

    fields = {
        (model._meta.label, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    }
    assert fields == {(label, field) for label, field, _ in RECORD_FILES}


def test_purge_uploads_keeps_the_records_files_and_deletes_those_no_row_names(users, record_files, settings):
    """Attachments, evidence and photos are records (canlian.uploads): kept however old,
    whatever became of their record. A file of theirs that no row names (a refused write's
    leftover) goes once older than the retention."""
    settings.UPLOAD_RETENTION_DAYS = 30
    old_orphans = [
        default_storage.save("applications/2024/01/left.pdf", ContentFile(b"%PDF-1.4\n")),
        default_storage.save("change_requests/2024/01/left.pdf", ContentFile(b"%PDF-1.4\n")),
        default_storage.save("outreach/visits/2024/01/left.png", ContentFile(b"png")),
    ]
    for name in old_orphans:
        _aged(name, 31)
    recent = default_storage.save("applications/2024/01/just-now.pdf", ContentFile(b"%PDF-1.4\n"))
    _aged(recent, 29)
    out = io.StringIO()
    call_command("purge_uploads", stdout=out)
    assert out.getvalue() == (
        "已删除 0 个超过 30 天的上传文件（导入结果保留）。\n已删除 3 个超过 30 天、不属于任何记录的附件或照片。\n"
    )
    assert [default_storage.exists(name) for name in record_files] == [True, True, True]
    assert [default_storage.exists(name) for name in old_orphans] == [False, False, False]
    assert default_storage.exists(recent)
    # Nothing more the next night.
    call_command("purge_uploads", stdout=io.StringIO())
    assert all(default_storage.exists(name) for name in [*record_files, recent])
