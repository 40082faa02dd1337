"""A background export's file is kept EXPORT_RETENTION_DAYS after it was written: then it
is deleted and its job marked expired, and the status page and the download say so in
Chinese and offer the export again. Files no job names are deleted; a file being written
is not."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from canlian.export_jobs import JOB_KIND, export_folder
from canlian.models import AuditEntry, Job
from tests_browser.visible_text import html_text, text_problems

URL = reverse("registry:person_export")


@pytest.fixture
def background(settings, tmp_path):
    settings.EXPORT_BACKGROUND_ROWS = 1
    settings.EXPORT_RETENTION_DAYS = 7
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _export(client, **params) -> Job:
    """A person export that ran as a job, done, with its file."""
    response = client.get(URL, params)
    job = Job.objects.filter(kind=JOB_KIND).latest("id")
    assert response["Location"] == reverse("exports:status", args=[job.pk]) and job.state == Job.State.DONE
    assert (export_folder() / job.report["file"]).is_file()
    return job


def _age(job: Job, days: float) -> None:
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - datetime.timedelta(days=days))


def _file(job: Job):
    return export_folder() / job.report["file"]


def _clean() -> str:
    out = io.StringIO()
    call_command("exports_clean", stdout=out)
    return out.getvalue()


def test_the_command_deletes_files_past_retention_keeps_recent_ones_and_marks_the_jobs(
    login, users, person, other_person, background
):
    client = login(users["admin"])
    old, recent = _export(client), _export(client, status="active")
    _age(old, 7.5)
    _age(recent, 6.5)
    assert _clean() == "已删除 1 个超过 7 天的导出文件（任务已标记为过期），0 个没有对应任务的文件。\n"
    assert not _file(old).exists() and _file(recent).is_file()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.state == Job.State.DONE and old.report["retention_days"] == 7 and "expired" in old.report
    assert "expired" not in recent.report
    assert _clean().startswith("已删除 0 个")  # an expired job is not counted again


def test_an_expired_jobs_page_and_download_say_the_file_was_deleted_and_offer_the_export_again(
    login, users, person, other_person, background
):
    client = login(users["admin"])
    job = _export(client, status="active")
    _age(job, 8)
    _clean()
    status = reverse("exports:status", args=[job.pk])
    page = client.get(status).content.decode()
    today = f"{timezone.localdate():%Y-%m-%d}"
    assert f"导出文件只保留 7 天，已于 {today} 删除。" in page and "导出完成" not in page
    again = f"{URL}?status=active"
    assert f'href="{again}">重新导出</a>' in page
    assert reverse("exports:download", args=[job.pk]) not in page
    response = client.get(reverse("exports:download", args=[job.pk]))
    assert response.status_code == 410 and "导出文件只保留 7 天" in response.content.decode()
    assert not AuditEntry.objects.filter(action="registry.export").exists()
    # The offer is the same export again: a new job with the same filter.
    assert client.get(again).status_code == 302
    new = Job.objects.filter(kind=JOB_KIND).latest("id")
    assert new.pk != job.pk and new.params["params"] == job.params["params"] and new.state == Job.State.DONE


def test_a_job_past_retention_is_expired_when_its_page_is_read_without_the_command(
    login, users, person, other_person, background
):
    client = login(users["admin"])
    job = _export(client)
    _age(job, 8)
    panel = client.get(reverse("exports:status", args=[job.pk]), headers={"HX-Request": "true"}).content.decode()
    assert "导出文件已删除" in panel and "导出文件只保留 7 天" in panel
    assert text_problems(html_text(panel)) == []
    assert not _file(job).exists() and "expired" in Job.objects.get(pk=job.pk).report


def test_a_new_export_job_cleans_the_old_files_in_the_worker(login, users, person, other_person, background):
    client = login(users["admin"])
    old = _export(client)
    _age(old, 9)
    stray = export_folder() / "stray.xlsx"
    stray.write_bytes(b"left behind")
    new = _export(client)
    assert not _file(old).exists() and not stray.exists() and _file(new).is_file()
    assert "expired" in Job.objects.get(pk=old.pk).report


def test_the_retention_is_the_setting(login, users, person, other_person, background, settings):
    settings.EXPORT_RETENTION_DAYS = 30
    job = _export(login(users["admin"]))
    _age(job, 29)
    assert _clean().startswith("已删除 0 个超过 30 天")
    assert _file(job).is_file()


def test_files_no_job_names_are_deleted_but_not_the_file_of_a_job_at_work(
    login, users, person, other_person, background
):
    client = login(users["admin"])
    kept = _export(client)
    folder = export_folder()
    running = Job.objects.create(kind=JOB_KIND, title="名单", state=Job.State.RUNNING, created_by=users["admin"])
    failed = Job.objects.create(kind=JOB_KIND, title="名单", state=Job.State.FAILED, created_by=users["admin"])
    writing = folder / f"{running.pk}-0123456789abcdef.xlsx"
    orphans = [folder / f"{failed.pk}-0123456789abcdef.xlsx", folder / "999999-0123456789abcdef.xlsx", folder / "x"]
    for path in (writing, *orphans):
        path.write_bytes(b"PK")
    assert _clean().endswith("，3 个没有对应任务的文件。\n")
    assert writing.is_file() and _file(kept).is_file() and not any(path.exists() for path in orphans)


def test_a_done_jobs_file_deleted_by_hand_gives_the_chinese_message_not_an_error(
    login, users, person, other_person, background
):
    client = login(users["admin"])
    job = _export(client)
    _file(job).unlink()
    response = client.get(reverse("exports:download", args=[job.pk]))
    assert response.status_code == 410 and "导出文件已不存在。" in response.content.decode()
    assert "重新导出" in response.content.decode()


def test_the_finished_page_says_how_long_the_file_is_kept(login, users, person, other_person, background):
    client = login(users["admin"])
    job = _export(client)
    assert "导出文件保留 7 天，之后自动删除。" in client.get(reverse("exports:status", args=[job.pk])).content.decode()
