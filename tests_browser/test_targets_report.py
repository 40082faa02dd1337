"""A leader opens the annual report from the dashboard and previews it for print: the
options bar is hidden on paper, every section's table is there, no name anywhere, and the
page passes axe-core."""

import datetime

import pytest
from playwright.sync_api import expect

from targets.services import indicators_refresh, seed_targets
from tests_browser.test_accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_leader_prints_the_annual_report(log_in, users, person, other_person):
    year = datetime.date.today().year
    seed_targets(year=year)
    indicators_refresh(year=year)
    page = log_in("leader")
    page.goto("/targets/")
    page.get_by_role("link", name="月报/年报（可打印）").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"蓬江区残疾人工作{year}年度指标报表")
    expect(page.get_by_role("heading", name="1. 基本保障")).to_be_visible()
    expect(page.locator("#draft-text")).to_contain_text("全区现有持证残疾人2名。")
    assert_accessible(page, "the annual report for a leader")
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="报表选项")).to_be_hidden()
    expect(page.get_by_role("heading", name="7. 活动")).to_be_visible()
    expect(page.get_by_role("table", name=f"蓬江区残疾人工作{year}年度指标报表：基本保障")).to_be_visible()
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF"
    assert person.name not in page.content() and other_person.name not in page.content()
