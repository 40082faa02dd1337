"""A child rehabilitation application (残疾儿童康复救助) from the town to the district: the
town officer registers an uncertified child (first with a mistake, then right) and takes
the guardian's application for training; the district reviewer finds it in the list,
approves a smaller amount and places the child at a designated institution. axe-core
finds no violations on any of those pages (forms open and refused included)."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from registry.testing import make_id_number
from rehab.models import Child, ChildApplication, ChildRehabStandard, Provider
from tests_browser.test_accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TODAY = datetime.date.today()
BIRTH = TODAY.replace(year=TODAY.year - 3, day=1)
ID_NUMBER = make_id_number(birth=f"{BIRTH:%Y%m%d}", sequence=202)


@pytest.fixture
def programme(areas):
    """This year's training standard and a designated institution for children."""
    ChildRehabStandard.objects.create(year=TODAY.year, kind="training", cap_fen=2_400_000, max_age=6)
    return Provider.objects.create(name="蓬江区特殊儿童康复教育中心", area=areas["baisha"], serves_children=True)


def log_out(page):
    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(re.compile(r"/login/"))


def test_an_application_entered_by_the_town_and_approved_by_the_district(log_in, users, areas, programme):
    page = log_in("officer")
    page.get_by_role("link", name="儿童康复救助").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("残疾儿童康复救助")
    expect(page.get_by_text("共 0 名儿童")).to_be_visible()
    assert_accessible(page, "children list")

    page.get_by_role("link", name="登记儿童").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("登记康复救助儿童")
    assert_accessible(page, "registration form")
    page.get_by_label("儿童姓名").fill("黄梓琪")
    page.get_by_label("身份证号").fill(ID_NUMBER)
    page.get_by_label("残疾类别").select_option(label="孤独症")
    page.get_by_label("诊断", exact=True).fill("孤独症谱系障碍")
    page.get_by_label("监护人姓名").fill("黄国明")
    page.get_by_label("监护人电话").fill("1380013")
    page.get_by_label("所在村(居)").select_option(label="白沙街道 紫沙社区")
    page.get_by_role("button", name="登记").click()
    expect(page.get_by_label("监护人电话")).to_have_accessible_description(re.compile("监护人电话格式不正确"))
    assert_accessible(page, "registration refused")
    assert not Child.objects.exists()

    page.get_by_label("监护人电话").fill("13800138000")
    page.get_by_role("button", name="登记").click()
    expect(page.get_by_role("alert")).to_have_text("已登记康复救助儿童：黄梓琪")
    expect(page.get_by_role("heading", level=1)).to_have_text("黄梓琪")
    expect(page.get_by_text("未持证", exact=True)).to_be_visible()
    assert_accessible(page, "child page")

    page.get_by_text("受理救助申请").click()
    page.get_by_label(re.compile(r"^救助类别")).select_option(label="康复训练")
    page.get_by_label("救助对象类别").select_option(label="低保/特困家庭")
    page.get_by_label("申请金额（元）").fill("30000")
    assert_accessible(page, "child page with the application form open")
    page.get_by_role("button", name="受理申请").click()
    expect(page.get_by_text("超出年度救助限额")).to_be_visible()
    assert_accessible(page, "application refused over the cap")
    assert not ChildApplication.objects.exists()

    page.get_by_label("申请金额（元）").fill("12000")
    page.get_by_role("button", name="受理申请").click()
    expect(page.get_by_role("alert")).to_have_text("已受理康复训练救助申请，待区残联审核")
    expect(page.get_by_role("heading", level=1)).to_contain_text("待区残联审核")
    assert_accessible(page, "application page for the town")
    log_out(page)

    page = log_in("reviewer")
    page.get_by_role("link", name="儿童康复救助").click()
    page.get_by_role("link", name="救助申请").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("残疾儿童康复救助申请")
    assert_accessible(page, "application list")
    page.get_by_role("link", name=re.compile(r"黄梓琪\s*的康复训练申请")).click()
    decision = page.get_by_label("批准金额（元，不高于申请金额）")
    expect(decision).to_have_value("12000")
    assert_accessible(page, "application page for the district")
    decision.fill("10000")
    page.get_by_role("button", name="批准", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("已批准该申请，请安排定点机构")
    expect(page.get_by_text("10,000.00 元").first).to_be_visible()

    page.get_by_label("定点康复机构").select_option(label="蓬江区特殊儿童康复教育中心")
    page.get_by_role("button", name="确认安置").click()
    expect(page.get_by_role("alert")).to_have_text("已安置到定点康复机构")
    expect(page.get_by_role("heading", level=1)).to_contain_text("已安置，接受服务中")
    assert_accessible(page, "placed application")
    application = ChildApplication.objects.get()
    assert (application.state, application.approved_fen, application.institution) == ("placed", 1_000_000, programme)
    assert (application.submitted_by, application.decided_by) == (users["officer"], users["reviewer"])
