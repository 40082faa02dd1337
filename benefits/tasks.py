"""Background work of the benefits: a thin wrapper around the payroll generation."""

import datetime

from django.core.exceptions import PermissionDenied

from benefits.exports import yuan
from benefits.models import Scheme
from benefits.payroll import PayrollError, payroll_generate
from canlian.jobs import Outcome, job_run, job_task

JOB_KIND = "benefits.payroll"


@job_task
def run_payroll_generate(job_id: int) -> dict:
    """Generate the draft batch a job asks for (`params`: scheme pk, month) and record the
    outcome on the job. The generation is one transaction; its months' progress goes out
    on the job's own connection (`canlian.jobs`), so the page's bar moves meanwhile."""

    def generate(job, progress) -> Outcome:
        scheme = Scheme.objects.get(pk=job.params["scheme"])
        month = datetime.date.fromisoformat(job.params["month"])
        batch = payroll_generate(scheme=scheme, month=month, user=job.created_by, progress=progress)
        message = f"{batch.person_count} 人，{batch.month_count} 人月，合计 {yuan(batch.total_fen)} 元"
        return Outcome(message, {"batch": batch.pk})

    return job_run(
        job_id,
        generate,
        refused=(PayrollError, PermissionDenied),
        failure="生成时发生系统错误，草稿未改变。请联系系统管理员。",
    )
