"""A town officer opens a household from the list, registers a family member who is not
disabled (a mistake first, then right), puts a second disabled person in the household from
that person's page, and then sees the household flagged 一户多残 on both pages; the person
page shows the household it belongs to. axe-core finds no violations on the pages seen."""

import re

import pytest
from playwright.sync_api import expect

from conftest import make_person
from registry.households import household_create, person_household_set
from registry.identifiers import mask_id
from registry.models import FamilyMember
from registry.testing import make_id_number
from tests_browser.test_accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NUMBER = "0020010001"
SPOUSE_ID = make_id_number(birth="19720506", sequence=356)


def test_an_officer_builds_a_household_of_two_disabled_persons(log_in, users, areas, person):
    household = household_create(user=users["officer"], number=NUMBER, area=areas["baisha_a"], address="白沙大道1号")
    person_household_set(user=users["officer"], person=person, household=household, relationship="户主")
    daughter = make_person(areas["baisha_a"], name="陈小红", birth="20050101", sequence=222, category=5, grade=1)

    page = log_in("officer")
    page.goto("/persons/households/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("家庭户")
    page.get_by_role("link", name=NUMBER).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"户号 {NUMBER}")
    expect(page.locator("#multi-flag")).to_have_count(0)  # one disabled person: no flag
    expect(page.get_by_role("table", name="本户登记的持证残疾人")).to_contain_text(person.name)
    assert_accessible(page, "household page")

    # A family member who is not disabled: a wrong ID number first, then the right one.
    page.get_by_text("登记家庭成员", exact=True).click()
    form = page.locator("#family-form")
    form.get_by_label("姓名").fill("李秀兰")
    form.get_by_label("公民身份号码").fill(SPOUSE_ID[:-1] + ("0" if SPOUSE_ID[-1] != "0" else "1"))
    form.get_by_label("与残疾人关系").select_option("配偶")
    form.get_by_label("照料人").check()
    form.get_by_role("button", name="登记").click()
    expect(page.locator("#family-form")).to_have_attribute("open", "")
    expect(page.locator("#family-form")).to_contain_text("校验")
    assert not FamilyMember.objects.exists()
    assert_accessible(page, "household page, family member refused")
    form = page.locator("#family-form")
    form.get_by_label("公民身份号码").fill(SPOUSE_ID)
    form.get_by_role("button", name="登记").click()
    expect(page.get_by_role("alert")).to_contain_text("已登记家庭成员 李秀兰")
    family = page.get_by_role("table", name="本户的家庭成员")
    expect(family).to_contain_text("李秀兰")
    expect(family).to_contain_text(mask_id(SPOUSE_ID))
    expect(family).not_to_contain_text(SPOUSE_ID)
    assert FamilyMember.objects.get().is_carer

    # The daughter joins from her own page: now two disabled persons, 一户多残.
    page.goto(f"/persons/{daughter.pk}/")
    block = page.get_by_role("region", name=re.compile("户籍信息"))
    expect(block).to_contain_text("尚未登记户")
    block.get_by_text("加入户", exact=True).click()
    block.get_by_label("户号").fill(NUMBER)
    block.get_by_label("与户主关系").select_option("子女")
    block.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text(f"已加入户 {NUMBER}")
    block = page.get_by_role("region", name=re.compile("户籍信息"))
    expect(block.locator("#person-multi-flag")).to_have_text("一户多残")
    expect(block).to_contain_text("与户主关系：子女")
    expect(block).to_contain_text("本户残疾人 2 名，家庭成员 1 名")
    assert_accessible(page, "person page with a household")

    block.get_by_role("link", name=NUMBER).click()
    expect(page.locator("#multi-flag")).to_have_text("一户多残")
    members = page.get_by_role("table", name="本户登记的持证残疾人")
    expect(members).to_contain_text("陈小红")
    expect(members).to_contain_text(person.name)
    assert_accessible(page, "household page, 一户多残")

    # The head's own page shows the household too.
    page.goto(f"/persons/{person.pk}/")
    block = page.get_by_role("region", name=re.compile("户籍信息"))
    expect(block.get_by_role("link", name=NUMBER)).to_be_visible()
    expect(block).to_contain_text("与户主关系：户主")
