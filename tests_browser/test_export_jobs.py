"""A long enrolment list in a browser: a date that cannot be taken is refused with the
reason, a long list becomes a background export whose page hands out the file, and once
the file is past its retention the page says so and exports it again; each state without
axe-core violations."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from canlian.export_jobs import JOB_KIND
from canlian.models import Job
from conftest import make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = Axe()


def assert_accessible(page, what):
    results = AXE.run(page)
    assert results.violations_count == 0, f"{what}: {page.url}\n{results.generate_report()}"


def test_an_officer_exports_a_long_enrolment_list_in_the_background_and_again_after_its_deletion(
    log_in, users, areas, settings, tmp_path
):
    settings.EXPORT_BACKGROUND_ROWS = 0
    settings.MEDIA_ROOT = tmp_path
    make_person(areas["baisha_a"], name="一级肢体", sequence=601, category=4, grade=1)
    page = log_in("officer")

    page.goto("/benefits/grants/enrolment/insurance/export.xlsx?date=2024-13-01")
    expect(page.get_by_role("alert")).to_contain_text("未导出：日期“2024-13-01”无法识别")
    expect(page.get_by_text("已按今天显示")).to_be_visible()
    assert_accessible(page, "enrolment list with a wrong date")
    assert not Job.objects.filter(kind=JOB_KIND).exists()

    page.get_by_role("link", name="下载名单（.xlsx）").click()
    expect(page.get_by_role("heading", name="导出完成")).to_be_visible()
    expect(page.get_by_text("导出文件保留 7 天，之后自动删除。")).to_be_visible()
    assert_accessible(page, "finished background export")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 重大疾病和意外伤害保险参保名单").click()
    assert download.value.suggested_filename.startswith("重大疾病和意外伤害保险参保名单_")

    job = Job.objects.get(kind=JOB_KIND)
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - datetime.timedelta(days=8))
    page.reload()
    expect(page.get_by_role("heading", name="导出文件已删除")).to_be_visible()
    expect(page.locator("#export-message")).to_contain_text("导出文件只保留 7 天")
    assert_accessible(page, "export whose file was deleted")
    page.get_by_role("link", name="重新导出").click()
    expect(page.get_by_role("heading", name="导出完成")).to_be_visible()
    assert Job.objects.filter(kind=JOB_KIND).count() == 2
