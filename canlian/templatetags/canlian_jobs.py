"""Template helpers of the polled job panels (`_job_progress.html`, `_import_progress.html`)."""

from django import template

register = template.Library()


@register.simple_tag
def progress_step(job) -> str:
    """The step a running job's progress is at, as its screen-reader announcement counts
    them: queued, working (its total not known yet), then each tenth (0, 10, … 100). The
    panel says a step once, when a poll finds it changed (the poll's `said`), not on every
    poll."""
    if job.state == "queued":
        return "queued"
    if not job.total:
        return "working"
    return str(job.percent // 10 * 10)
