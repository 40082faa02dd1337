"""A person import whose worker died is shown and stored as failed, and a long report is
paginated (issue 11, item 18). The check itself is the jobs' (`canlian.jobs.dead_jobs_fail`)."""

import datetime
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from canlian.importing import run_import
from canlian.jobs import DEAD_MESSAGE
from canlian.models import AuditEntry, Job
from registry.tests.workbooks import import_job, person_row, write_workbook


@pytest.fixture(autouse=True)
def _media_and_tasks(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _running(user, *, minutes_silent: int) -> Job:
    silent_since = timezone.now() - datetime.timedelta(minutes=minutes_silent)
    return import_job(user, state=Job.State.RUNNING, heartbeat_at=silent_since)


def _status(client, job: Job) -> str:
    return client.get(reverse("registry:persons_import_status", args=[job.pk])).content.decode()


def test_a_running_job_silent_for_longer_than_the_setting_is_shown_and_stored_failed(users, login, settings):
    settings.JOB_STALE_MINUTES = 10
    job = _running(users["officer"], minutes_silent=11)
    page = _status(login(users["officer"]), job)
    assert "导入出错" in page and DEAD_MESSAGE in page
    assert 'hx-trigger="every 1s"' not in page
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.message == DEAD_MESSAGE and job.finished_at


def test_a_running_job_with_recent_progress_keeps_running(users, login, settings):
    settings.JOB_STALE_MINUTES = 10
    job = _running(users["officer"], minutes_silent=9)
    assert 'hx-trigger="every 1s"' in _status(login(users["officer"]), job)
    job.refresh_from_db()
    assert job.state == Job.State.RUNNING


@pytest.mark.parametrize("state", [Job.State.QUEUED, Job.State.RUNNING])
def test_a_job_whose_task_ended_in_the_queue_is_failed_at_once_and_audited(users, login, state):
    job = import_job(users["officer"], state=state, heartbeat_at=timezone.now())
    now = timezone.now()
    DBTaskResult.objects.create(
        id=uuid.uuid4(),
        status=TaskResultStatus.FAILED,
        args_kwargs={"args": [job.pk], "kwargs": {}},
        task_path=run_import.module_path,
        backend_name="default",
        run_after=now,
        started_at=now,
        finished_at=now,
    )
    _status(login(users["officer"]), job)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.message == DEAD_MESSAGE
    failed = AuditEntry.objects.get(action="registry.import.failed")
    assert (failed.user, failed.object_id, failed.data) == (
        users["officer"],
        str(job.pk),
        {"file": "a.xlsx", "message": DEAD_MESSAGE},
    )


def test_a_worker_starting_a_job_fails_the_jobs_of_a_dead_worker(users, login, tmp_path, settings):
    settings.JOB_STALE_MINUTES = 10
    dead = _running(users["officer"], minutes_silent=30)
    alive = _running(users["officer"], minutes_silent=1)
    path = write_workbook(tmp_path / "名单.xlsx", [person_row()])
    login(users["officer"]).post(
        reverse("registry:persons_import"), {"file": SimpleUploadedFile(path.name, path.read_bytes())}
    )
    new = Job.objects.latest("pk")
    assert new.state == Job.State.DONE and new.heartbeat_at is not None
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert (dead.state, alive.state) == (Job.State.FAILED, Job.State.RUNNING)


def test_the_rejected_rows_are_paginated_on_the_status_page(users, login):
    rejected = [
        {"row": number, "values": ["x"], "reasons": [{"column": "姓名", "message": f"原因{number}"}]}
        for number in range(2, 452)
    ]
    job = import_job(
        users["officer"],
        state=Job.State.DONE,
        report={"columns": ["姓名"], "counts": {"rejected": 450}, "rejected": rejected, "warnings": []},
    )
    client = login(users["officer"])
    url = reverse("registry:persons_import_status", args=[job.pk])
    first = client.get(url).content.decode()
    assert "原因2<" in first and "原因201<" in first and "原因202<" not in first
    assert "共 450 条原因" in first and 'href="?page=2"' in first
    last = client.get(url, {"page": 3}).content.decode()
    assert "原因402<" in last and "原因451<" in last and "原因401<" not in last
