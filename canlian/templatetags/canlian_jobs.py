"""Template helpers of the polled job panels (`_job_progress.html`, `_import_progress.html`)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def progress_step(context, job) -> str:
    """The step a running job's progress is at, as its screen-reader announcement counts
    them: queued, working (its total not known yet), then each tenth (0, 10, … 100). The
    panel says a step once, when a poll finds it changed (the poll's `said`), not on every
    poll. A poll that finds the step unchanged does not count as the user's activity
    (`SessionIdleMiddleware`): a page left open on a job that does not move (queued with no
    worker, say) still signs out when idle."""
    if job.state == "queued":
        step = "queued"
    elif not job.total:
        step = "working"
    else:
        step = str(job.percent // 10 * 10)
    request = context.get("request")
    if request is not None and request.GET.get("said") == step:
        request.session_passive = True
    return step
