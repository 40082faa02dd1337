"""`job_run` records a job's outcome: done with its last progress, message and report;
refused with the reason; failed with a general message, the error raised."""

import pytest

from canlian.jobs import JobRefused, Outcome, job_run
from canlian.models import Job


@pytest.fixture
def job(users):
    return Job.objects.create(kind="benefits.payroll", title="测试任务", created_by=users["admin"])


def test_finished_work_records_its_last_progress_message_and_report(job):
    def work(job, progress):
        progress(1, 4)
        progress(4, 4)
        return Outcome("完成 4 项", {"batch": 7})

    assert job_run(job.pk, work) == {"state": "done", "batch": 7}
    job.refresh_from_db()
    assert (job.state, job.processed, job.total, job.message, job.report) == ("done", 4, 4, "完成 4 项", {"batch": 7})
    assert job.finished and job.percent == 100 and job.finished_at is not None


def test_refused_work_records_the_reason(job):
    def work(job, progress):
        raise JobRefused("缺少必需的列")

    assert job_run(job.pk, work) == {"state": "refused", "message": "缺少必需的列"}
    job.refresh_from_db()
    assert (job.state, job.message) == ("refused", "缺少必需的列")


def test_an_error_fails_the_job_with_a_general_message_and_is_raised(job):
    def work(job, progress):
        raise KeyError("bug")

    with pytest.raises(KeyError):
        job_run(job.pk, work, failure="系统错误")
    job.refresh_from_db()
    assert (job.state, job.message) == ("failed", "系统错误")


def test_a_running_jobs_percent(job):
    job.state, job.processed, job.total = Job.State.RUNNING, 1, 4
    assert not job.finished and job.percent == 25
