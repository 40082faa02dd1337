"""An officer imports a workbook with bad rows: template download, upload, the status page
updating itself while the job is queued and then run, the report, the rejected rows."""

import re

import pytest
from playwright.sync_api import expect
from python_calamine import CalamineWorkbook

from canlian.importing import run_import
from canlian.models import Job
from registry.excel import HEADERS, REASON_HEADER
from registry.models import Person
from tests_browser.workbooks import BAD_ROWS, GOOD_ROWS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_officer_imports_a_workbook_and_downloads_the_rejected_rows(
    log_in, users, held_imports, mixed_workbook, tmp_path
):
    page = log_in("officer")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="数据导入").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("导入人员名单")

    with page.expect_download() as template_download:
        page.get_by_role("link", name="下载导入模板").first.click()
    template = template_download.value
    assert template.suggested_filename.endswith(".xlsx")
    template_path = tmp_path / template.suggested_filename
    template.save_as(template_path)
    assert template_path.read_bytes()[:4] == b"PK\x03\x04"  # an xlsx is a zip
    book = CalamineWorkbook.from_path(str(template_path))
    headers = book.get_sheet_by_index(0).to_python()[0]
    assert headers == HEADERS

    # The officer fills in the template's columns.
    page.get_by_label("Excel 文件", exact=True).set_input_files(mixed_workbook(headers))
    page.get_by_role("button", name="开始导入").click()
    expect(page).to_have_url(re.compile(r"/persons/import/jobs/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("导入人员名单：白沙街道名单.xlsx")
    expect(page.get_by_role("progressbar", name="导入进度")).to_be_visible()
    expect(page.get_by_text("正在排队")).to_be_visible()

    # The worker runs the job; the page, polling, shows the outcome without a reload.
    job = Job.objects.get()
    run_import.call(job.pk)
    expect(page.get_by_role("heading", name="导入完成")).to_be_visible()
    counts = {key: page.locator(f"#count-{key}") for key in ("total", "created", "updated", "unchanged", "rejected")}
    expect(counts["total"]).to_have_text("4")
    expect(counts["created"]).to_have_text("2")
    expect(counts["updated"]).to_have_text("0")
    expect(counts["unchanged"]).to_have_text("0")
    expect(counts["rejected"]).to_have_text("2")
    reasons = page.get_by_role("table", name="被拒绝的行及原因")
    expect(reasons.get_by_role("row")).to_have_count(3)
    expect(reasons.get_by_role("row").nth(1)).to_contain_text("校验位")
    expect(reasons.get_by_role("row").nth(2)).to_contain_text("不在您的管辖范围内")
    assert set(Person.objects.values_list("name", flat=True)) == {r["姓名"] for r in GOOD_ROWS}

    with page.expect_download() as rejected_download:
        page.get_by_role("link", name="下载拒绝行工作簿").click()
    rejected = rejected_download.value
    assert rejected.suggested_filename.endswith(".xlsx")
    rejected_path = tmp_path / "rejected.xlsx"
    rejected.save_as(rejected_path)
    rows = CalamineWorkbook.from_path(str(rejected_path)).get_sheet_by_index(0).to_python()
    assert rows[0][-1] == REASON_HEADER
    assert rows[0][:-1] == headers
    assert [row[0] for row in rows[1:]] == [r["姓名"] for r in BAD_ROWS]
    assert [row[2] for row in rows[1:]] == [r["公民身份号码"] for r in BAD_ROWS]
    assert "校验位" in rows[1][-1] and "不在您的管辖范围内" in rows[2][-1]

    # The two new persons are on the officer's list.
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="持证残疾人").click()
    expect(page.locator("#person-table").get_by_text("共 2 人")).to_be_visible()
