"""An officer of the district opens the dashboard: the progress charts and the town
comparison are drawn by the vendored ECharts with the page's numbers, a click on a figure
lists the persons behind it (masked), and both pages pass axe-core; a leader sees the same
figure without a link and the list answers 403; the monthly report's print preview hides
the navigation and shows the table. With CANLIAN_SCREENSHOTS=1 it refreshes the README's
picture of the dashboard."""

import datetime
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from outreach.models import HomeVisit
from targets.services import indicators_refresh, seed_targets
from tests_browser.test_accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCREENSHOT = Path(__file__).resolve().parent.parent / "docs" / "screenshots" / "dashboard.png"
KEYS = ["certified_persons", "certified_grade_2", "outreach_households_visited"]


def series(page, element_id: str) -> list:
    """The data of the first series ECharts holds for the chart in `element_id`."""
    return page.evaluate(
        "id => window.echarts.getInstanceByDom(document.getElementById(id)).getOption().series.map(s => s.data)",
        element_id,
    )


@pytest.fixture
def figures(users, person, other_person):
    today = datetime.date.today()
    for who in (person, other_person):
        HomeVisit.objects.create(person=who, area_code=who.area_id, visited_on=today, recorded_by=users["admin"])
    seed_targets(year=today.year)
    indicators_refresh(year=today.year, keys=KEYS)
    return today


def test_the_district_admin_clicks_through_a_figure_to_its_persons(log_in, users, person, other_person, figures):
    page = log_in("admin")
    page.goto("/targets/")
    expect(page.locator("#figure-certified_persons")).to_have_text("2")
    chart = page.get_by_role("img", name="持证残疾人数各月数值与目标进度图，数值见下方“各月数值”表")
    expect(chart.locator("svg")).to_have_count(1)
    drawn = series(page, "chart-certified_persons")
    assert drawn[0][figures.month - 1] == 2  # this month's persons
    assert drawn[1][0] == 9100  # the target line: a stock is measured against all of it
    towns = page.get_by_role("img", name="持证残疾人数各镇(街)对比图，数值见下方“各镇(街)数值”表")
    expect(towns.locator("svg")).to_have_count(1)
    assert sorted(series(page, "towns-certified_persons")[0], reverse=True)[:2] == [1, 1]
    assert_accessible(page, "the dashboard with its charts and links")

    page.get_by_role("link", name="持证残疾人数 2 人，查看明细").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("持证残疾人数")
    table = page.get_by_role("table", name="持证残疾人数的人员明细")
    expect(table.get_by_role("row")).to_have_count(3)
    expect(table).to_contain_text(person.name)
    expect(table).not_to_contain_text(person.id_number)
    expect(table).to_contain_text(person.id_number[:6])  # masked: the region code, stars, the end
    assert_accessible(page, "the persons behind a figure")
    page.get_by_role("link", name=person.name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(person.name)

    if os.environ.get("CANLIAN_SCREENSHOTS") == "1":
        page.goto("/targets/")
        page.set_viewport_size({"width": 1366, "height": 900})
        page.evaluate("document.fonts.ready")
        page.screenshot(path=str(SCREENSHOT), animations="disabled")


def test_a_leader_sees_the_figure_and_no_link(log_in, users, person, figures):
    page = log_in("leader")
    page.goto("/targets/")
    expect(page.locator("#figure-certified_persons")).to_have_text("2")
    expect(page.locator("a[href*='/records/']")).to_have_count(0)
    response = page.goto(f"/targets/certified_persons/records/?area=440703000000&year={figures.year}")
    assert response.status == 403
    assert person.name not in page.content()


def test_the_monthly_report_prints_without_the_navigation(log_in, users, figures):
    page = log_in("leader")
    page.goto(f"/targets/report/?year={figures.year}&month={figures.month}")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(f"{figures.year}年{figures.month}月指标报表")
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="报表选项")).to_be_hidden()
    expect(page.locator("table.report-table").first).to_be_visible()
    expect(page.get_by_role("heading", name="1. 基本保障")).to_be_visible()
