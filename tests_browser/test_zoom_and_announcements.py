"""WCAG 1.4.10 and 4.1.3 in the browser: at 200 % zoom (a 1280 × 900 screen is 640 × 450
CSS pixels, drawn at twice the density) the main forms fit the width, before and after
their errors, with no sideways scrolling; and a background job's completion reaches
the page's live region (role="status", aria-live="polite"), which stays the same node
while the job's panel is replaced under it."""

import re

import pytest
from playwright.sync_api import expect

from canlian.export_jobs import JOB_KIND, run_export
from canlian.models import Job
from conftest import PASSWORD, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FITS = "document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth"
WIDEST = """[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.scrollingElement.clientWidth + 1)
  .slice(0, 5)
  .map(e => `${e.tagName}#${e.id}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"""


@pytest.fixture
def zoomed(browser, live_server):
    context = browser.new_context(
        locale="zh-CN", base_url=live_server.url, viewport={"width": 640, "height": 450}, device_scale_factor=2
    )
    page = context.new_page()
    yield page
    context.close()


def _log_in(page, username):
    page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name="退出")).to_be_visible()


def _fits(page, what):
    assert page.evaluate(FITS), f"{what} scrolls sideways at 200 %: {page.evaluate(WIDEST)}"


def test_the_main_forms_fit_at_200_percent_zoom(zoomed, users, person):
    page = zoomed
    page.goto("/login/")
    _fits(page, "login")
    _log_in(page, "officer")
    forms = {
        "registration": "/persons/new/",
        "person edit": f"/persons/{person.pk}/edit/",
        "home visit": f"/outreach/persons/{person.pk}/visits/new/",
        "application": f"/benefits/applications/new/?person={person.pk}",
        "person import": "/persons/import/",
        "password": "/account/password/",
    }
    for what, url in forms.items():
        page.goto(url)
        expect(page.locator("main form").first).to_be_visible()
        _fits(page, what)
        # The form sent empty: its error summary and messages fit too.
        submit = page.locator("main form button[type=submit]").last
        submit.click()
        page.wait_for_load_state()
        _fits(page, f"{what} with its errors")
    page.goto(f"/persons/{person.pk}/")
    for summary in page.locator("main details > summary").all():
        summary.click()
    _fits(page, "person page with its forms open")


def _export_started(log_in, areas, settings, tmp_path):
    """An officer's export, queued and not run (the test runs it): the page and its job."""
    settings.EXPORT_BACKGROUND_ROWS = 0
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    make_person(areas["baisha_a"], name="一级肢体", sequence=601, category=4, grade=1)
    page = log_in("officer")
    page.goto("/benefits/grants/enrolment/insurance/")
    page.get_by_role("link", name="下载名单（.xlsx）").click()
    expect(page.get_by_role("progressbar", name="导出进度")).to_be_visible()
    return page, Job.objects.get(kind=JOB_KIND)


def test_the_end_of_an_export_is_announced_in_the_pages_live_region(log_in, users, areas, settings, tmp_path):
    page, job = _export_started(log_in, areas, settings, tmp_path)
    region = page.locator("#status-announce")
    expect(region).to_have_attribute("role", "status")
    expect(region).to_have_attribute("aria-live", "polite")
    expect(region).to_have_text("")
    region.evaluate("node => { node.dataset.probe = 'kept'; }")

    run_export.call(job.pk)
    expect(page.get_by_role("heading", name="导出完成")).to_be_visible()
    expect(region).to_have_text(re.compile(r"^导出完成。"))
    job.refresh_from_db()
    expect(region).to_contain_text(job.message)
    # The region was filled, not replaced (a replaced region is not read out).
    expect(region).to_have_attribute("data-probe", "kept")
    expect(page.locator("[role=status]#status-announce")).to_have_count(1)


# Each change of the live region's content (an htmx out-of-band swap replaces its children
# even with the same text): what a screen reader would be given to read.
RECORD = """node => {
  window.said = [];
  new MutationObserver(() => window.said.push(node.textContent)).observe(node, {childList: true, subtree: true});
}"""


def test_an_exports_progress_is_announced_at_each_step_not_at_each_poll(log_in, users, areas, settings, tmp_path):
    page, job = _export_started(log_in, areas, settings, tmp_path)
    region = page.locator("#status-announce")
    region.evaluate(RECORD)
    said = []

    def advance(processed: int, announced: str | None) -> None:
        Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, processed=processed, total=200)
        expect(page.get_by_role("progressbar", name="导出进度")).to_have_attribute(
            "aria-valuenow", str(processed * 100 // 200)
        )
        if announced:
            said.append(announced)
            expect(region).to_have_text(announced)
        page.wait_for_timeout(2200)  # two more polls of the same step: nothing more said
        assert page.evaluate("window.said") == said

    advance(20, "导出进度：10%，已处理 20 / 200 行")
    advance(25, None)  # 12 %: the step already said
    advance(100, "导出进度：50%，已处理 100 / 200 行")
    run_export.call(job.pk)
    expect(page.get_by_role("heading", name="导出完成")).to_be_visible()
    job.refresh_from_db()
    expect(region).to_have_text(f"导出完成。{job.message}")
    recorded = page.evaluate("window.said")
    # A poll may have caught the export at work (its own total, one row) before it ended.
    assert recorded[: len(said)] == said and recorded[-1] == f"导出完成。{job.message}"
    assert all(re.fullmatch(r"导出进度：\d+%，已处理 \d+ / 1 行", text) for text in recorded[len(said) : -1])
