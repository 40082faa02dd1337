"""axe-core finds no violations on the pages of the registry (WCAG 2 A/AA and axe's best
practices: contrast, labels, landmarks, heading order...)."""

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from canlian.importing import run_import
from canlian.models import Job
from registry.models import PersonEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = Axe()


def assert_accessible(page, what):
    results = AXE.run(page)
    assert results.violations_count == 0, f"{what}: {page.url}\n{results.generate_report()}"


def test_login_page(page, users):
    page.goto("/login/")
    assert_accessible(page, "login page")
    page.get_by_label("用户名").fill("officer")
    page.get_by_label("密码").fill("wrong")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page, "login page with an error")


def test_lockout_page(page, users, settings):
    settings.AXES_FAILURE_LIMIT = 1
    page.goto("/login/")
    page.get_by_label("用户名").fill("officer")
    page.get_by_label("密码").fill("wrong")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="登录失败次数过多，该账号或本机地址已暂时锁定")).to_be_visible()
    assert_accessible(page, "lockout page")


def test_person_pages(log_in, users, person, other_person):
    # A status event, so that the person page's timeline is checked too.
    PersonEvent.objects.create(
        person=person, area_code=person.area_id, kind="grade", field="grade", date=datetime.date(2025, 3, 1),
        old_value="3", new_value="2", reason="复评定级", created_by=users["officer"],
    )  # fmt: skip
    page = log_in("officer")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="持证残疾人").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("持证残疾人")
    assert_accessible(page, "person list")

    page.get_by_role("link", name="陈建国").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("陈建国")
    expect(page.get_by_role("heading", name="时间线")).to_be_visible()
    assert_accessible(page, "person detail")
    page.get_by_text("登记状态变更（死亡、迁出、等级变更、换证等）").click()
    expect(page.get_by_label("原因/依据")).to_be_visible()
    assert_accessible(page, "person detail with the status-change form open")
    page.get_by_role("button", name="显示完整证件号和电话").click()
    expect(page.locator("#identifiers")).to_contain_text(person.id_number)
    assert_accessible(page, "person detail after reveal")

    page.get_by_role("link", name="修改信息").click()
    page.get_by_label("联系电话").fill("12345")
    page.get_by_role("button", name="保存").click()
    # The message is in the summary and under the field, which it describes.
    expect(page.get_by_label("联系电话", exact=True)).to_have_accessible_description(re.compile("联系电话格式不正确"))
    expect(page.get_by_role("alert").get_by_role("link", name="联系电话")).to_have_attribute("href", "#id_phone")
    assert_accessible(page, "edit form with errors")


def test_import_pages(log_in, users, held_imports, mixed_workbook):
    page = log_in("officer")
    page.goto("/persons/import/")
    expect(page.get_by_role("heading", level=1)).to_have_text("导入人员名单")
    assert_accessible(page, "import page")
    page.get_by_role("button", name="开始导入").click()
    expect(page.get_by_text("请选择要导入的 Excel 文件")).to_be_visible()
    assert_accessible(page, "import page with an error")

    page.get_by_label("Excel 文件", exact=True).set_input_files(mixed_workbook())
    page.get_by_role("button", name="开始导入").click()
    expect(page.get_by_role("progressbar", name="导入进度")).to_be_visible()
    assert_accessible(page, "import status page, queued")
    run_import.call(Job.objects.get().pk)
    expect(page.get_by_role("heading", name="导入完成")).to_be_visible()
    assert_accessible(page, "import status page, done with rejected rows")
    page.goto("/persons/import/")
    expect(page.get_by_role("heading", name="我最近的导入")).to_be_visible()
    assert_accessible(page, "import page with recent imports")


def test_error_pages(log_in, users):
    page = log_in("leader")
    page.goto("/persons/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("没有权限")
    assert_accessible(page, "403 page")
    page.goto("/benefits/payroll/999999/")
    expect(page.get_by_role("heading", level=1)).to_have_text("找不到该页面或记录")
    assert_accessible(page, "404 page")


def test_the_leaders_table_of_counts(log_in, users, person, other_person):
    page = log_in("leader")
    table = page.get_by_role("table", name="各镇(街)持证残疾人数，按残疾类别")
    expect(table.get_by_role("row", name="白沙街道")).to_contain_text("1")
    expect(page.get_by_text("陈**")).to_have_count(0)
    assert_accessible(page, "the person list for a leader: counts")
    page.get_by_role("link", name="残疾等级").click()
    expect(page.get_by_role("table", name="各镇(街)持证残疾人数，按残疾等级")).to_be_visible()
    assert_accessible(page, "the counts by grade")
