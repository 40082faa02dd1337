"""Running background work on a `canlian.Job`: its state, its progress, its outcome.

A task is a thin wrapper: `job_run(job_id, work)` marks the job running, calls
`work(job, progress)` and records what came of it. The job row is always written with
queryset `.update()`, on its own, never held back or rolled back with the work's
transaction. On PostgreSQL the progress goes out on a second connection in autocommit, so
the status page sees the bar move while the work's own transaction is still open (a payroll
generation is one transaction; an import streams its rows on one COPY that holds the
connection). SQLite has one writer at a time: there the progress shares the work's
connection and shows when it commits.

A job whose worker died is noticed, and failed, when a worker starts a job and when the
job's page is read (`dead_jobs_fail`): one silent for `JOB_STALE_MINUTES`, or one whose task
(a `job_task`) has already ended in django_tasks_db's results while the job is unfinished.
The jobs of the kinds in `END_AUDITS` (every import) write an audit entry when they are
refused or fail, not only when they finish.
"""

import datetime
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Q
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus

from canlian.audit import audit_write
from canlian.models import Job

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]

# The module paths of the tasks whose one argument is a Job's id (`job_task`).
JOB_TASK_PATHS: set[str] = set()
# Job kind -> the audit action (`<app>.import`) under which a job of that kind that is
# refused or fails is recorded, as `<action>.refused` / `<action>.failed` (each import's
# kind, registered by `canlian.importing.Importer`).
END_AUDITS: dict[str, str] = {}


def job_task(function: Callable[[int], dict]):
    """`django_tasks.task()` for a task that runs one `Job` (its id the task's only
    argument): when its result has ended while the job is unfinished, the job is dead."""
    work = task()(function)
    JOB_TASK_PATHS.add(work.module_path)
    return work


def _end_audit(job: Job, ending: str, message: str) -> None:
    """The audit entry of a job of an audited kind that ended `refused` or `failed`."""
    action = END_AUDITS.get(job.kind)
    if action:
        data = {"file": job.params.get("name", ""), "message": message}
        audit_write(action=f"{action}.{ending}", user=job.created_by, obj=job, data=data)


class JobRefused(Exception):
    """The work was refused as a whole before anything was written; the message (Chinese)
    is shown on the job's page."""


@dataclass
class Outcome:
    """What finished work reports: the page's message and the job's report."""

    message: str
    report: dict = field(default_factory=dict)


@contextmanager
def progress_recorder(
    job_id: int, *, model=Job, fields=("processed", "total"), heartbeat: str | None = "heartbeat_at"
) -> Iterator[Progress]:
    """`progress(processed, total)` for the job row `job_id` of `model` (the two `fields`
    hold the numbers; `heartbeat`, if named, the time of the last report, by which a job
    whose worker died is told from a slow one), written in autocommit on a second
    connection where the database allows two writers (PostgreSQL). Progress is a hint: a
    row that a transaction holds (a task run inside its caller's transaction, which wrote
    the row) is skipped, never waited for, since that transaction may be the work's own."""
    done_field, total_field = fields
    if connection.vendor != "postgresql":
        rows = model.objects.filter(pk=job_id)

        def progress_here(processed: int, total: int) -> None:
            values = {done_field: processed, total_field: total}
            if heartbeat:
                values[heartbeat] = timezone.now()
            rows.update(**values)

        yield progress_here
        return
    own = connections.create_connection(DEFAULT_DB_ALIAS)
    table = model._meta.db_table
    stamp = f", {heartbeat} = now()" if heartbeat else ""

    def progress(processed: int, total: int) -> None:
        with own.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {done_field} = %s, {total_field} = %s{stamp} "
                f"WHERE id = (SELECT id FROM {table} WHERE id = %s FOR UPDATE SKIP LOCKED)",
                [processed, total, job_id],
            )

    try:
        yield progress
    finally:
        own.close()


