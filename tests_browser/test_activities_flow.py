"""An officer records an activity and its participants as they would: registers the town's
助残日 activity, adds one person by ID number and another by name (choosing among the
matches), is refused adding the first twice, sees the district's activity name only the
town's own participants and count the others, and reads the five ones and an association;
axe-core finds no violations on any of those pages (forms and refusals included)."""

import datetime

import pytest
from playwright.sync_api import expect

from activities.models import Activity, Participation
from activities.services import activity_create, participation_add
from conftest import make_person
from tests_browser.test_accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_officer_records_an_activitys_participants(log_in, users, areas, person, other_person):
    neighbour = make_person(areas["baisha_b"], name="王小明", sequence=125, category=1, grade=1)
    day = max(datetime.date.today() - datetime.timedelta(days=3), datetime.date(datetime.date.today().year, 1, 1))
    district = activity_create(
        user=users["admin"],
        name="全国助残日主题活动",
        kind="disability_day",
        organiser="district",
        area=None,
        starts_on=day,
        place="区残联",
    )
    participation_add(user=users["other_officer"], activity=district, person=other_person)

    page = log_in("officer")
    page.get_by_role("link", name="文体活动").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("活动")
    expect(page.get_by_role("link", name="全国助残日主题活动")).to_be_visible()
    assert_accessible(page, "activity list")

    page.get_by_role("link", name="登记活动").click()
    page.get_by_label("活动名称").fill("白沙街道助残日游园")
    page.get_by_label("活动类型").select_option(label="镇街助残日活动")
    page.get_by_label("主办方").select_option(label="镇(街)残联")
    page.get_by_label("开始日期").fill(day.isoformat())
    page.get_by_label("志愿者人数").fill("12")
    assert_accessible(page, "activity form")
    page.get_by_role("button", name="保存活动").click()
    expect(page.get_by_role("alert")).to_have_text("请选择主办镇(街)")
    assert_accessible(page, "refused activity form")
    assert not Activity.objects.filter(name="白沙街道助残日游园").exists()
    page.get_by_label("主办镇(街)").select_option(label="白沙街道")
    page.get_by_label("活动地点").fill("白沙公园")
    page.get_by_role("button", name="保存活动").click()
    activity = Activity.objects.get(name="白沙街道助残日游园")
    expect(page.get_by_role("alert")).to_have_text(f"已登记活动“白沙街道助残日游园”，活动编号 {activity.code}")
    expect(page.get_by_role("heading", level=1)).to_have_text("白沙街道助残日游园")
    expect(page.get_by_text("暂无登记参加人员")).to_be_visible()
    assert_accessible(page, "new activity")

    page.get_by_label("公民身份号码或姓名").fill(person.id_number)
    page.get_by_role("button", name="添加", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("已添加参加人员：陈建国")
    participants = page.get_by_role("region", name="登记参加人员（共 1 人）")
    expect(participants.get_by_role("link", name="陈建国")).to_be_visible()

    page.get_by_label("公民身份号码或姓名").fill("王小")
    page.get_by_role("button", name="添加", exact=True).click()
    expect(page.get_by_role("table", name="找到的人员：请选择要添加的一位")).to_be_visible()
    assert_accessible(page, "matches of a name")
    page.get_by_role("button", name="添加 王小明").click()
    expect(page.get_by_role("alert")).to_have_text("已添加参加人员：王小明")
    assert set(Participation.objects.filter(activity=activity).values_list("person", flat=True)) == {
        person.pk,
        neighbour.pk,
    }

    page.get_by_label("公民身份号码或姓名").fill(person.id_number)
    page.get_by_role("button", name="添加", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("陈建国已在本活动的参加人员中，请勿重复添加")
    assert_accessible(page, "refused participant")
    assert Participation.objects.filter(activity=activity).count() == 2
    page.locator("summary", has_text="作废").first.click()
    expect(page.get_by_label("作废原因").first).to_be_visible()
    assert_accessible(page, "activity with the void form open")

    page.goto(f"/activities/{district.pk}/")
    expect(page.get_by_text("荷塘镇 1 人（只显示人数）")).to_be_visible()
    expect(page.get_by_text(other_person.name)).to_have_count(0)
    page.get_by_label("公民身份号码或姓名").fill(person.id_number)
    page.get_by_role("button", name="添加", exact=True).click()
    expect(page.get_by_text("另有荷塘镇 1 人，不在您的管辖范围内，不显示姓名。")).to_be_visible()
    assert_accessible(page, "the district's activity")

    page.get_by_role("link", name="文体活动").click()
    page.get_by_role("link", name="活动统计").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("活动统计")
    assert_accessible(page, "activity figures")
    page.goto("/activities/five-ones/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("“五个一”完成情况")
    assert_accessible(page, "five ones")
    page.goto("/activities/associations/")
    page.get_by_role("link", name="蓬江区肢残人协会").click()
    page.get_by_label("公民身份号码").fill(person.id_number)
    page.get_by_role("button", name="登记会员").click()
    expect(page.get_by_role("alert")).to_have_text("已登记陈建国为蓬江区肢残人协会会员")
    assert_accessible(page, "association")

    page.goto(f"/persons/{person.pk}/")
    block = page.get_by_role("region", name="文体活动与专门协会")
    expect(block.get_by_role("cell", name=f"{activity.code} 白沙街道助残日游园")).to_be_visible()
    page.locator("summary", has_text="直接登记“五个一”").click()
    page.get_by_label("“五个一”项目").select_option(label="读一本书")
    assert_accessible(page, "person page with the five-one form open")
    page.get_by_role("button", name="登记“五个一”").click()
    expect(page.get_by_role("alert")).to_contain_text("已登记“读一本书”")
    expect(block.get_by_text("已完成 1 项")).to_be_visible()
