"""A user changes their own password in the browser: the page passes axe with and without
errors, and the new password signs in."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from tests_browser.test_accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NEW = "Kite-river-pencil-47"


def test_a_user_changes_their_password_from_the_header(log_in, users):
    page = log_in("officer")
    page.get_by_role("link", name="修改密码").click()
    expect(page.get_by_role("heading", name="修改密码")).to_be_visible()
    assert_accessible(page, "password change page")

    page.get_by_label("原密码").fill(PASSWORD)
    page.locator("#id_new_password1").fill("officer2026")
    page.get_by_label("再次输入新密码").fill("officer2026")
    page.get_by_role("button", name="保存新密码").click()
    expect(page.locator("#id_new_password2_error")).to_contain_text("用户名")
    assert_accessible(page, "password change page with errors")

    page.get_by_label("原密码").fill(PASSWORD)
    page.locator("#id_new_password1").fill(NEW)
    page.get_by_label("再次输入新密码").fill(NEW)
    page.get_by_role("button", name="保存新密码").click()
    expect(page.get_by_role("alert")).to_contain_text("密码已修改")

    page.get_by_role("button", name="退出").click()
    log_in("officer", NEW)
    expect(page.get_by_role("button", name="退出")).to_be_visible()


def test_the_audit_administrator_reads_the_security_settings(log_in, users):
    page = log_in("auditor")
    page.get_by_role("link", name="安全设置").click()
    expect(page.get_by_role("heading", name="安全设置", exact=True)).to_be_visible()
    expect(page.get_by_role("rowheader", name="会话空闲超时")).to_be_visible()
    assert_accessible(page, "security settings page")
