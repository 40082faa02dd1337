"""An officer records a home visit (first refused for a day in the future, then right, with
a photo), delivers a love pack by typing ID numbers one after another (a second delivery
and a person not on the list refused), and works the living-alone watch; axe-core finds no
violations on any of those pages."""

import datetime

import pytest
from playwright.sync_api import expect

from conftest import make_person
from outreach.campaigns import campaign_create, campaign_start
from outreach.declaration import TINY_PNG
from outreach.models import CampaignDelivery, HomeVisit, VisitNeed, WatchContact
from tests_browser.test_accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def test_officer_records_a_visit_and_closes_its_need(log_in, users, person, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    photo = tmp_path / "走访.png"
    photo.write_bytes(TINY_PNG)
    page = log_in("officer")
    page.goto(f"/persons/{person.pk}/")
    block = page.get_by_role("region", name="慰问关爱")
    expect(block.get_by_text("暂无走访记录")).to_be_visible()
    block.get_by_role("link", name="登记走访慰问").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"登记走访慰问：{person.name}")
    assert_accessible(page, "visit form")

    page.get_by_label("走访日期").fill((TODAY + DAY).isoformat())
    page.get_by_label("其他走访人").fill("区领导")
    page.get_by_label("住房").check()
    page.get_by_label("慰问金额（元）").fill("500")
    page.get_by_label("慰问物品").fill("大米一袋")
    page.get_by_label("照片").set_input_files(str(photo))
    page.get_by_role("button", name="保存走访").click()
    expect(page.get_by_role("alert")).to_have_text("走访日期不能晚于今天")
    assert_accessible(page, "refused visit")
    assert not HomeVisit.objects.exists()

    page.get_by_label("走访日期").fill((TODAY - DAY).isoformat())
    page.get_by_label("照片").set_input_files(str(photo))
    page.get_by_role("button", name="保存走访").click()
    expect(page.get_by_role("alert")).to_have_text(f"已登记 {TODAY - DAY:%Y-%m-%d} 的走访慰问")
    expect(page.get_by_text("500.00 元")).to_be_visible()
    expect(page.get_by_role("img", name="走访照片 1")).to_be_visible()
    page.wait_for_function("() => document.querySelector('img.img-thumbnail').naturalWidth === 1")
    page.get_by_text("办结住房需求").click()
    assert_accessible(page, "visit page with the close form open")
    page.get_by_label("办理结果").fill("已申请危房改造")
    page.get_by_role("button", name="确认办结").click()
    expect(page.get_by_role("alert")).to_have_text("已办结“住房”需求")
    assert VisitNeed.objects.get().outcome == "已申请危房改造"

    page.get_by_role("link", name="走访慰问", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("走访慰问")
    expect(page.get_by_text("共 1 次走访，1 户，慰问金额 500.00 元")).to_be_visible()
    assert_accessible(page, "visit list")


def test_officer_delivers_love_packs_by_typing_id_numbers(log_in, users, areas, person):
    neighbour = make_person(areas["baisha_b"], name="王丰乐", sequence=131)
    campaign = campaign_create(
        user=users["admin"],
        name="生活爱心包",
        gift="米、油、日用品一份",
        starts_on=TODAY - 10 * DAY,
        ends_on=TODAY + 30 * DAY,
        rule="certified",
    )
    campaign_start(user=users["admin"], campaign=campaign)
    newcomer = make_person(areas["baisha_a"], name="周新证", sequence=139)  # certified after the start

    page = log_in("officer")
    page.get_by_role("link", name="慰问发放").click()
    page.get_by_role("link", name="生活爱心包").click()
    expect(page.get_by_role("row", name="白沙街道")).to_contain_text("0.0%")
    assert_accessible(page, "campaign page")
    page.get_by_role("link", name="登记发放（输入或扫描身份证号）").click()
    number = page.get_by_label("身份证号")
    expect(number).to_be_focused()
    page.get_by_label("发放人").fill("林姐")
    assert_accessible(page, "delivery entry")

    number.fill(person.id_number)
    number.press("Enter")
    expect(page.get_by_role("alert")).to_have_text(f"已登记：{person.name} 领取“生活爱心包”")
    expect(number).to_be_focused()
    expect(number).to_have_value("")
    expect(page.get_by_label("发放人")).to_have_value("林姐")

    number.fill(person.id_number)
    number.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("领取过“生活爱心包”，不能重复发放")
    expect(number).to_be_focused()
    assert_accessible(page, "refused second delivery")
    number.fill(newcomer.id_number)
    number.press("Enter")
    expect(page.get_by_role("alert")).to_have_text("该人员不在“生活爱心包”的发放名单内，不能发放")
    number.fill(neighbour.id_number)
    number.press("Enter")
    expect(page.get_by_role("alert")).to_have_text(f"已登记：{neighbour.name} 领取“生活爱心包”")
    assert CampaignDelivery.objects.count() == 2

    page.get_by_role("link", name="生活爱心包").click()
    expect(page.get_by_role("row", name="白沙街道")).to_contain_text("100.0%")
    page.get_by_role("link", name="白沙街道").click()
    expect(page.get_by_role("row", name="紫沙社区")).to_be_visible()
    assert_accessible(page, "campaign page per community")


def test_officer_works_the_living_alone_watch(log_in, users, areas, person):
    person.lives_alone = True
    person.save(update_fields=["lives_alone"])
    page = log_in("officer")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="独居关爱").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("独居（无人照料）关爱名单")
    row = page.get_by_role("row", name=person.name)
    expect(row).to_contain_text("尚未联系")
    assert_accessible(page, "watch list")
    page.get_by_label("联系情况").select_option(label="已逾期（含尚未联系）")  # htmx swaps the table
    expect(page.locator("#watch-table").get_by_text("符合条件 1 人")).to_be_visible()
    row.get_by_role("link", name="登记联系").click()
    page.get_by_label("联系方式").select_option(label="电话联系")
    page.get_by_label("情况").fill("身体尚好")
    assert_accessible(page, "contact form")
    page.get_by_role("button", name="保存联系记录").click()
    expect(page.get_by_role("alert")).to_have_text(f"已登记 {TODAY:%Y-%m-%d} 的电话联系")
    assert WatchContact.objects.get().note == "身体尚好"
    block = page.get_by_role("region", name="慰问关爱")
    expect(block.get_by_text("按期")).to_be_visible()
    block.get_by_label("责任人").select_option(label=users["officer"].display_name)
    block.get_by_role("button", name="指定责任人").click()
    expect(page.get_by_role("alert")).to_have_text(f"已指定责任人：{users['officer'].display_name}")
    assert_accessible(page, "person page with the watch block")


