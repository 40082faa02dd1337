"""Background work of the registry: a thin wrapper around the duplicate check."""

from django.core.exceptions import PermissionDenied

from canlian.audit import audit_write
from canlian.jobs import Outcome, job_run, job_task
from registry.duplicates import duplicates_check_allowed, duplicates_find

DUPLICATES_JOB = "registry.duplicates"


@job_task
def run_duplicates_find(job_id: int) -> dict:
    """The duplicate check a reviewer asked for on the pairs page; its steps (one per
    reason) are the job's progress."""

    def check(job, progress) -> Outcome:
        duplicates_check_allowed(job.created_by)
        found = duplicates_find(progress=progress)
        audit_write(
            action="registry.duplicates.checked",
            user=job.created_by,
            obj=job,
            data={"open": found.open, "new": found.new, "dropped": found.dropped},
        )
        return Outcome(found.message, {"open": found.open, "new": found.new, "dropped": found.dropped})

    return job_run(
        job_id, check, refused=(PermissionDenied,), failure="检查时发生系统错误，原有结果未改变。请联系系统管理员。"
    )