def job_run(
    job_id: int,
    work: Callable[[Job, Progress], Outcome],
    *,
    refused: tuple[type[Exception], ...] = (),
    failure: str = "发生系统错误，未写入任何数据。请联系系统管理员。",
) -> dict:
    """Run `work` for the job and record its outcome: done with its message and report;
    refused (a `JobRefused` or one of `refused`) with the exception's message; failed on
    any other exception, with `failure` for the page and the exception logged and raised."""
    # A worker starting work is where the jobs of a worker that died are noticed.
    dead_jobs_fail(Job.objects.exclude(pk=job_id))
    job = Job.objects.select_related("created_by").get(pk=job_id)
    jobs = Job.objects.filter(pk=job_id)
    State = Job.State
    jobs.update(state=State.RUNNING, processed=0, total=0, message="", heartbeat_at=timezone.now())
    last = [0, 0]

    def progress_kept(processed: int, total: int) -> None:
        last[:] = [processed, total]
        progress(processed, total)

    try:
        with progress_recorder(job_id) as progress:
            outcome = work(job, progress_kept)
    except (JobRefused, *refused) as exc:
        message = exc.messages[0] if hasattr(exc, "messages") else str(exc)
        jobs.update(state=State.REFUSED, message=message, finished_at=timezone.now())
        _end_audit(job, "refused", message)
        return {"state": State.REFUSED, "message": message}
    except Exception:
        logger.exception("Job %s (%s) failed", job_id, job.kind)
        jobs.update(state=State.FAILED, message=failure, finished_at=timezone.now())
        _end_audit(job, "failed", failure)
        raise
    # The last progress again on this connection: it may have been skipped on the other.
    jobs.update(
        state=State.DONE,
        processed=last[0],
        total=last[1],
        message=outcome.message,
        report=outcome.report,
        finished_at=timezone.now(),
    )
    return {"state": State.DONE, **outcome.report}


DEAD_MESSAGE = "任务中断：后台进程在执行时停止，未写入任何数据。请重新提交；如再次中断，请联系系统管理员。"


def dead_jobs_fail(jobs=None) -> int:
    """Mark as failed (`DEAD_MESSAGE`) the unfinished jobs among `jobs` (all by default)
    whose worker died, and return how many. A worker killed mid-work (out of memory, a
    restart) leaves its job 进行中 for ever, its transaction rolled back by the database.
    A job is taken as dead when its task has ended in the task queue (django_tasks_db's
    result failed or succeeded) with the job still queued or running, or when it is running
    and its worker has shown no sign of life (start or progress) for `JOB_STALE_MINUTES`
    (a queued job may wait behind others). Called when a worker starts a job and when a
    job's status page is read."""
    from django.conf import settings
    from django_tasks_db.models import DBTaskResult

    State = Job.State
    now = timezone.now()
    cutoff = now - datetime.timedelta(minutes=settings.JOB_STALE_MINUTES)
    unfinished = (Job.objects.all() if jobs is None else jobs).filter(state__in=[State.QUEUED, State.RUNNING])
    silent = unfinished.filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff), state=State.RUNNING
    )
    dead = set(silent.values_list("pk", flat=True))
    waiting = list(unfinished.values_list("pk", flat=True)[:1000])
    if waiting and JOB_TASK_PATHS:
        ended = DBTaskResult.objects.filter(
            task_path__in=JOB_TASK_PATHS,
            status__in=[TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL],
            args_kwargs__args__0__in=waiting,
        )
        dead.update(args["args"][0] for args in ended.values_list("args_kwargs", flat=True))
    if not dead:
        return 0
    failed = Job.objects.filter(pk__in=dead, state__in=[State.QUEUED, State.RUNNING])
    audited = list(failed.filter(kind__in=END_AUDITS).select_related("created_by"))
    count = failed.update(state=State.FAILED, message=DEAD_MESSAGE, finished_at=now)
    if count:
        logger.error("Background jobs %s failed: their worker stopped", sorted(dead))
    for job in audited:
        _end_audit(job, "failed", DEAD_MESSAGE)
    return count
