"""A leader opens the targets dashboard: the figures against the seed's targets, the monthly
charts drawn by the vendored ECharts (with their tables), the town table, and no axe-core
violations; then a town's page; then the administrator sets a town's target."""

import datetime

import pytest
from playwright.sync_api import expect

from targets.services import indicators_refresh, seed_targets
from tests_browser.test_accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_leader_reads_the_dashboard(log_in, users, person, other_person):
    year = datetime.date.today().year
    seed_targets(year=year)
    indicators_refresh(year=year)
    page = log_in("leader")
    page.goto("/targets/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{year} 年度目标与指标")
    expect(page.locator("#figure-certified_persons")).to_have_text("2")
    expect(page.get_by_role("progressbar", name="持证残疾人数目标完成率")).to_have_attribute("aria-valuenow", "0")
    # ECharts drew the chart (an SVG) inside the named image.
    chart = page.get_by_role("img", name="持证残疾人数各月数值与目标进度图，数值见下方“各月数值”表")
    expect(chart.locator("svg")).to_have_count(1)
    page.locator("#h-certified_persons + p ~ details summary").first.click()
    expect(page.get_by_role("row", name=f"{datetime.date.today().month}月 2")).to_be_visible()
    expect(page.locator("#row-440703000000")).to_contain_text("蓬江区")
    assert person.name not in page.content() and other_person.name not in page.content()
    assert_accessible(page, "targets dashboard for a leader")

    page.get_by_role("link", name="白沙街道").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"白沙街道 {year} 年度目标与指标")
    assert_accessible(page, "a town's figures for a leader")

    # The administrator sets a target of 白沙 on the targets page.
    page.context.clear_cookies()
    page = log_in("admin")
    page.goto("/targets/")
    page.get_by_role("link", name="设置年度目标").click()
    assert_accessible(page, "the targets form")
    page.get_by_label("持证残疾人数 白沙街道目标（人）").fill("4")
    page.get_by_role("button", name="保存目标").click()
    expect(page.get_by_role("alert")).to_contain_text("已保存")
    expect(page.locator("#row-440703002000")).to_contain_text("目标 4，完成 25%")


def test_the_town_column_stays_in_view_when_the_table_scrolls(log_in, users, person):
    indicators_refresh(year=datetime.date.today().year)
    page = log_in("leader")
    page.set_viewport_size({"width": 683, "height": 450})  # 200 % zoom: the table is wider than the page
    page.goto("/targets/")
    town = page.locator("#row-440703000000 th")
    expect(town).to_contain_text("蓬江区")
    scroller = page.locator(".table-responsive").filter(has=page.locator("#town-table"))
    left = town.bounding_box()["x"]
    scroller.evaluate("element => { element.scrollLeft = 400; }")
    assert scroller.evaluate("element => element.scrollLeft") > 0
    assert town.bounding_box()["x"] == left
