"""A background job whose worker died ends failed, not 进行中 for ever: noticed when a worker
starts another job and when its status page is read."""

import datetime

from django.urls import reverse
from django.utils import timezone

from canlian.jobs import DEAD_MESSAGE, Outcome, dead_jobs_fail, job_run
from canlian.models import Job


def _job(user, *, state=Job.State.RUNNING, silent_minutes=0, kind="benefits.payroll"):
    beat = timezone.now() - datetime.timedelta(minutes=silent_minutes)
    return Job.objects.create(kind=kind, title="测试任务", created_by=user, state=state, heartbeat_at=beat)


def test_a_running_job_silent_past_the_limit_fails_and_a_lively_one_does_not(users, settings):
    settings.JOB_STALE_MINUTES = 10
    dead = _job(users["admin"], silent_minutes=11)
    lively = _job(users["admin"], silent_minutes=3)
    queued = _job(users["admin"], state=Job.State.QUEUED, silent_minutes=60)
    assert dead_jobs_fail() == 1
    dead.refresh_from_db(), lively.refresh_from_db(), queued.refresh_from_db()
    assert (dead.state, dead.message) == (Job.State.FAILED, DEAD_MESSAGE) and dead.finished_at is not None
    assert lively.state == Job.State.RUNNING and queued.state == Job.State.QUEUED


def test_a_worker_starting_a_job_fails_the_jobs_of_a_dead_worker(users, settings):
    settings.JOB_STALE_MINUTES = 10
    dead = _job(users["admin"], silent_minutes=30)
    fresh = Job.objects.create(kind="benefits.payroll", title="新任务", created_by=users["admin"])
    job_run(fresh.pk, lambda job, progress: Outcome("完成", {}))
    dead.refresh_from_db()
    assert dead.state == Job.State.FAILED


def test_progress_is_a_sign_of_life(users):
    job = Job.objects.create(kind="benefits.payroll", title="测试任务", created_by=users["admin"])
    seen = []

    def work(job, progress):
        progress(1, 2)
        seen.append(Job.objects.get(pk=job.pk).heartbeat_at)
        return Outcome("完成", {})

    job_run(job.pk, work)
    assert seen[0] is not None and timezone.now() - seen[0] < datetime.timedelta(minutes=1)


def test_the_payroll_run_page_shows_a_dead_run_as_failed(login, users, settings):
    settings.JOB_STALE_MINUTES = 10
    run = _job(users["admin"], silent_minutes=20)
    page = login(users["admin"]).get(reverse("benefits:run_status", args=[run.pk])).content.decode()
    run.refresh_from_db()
    assert run.state == Job.State.FAILED and "任务中断" in page
