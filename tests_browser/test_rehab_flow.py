"""An officer records a person's rehabilitation: the year's needs assessment, a service
(first with a mistake, then right), finds it in the town's record list and sees the year's
figures; axe-core finds no violations on any of those pages (forms open included)."""

import datetime

import pytest
from playwright.sync_api import expect

from rehab.models import NeedAssessment, Provider, ServiceRecord
from tests_browser.test_accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def provider(areas):
    return Provider.objects.create(name="蓬江区残疾人康复中心", area=areas["baisha"])


def test_officer_assesses_and_records_a_service(log_in, users, person, other_person, provider):
    year = datetime.date.today().year
    page = log_in("officer")
    page.goto(f"/persons/{person.pk}/")
    expect(page.get_by_role("heading", name="精准康复服务")).to_be_visible()
    expect(page.get_by_text("本年度尚未评估")).to_be_visible()
    assert_accessible(page, "person page with the rehabilitation block")

    page.get_by_text(f"登记{year}年康复需求评估").click()
    page.get_by_label("有康复需求").check()
    page.get_by_label("肢体").check()
    page.get_by_label("辅助器具").check()
    assert_accessible(page, "person page with the assessment form open")
    page.get_by_role("button", name="保存评估").click()
    expect(page.get_by_role("alert")).to_have_text(f"已登记 {year} 年康复需求评估")
    # The block, not the timeline below it, which shows the same record.
    block = page.get_by_role("region", name="精准康复服务")
    expect(block.get_by_text("肢体、辅助器具")).to_be_visible()
    assessment = NeedAssessment.objects.get()
    assert (assessment.person, assessment.kinds) == (person, ["physical", "assistive"])

    page.get_by_text("登记康复服务").click()
    block.get_by_label("康复项目").select_option(label="KF09 运动功能训练（肢体）")
    block.get_by_label("服务机构").select_option(label="蓬江区残疾人康复中心")
    page.get_by_label("服务次数").fill("0")
    assert_accessible(page, "person page with the service form open")
    page.get_by_role("button", name="登记服务").click()
    expect(page.get_by_role("alert")).to_have_text("服务次数至少为 1 次")
    assert_accessible(page, "refused service record")
    assert not ServiceRecord.objects.exists()

    page.get_by_label("服务次数").fill("6")
    page.get_by_role("button", name="登记服务").click()
    expect(page.get_by_role("alert")).to_contain_text("已登记康复服务：运动功能训练")
    record = ServiceRecord.objects.get()
    assert (record.person, record.sessions, record.area_code) == (person, 6, person.area_id)
    expect(block.get_by_role("cell", name="运动功能训练")).to_be_visible()
    page.locator("summary", has_text="作废").click()
    expect(page.get_by_label("作废原因")).to_be_visible()
    assert_accessible(page, "person page with the void form open")

    page.get_by_role("link", name="康复服务", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("康复服务记录")
    table = page.locator("#record-table")
    expect(table.get_by_text("共 1 条记录")).to_be_visible()
    expect(table.get_by_role("link", name=person.name)).to_be_visible()
    assert_accessible(page, "record list")
    page.get_by_label("康复项目").select_option(label="KF01 低视力助视器验配")  # htmx swaps the table
    expect(table.get_by_text("共 0 条记录")).to_be_visible()
    assert_accessible(page, "record list, filtered to nothing")

    page.get_by_role("link", name="康复统计").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"精准康复统计（{year} 年）")
    row = page.get_by_role("row", name="白沙街道")
    expect(row).to_contain_text("100.0%")
    expect(page.get_by_text("荷塘镇")).to_have_count(0)
    assert_accessible(page, "figures")
