"""The token page (接口令牌), by keyboard-free clicks: create a token, see its secret once,
revoke it; axe-core finds no violations on the page in each state."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from api.models import ApiToken

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = Axe()


def assert_accessible(page, what):
    results = AXE.run(page)
    assert results.violations_count == 0, f"{what}: {page.url}\n{results.generate_report()}"


def test_a_user_creates_and_revokes_a_token(log_in, users):
    page = log_in("officer")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="接口令牌").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("接口令牌")
    assert_accessible(page, "token page")
    page.get_by_label("用途").fill("区数据中心同步")
    page.get_by_label("有效天数").fill("30")
    page.get_by_role("button", name="创建令牌").click()
    secret = page.get_by_label("令牌已创建", exact=False).input_value()
    assert len(secret) == 52 and secret[8] == "_"
    assert_accessible(page, "token page with its secret")
    page.get_by_role("button", name="撤销令牌 区数据中心同步").click()
    expect(page.get_by_role("alert")).to_contain_text("已撤销令牌")
    assert secret not in page.content()
    assert ApiToken.objects.get().revoked_at is not None
    assert_accessible(page, "token page after a revocation")