def test_officer_takes_in_a_legal_case_and_records_a_lecture(log_in, users, person):
    page = log_in("officer")
    page.goto(f"/persons/{person.pk}/")
    page.get_by_role("link", name="受理法律救助案件").click()
    page.locator("#id_applicant_name").fill("陈母")
    page.get_by_label("申请人与当事人关系").select_option(label="监护人")
    page.get_by_label("事项").select_option(label="赡养、抚养")
    page.get_by_label("法律援助站或律师").fill("蓬江区法律援助处")
    assert_accessible(page, "legal case form")
    page.get_by_role("button", name="受理案件").click()
    expect(page.get_by_role("alert")).to_have_text(f"已受理 {TODAY:%Y-%m-%d} 的法律救助案件")
    page.get_by_label("办理情况").fill("组织调解")
    page.get_by_role("button", name="登记步骤").click()
    expect(page.get_by_role("alert")).to_have_text("已登记办理步骤")
    page.get_by_label("结果").fill("调解成功")
    page.get_by_role("button", name="结案").click()
    expect(page.get_by_role("alert")).to_have_text("已结案")
    assert_accessible(page, "closed legal case")
    page.get_by_role("link", name="法律救助", exact=True).first.click()
    page.get_by_role("link", name="普法助残讲座").click()
    page.locator("summary", has_text="登记讲座").click()
    page.get_by_label("主题").fill("残疾人权益保障法")
    page.get_by_label("地点").fill("白沙街道办")
    page.get_by_label("主讲人").fill("王律师")
    page.get_by_label("参加人数").fill("45")
    assert_accessible(page, "lecture list with the form open")
    page.get_by_role("button", name="登记讲座").click()
    expect(page.get_by_role("alert")).to_have_text(f"已登记 {TODAY:%Y-%m-%d} 的普法讲座“残疾人权益保障法”")
    expect(page.get_by_text("共 1 场，参加 45 人次")).to_be_visible()
