"""Background work of the benefits: a thin wrapper around the payroll generation."""

import logging

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django_tasks import task

from benefits.exports import yuan
from benefits.models import PayrollRun
from benefits.payroll import PayrollError, payroll_generate

logger = logging.getLogger(__name__)


@task()
def run_payroll_generate(run_id: int) -> dict:
    """Generate the draft batch a run asks for and record the outcome on the run.

    The run is updated with queryset `.update()` so its row is written on its own. The
    generation is one transaction: on PostgreSQL the page sees the run "running" at once
    and the months' progress when the transaction commits (the person import, whose COPY
    holds its connection, writes its progress on a second one: `registry.tasks`).
    """
    run = PayrollRun.objects.select_related("scheme", "created_by").get(pk=run_id)
    runs = PayrollRun.objects.filter(pk=run_id)
    State = PayrollRun.State
    runs.update(state=State.RUNNING, done_steps=0, total_steps=0, message="")

    def progress(done: int, total: int) -> None:
        runs.update(done_steps=done, total_steps=total)

    try:
        batch = payroll_generate(scheme=run.scheme, month=run.month, user=run.created_by, progress=progress)
    except (PayrollError, PermissionDenied) as exc:
        runs.update(state=State.FAILED, message=str(exc), finished_at=timezone.now())
        return {"state": State.FAILED, "message": str(exc)}
    except Exception:
        logger.exception("Payroll run %s failed", run_id)
        runs.update(
            state=State.FAILED,
            message="生成时发生系统错误，草稿未改变。请联系系统管理员。",
            finished_at=timezone.now(),
        )
        raise
    message = f"{batch.person_count} 人，{batch.month_count} 人月，合计 {yuan(batch.total_fen)} 元"
    runs.update(state=State.DONE, batch=batch, message=message, finished_at=timezone.now())
    return {"state": State.DONE, "batch": batch.pk}
