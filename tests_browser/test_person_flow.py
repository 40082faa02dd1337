"""An officer's day with one person: log in, search, open, edit with a mistake then a fix,
reveal the full identifiers. Scoping and login throttling as a browser sees them."""

import re

import pytest
from playwright.sync_api import expect

from canlian.models import AuditEntry
from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def search(page, text):
    page.get_by_role("searchbox", name="姓名/身份证号/残疾人证号").fill(text)
    page.get_by_role("button", name="查询").click()


def test_officer_finds_edits_and_reveals_a_person(log_in, users, person, other_person):
    page = log_in("officer")
    expect(page).to_have_url(re.compile(r"/work/$"))  # the home page: the work list
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="持证残疾人").click()
    expect(page).to_have_url(re.compile(r"/persons/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("持证残疾人")

    search(page, "陈建")
    expect(page).to_have_url(re.compile(r"q=%E9%99%88%E5%BB%BA"))  # htmx pushed the search to the URL
    table = page.locator("#person-table")
    expect(table.get_by_text("共 1 人")).to_be_visible()
    table.get_by_role("link", name="陈建国").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("陈建国")
    identifiers = page.locator("#identifiers")
    masked_id = person.id_number[:6] + "*" * 8 + person.id_number[-4:]
    expect(identifiers).to_contain_text(masked_id)
    expect(identifiers).not_to_contain_text(person.id_number)
    expect(identifiers).to_contain_text("138****5678")

    page.get_by_role("link", name="修改信息").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("修改信息：陈建国")
    page.get_by_label("联系电话").fill("12345")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("请更正下面标红的内容后再保存")
    expect(page.get_by_label("联系电话", exact=True)).to_have_accessible_description(
        re.compile("联系电话格式不正确：应为 11 位手机号")
    )
    person.refresh_from_db()
    assert person.phone == "13812345678"

    page.get_by_label("联系电话").fill("13902468135")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_have_text("已保存修改")
    expect(page.get_by_role("heading", level=1)).to_have_text("陈建国")
    expect(identifiers).to_contain_text("139****8135")
    expect(identifiers).not_to_contain_text("13902468135")
    person.refresh_from_db()
    assert person.phone == "13902468135"

    # The reveal swaps the identifiers card in place (htmx), without leaving the page.
    url = page.url
    page.get_by_role("button", name="显示完整证件号和电话").click()
    expect(identifiers).to_contain_text(person.id_number)
    expect(identifiers).to_contain_text("13902468135")
    expect(identifiers).to_contain_text("本次查看已记录")
    expect(page.get_by_role("button", name="显示完整证件号和电话")).to_have_count(0)
    assert page.url == url
    expect(page.get_by_role("alert")).to_have_text("已保存修改")  # still the same page
    # Opening the edit form with its full identifiers was one reveal, the button another.
    reveals = AuditEntry.objects.filter(user=users["officer"], action="registry.identifiers.revealed")
    assert sorted(entry.data.get("page", "detail") for entry in reveals) == ["detail", "edit"]


def test_an_officer_of_another_town_does_not_see_the_person(log_in, users, person, other_person):
    page = log_in("other_officer")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="持证残疾人").click()
    table = page.locator("#person-table")
    expect(table.get_by_role("link", name="李秀英")).to_be_visible()
    expect(table).not_to_contain_text("陈建国")
    search(page, "陈建国")
    expect(table).to_contain_text("没有符合条件的人员")

    response = page.goto(f"/persons/{person.pk}/")
    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text("陈建国")


def test_five_wrong_passwords_lock_the_login(page, users, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    page.goto("/login/")
    for attempt in range(1, 5):
        page.get_by_label("用户名").fill("officer")
        page.get_by_label("密码").fill(f"wrong-{attempt}")
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_role("alert")).to_have_text("用户名或密码不正确。")
    page.get_by_label("用户名").fill("officer")
    page.get_by_label("密码").fill("wrong-5")
    page.get_by_role("button", name="登录").click()
    lockout = page.get_by_role("heading", name="登录失败次数过多，该账号或本机地址已暂时锁定")
    expect(lockout).to_be_visible()

    # Now even the right password gets the lockout page, and no session.
    page.goto("/login/")
    page.get_by_label("用户名").fill("officer")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(lockout).to_be_visible()
    page.goto("/persons/")
    expect(page).to_have_url(re.compile(r"/login/\?next="))


def test_the_status_change_form_shows_only_the_chosen_events_field(log_in, users, person):
    page = log_in("officer")
    page.goto(f"/persons/{person.pk}/")
    page.get_by_text("登记状态变更（死亡、迁出、等级变更、换证等）").click()
    for label in ("新等级", "新类别", "新经济状况", "新有效期至（长期有效请留空）"):
        expect(page.get_by_label(label)).to_be_hidden()
    page.get_by_role("combobox", name="事件").select_option(label="等级变更")
    expect(page.get_by_label("新等级")).to_be_visible()
    expect(page.get_by_label("新类别")).to_be_hidden()
    page.get_by_label("生效日期").fill("2025-03-01")
    page.get_by_role("button", name="登记").click()

    # Refused on the person's page, the form open at the errors, each field marked.
    expect(page.get_by_role("heading", level=1)).to_contain_text("陈建国")
    expect(page.get_by_label("新等级")).to_be_visible()
    expect(page.get_by_label("新等级")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.get_by_label("原因/依据")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("新等级")).to_have_accessible_description(re.compile("请选择新等级"))
    expect(page.get_by_label("新类别")).to_be_hidden()
    page.get_by_label("新等级").select_option(label="一级")
    page.get_by_label("原因/依据").fill("复评")
    page.get_by_role("button", name="登记").click()
    expect(page.get_by_role("alert")).to_have_text("已登记状态变更")
    person.refresh_from_db()
    assert person.grade == 1


NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def test_at_200_percent_zoom_the_menu_folds_and_the_page_fits(log_in, users, person):
    page = log_in("officer")
    page.set_viewport_size({"width": 683, "height": 450})  # 1366 × 900 at 200 %
    nav = page.get_by_role("navigation", name="主导航")
    expect(nav.get_by_role("link", name="持证残疾人")).to_be_hidden()
    nav.get_by_role("button", name="菜单").click()
    expect(nav.get_by_role("link", name="持证残疾人")).to_be_visible()
    nav.get_by_role("link", name="持证残疾人").click()
    page.get_by_role("link", name="陈建国").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("陈建国")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)


def test_after_a_reveal_the_focus_stays_on_the_identifiers(log_in, users, person):
    page = log_in("officer")
    page.goto(f"/persons/{person.pk}/")
    page.get_by_role("button", name="显示完整证件号和电话").click()
    expect(page.locator("#identifiers")).to_contain_text(person.id_number)
    expect(page.locator("#identifiers")).to_be_focused()


def test_without_script_the_narrow_menu_stays_open(browser, live_server, users):
    context = browser.new_context(
        locale="zh-CN", base_url=live_server.url, viewport={"width": 683, "height": 450}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/login/")
    page.get_by_label("用户名").fill("officer")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    nav = page.get_by_role("navigation", name="主导航")
    expect(nav.get_by_role("link", name="数据导入")).to_be_visible()
    expect(nav.get_by_role("button", name="菜单")).to_be_hidden()
    context.close()
