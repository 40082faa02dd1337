"""A running job's progress is announced to screen readers at each step (queued, working,
every 10 %), once: the polled panel fills the page's live region out of band only when the
step differs from the one the poll last said (`said`), and carries the new step in its next
poll's URL."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from canlian.models import Job

ANNOUNCE = re.compile(r'<p id="status-announce" hx-swap-oob="innerHTML">(.*?)</p>')
POLL = re.compile(r'hx-get="/jobs/1/\?said=([^"]*)"')


def _panel(template: str, job: Job, said: str | None, *, htmx: bool = True, **context) -> tuple[list[str], str]:
    request = RequestFactory().get("/jobs/1/", {} if said is None else {"said": said})
    request.htmx = htmx
    html = render_to_string(
        template,
        {"job": job, "status_url": "/jobs/1/", "panel_id": "p", "label": "导出进度", "unit": "行",
         "working": "正在准备名单…", **context},
        request=request,
    )  # fmt: skip
    return ANNOUNCE.findall(html), POLL.search(html).group(1)


@pytest.mark.parametrize(
    ("state", "processed", "total", "said", "announced", "next_said"),
    [
        ("queued", 0, 0, "", ["导出进度：正在排队"], "queued"),
        ("queued", 0, 0, "queued", [], "queued"),
        ("running", 0, 0, "queued", ["导出进度：正在准备名单…"], "working"),
        ("running", 5, 200, "working", ["导出进度：2%，已处理 5 / 200 行"], "0"),
        ("running", 19, 200, "0", [], "0"),  # 9 %: still the step said
        ("running", 20, 200, "0", ["导出进度：10%，已处理 20 / 200 行"], "10"),
        ("running", 150, 200, "10", ["导出进度：75%，已处理 150 / 200 行"], "70"),  # a step skipped: said once
        ("running", 200, 200, "90", ["导出进度：100%，已处理 200 / 200 行"], "100"),
    ],
)
def test_a_job_panel_announces_each_step_once(state, processed, total, said, announced, next_said):
    job = Job(state=state, processed=processed, total=total)
    assert _panel("_job_progress.html", job, said) == (announced, next_said)


def test_the_first_page_announces_nothing_and_polls_from_its_step():
    """The page itself shows the progress: the region is filled by the polls only."""
    job = Job(state="running", processed=40, total=100)
    assert _panel("_job_progress.html", job, None, htmx=False) == ([], "40")


@pytest.mark.parametrize(
    ("state", "processed", "total", "said", "announced"),
    [
        ("queued", 0, 0, "", ["导入正在排队"]),
        ("running", 0, 0, "queued", ["正在读取文件"]),
        ("running", 300, 1000, "20", ["导入进度 30%，已检查 300 / 1000 行"]),
        ("running", 310, 1000, "30", []),
        ("running", 1000, 1000, "90", ["已检查全部 1000 行，正在写入数据库"]),
        ("running", 1000, 1000, "100", []),
    ],
)
def test_an_import_panel_announces_its_steps_and_the_writing(state, processed, total, said, announced):
    job = Job(state=state, processed=processed, total=total)
    context = {"processed": processed, "total": total}
    assert _panel("_import_progress.html", job, said, **context)[0] == announced
