"""A leader opens the district's map: ECharts draws the towns on a canvas, a click on a town
opens its dashboard, and the page has no axe-core violations; a town officer's own town is
marked in the table under the map."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from areas.declaration import DEMO_BOUNDARIES
from targets.services import indicators_refresh
from tests_browser.test_accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

YEAR = datetime.date.today().year

# The pixel of 白沙街道's centroid in the drawn map, from ECharts itself.
BAISHA_PIXEL = """() => {
  const chart = document.getElementById("district-map").canlianChart;
  return chart.convertToPixel({ geoIndex: 0 }, [113.068, 22.567]);
}"""


@pytest.fixture
def mapped(users, person, other_person):
    call_command("import_areas", geojson=str(DEMO_BOUNDARIES), approximate=True, stdout=StringIO())
    indicators_refresh(year=YEAR)


def test_a_leader_clicks_a_town_on_the_map(log_in, mapped):
    page = log_in("leader")
    page.get_by_role("link", name="地图").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"蓬江区地图：{YEAR} 年持证残疾人数")
    expect(page.get_by_role("note")).to_have_text("边界为示意，非精确边界。")
    chart = page.get_by_role("img", name="蓬江区各镇(街)持证残疾人数分布图，数值见下方表格")
    expect(chart.locator("canvas")).to_have_count(1)
    expect(page.get_by_role("row", name="白沙街道 1")).to_be_visible()
    assert_accessible(page, "the district's map for a leader")

    x, y = page.evaluate(BAISHA_PIXEL)
    box = chart.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    expect(page).to_have_url(f"/targets/towns/440703002000/?year={YEAR}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"白沙街道 {YEAR} 年度目标与指标")


def test_a_town_officer_sees_their_town_marked(log_in, mapped):
    page = log_in("officer")
    page.goto("/targets/map/")
    expect(page.locator("#map-row-440703002000")).to_contain_text("白沙街道（本镇街）")
    expect(page.locator("#map-row-440703102000")).to_contain_text("不在管辖范围")
    expect(page.locator("#district-map canvas")).to_have_count(1)
    assert_accessible(page, "the district's map for a town officer")


def test_a_town_officer_opens_their_towns_communities_coloured(log_in, mapped, areas):
    page = log_in("officer")
    page.goto("/targets/map/")
    page.get_by_role("link", name="白沙街道村(居)地图").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("白沙街道村(居)地图")
    chart = page.get_by_role("img", name="白沙街道各村(居)持证残疾人数分布图，村(居)名单见下方表格")
    expect(chart.locator("canvas")).to_have_count(1)
    expect(page.get_by_role("row", name="紫沙社区 1")).to_be_visible()
    expect(page.get_by_role("row", name="丰乐社区 0")).to_be_visible()
    expect(page.locator("#map-community-note")).to_contain_text("即时计算")
    # ECharts coloured the community with a figure (the visual map shows its range).
    drawn = page.evaluate(
        """() => document.getElementById("district-map").canlianChart.getOption().series[0].data
             .filter((d) => !Number.isNaN(d.value)).map((d) => d.name).sort()"""
    )
    assert drawn == ["丰乐社区", "紫沙社区"]
    assert_accessible(page, "a town's community map")
