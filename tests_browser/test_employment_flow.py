"""An officer enrols a person in a skills course and completes it as they would: opens the
training list from the navigation, the course, enrols the town's person by ID number, is
refused enrolling them twice and a completion before the course started, records the
completion with its certificate, and sees it on the person's page; axe-core finds no
violations on any of those pages (forms and refusals included)."""

import datetime

import pytest
from playwright.sync_api import expect

from employment.models import CourseEnrolment, ServicePoint
from employment.services import course_create
from tests_browser.test_accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_officer_enrols_a_person_and_completes_the_course(log_in, users, person):
    today = datetime.date.today()
    starts = max(today - datetime.timedelta(days=20), datetime.date(today.year, 1, 1))
    course_create(
        user=users["admin"],
        name="电子商务运营实务",
        provider="蓬江区职业技能培训中心",
        point=ServicePoint.objects.get(code="JY01"),
        starts_on=starts,
        ends_on=today,
        capacity=10,
    )

    page = log_in("officer")
    page.get_by_role("link", name="职业技能培训").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"职业技能培训（{today.year} 年）")
    assert_accessible(page, "course list")
    page.get_by_role("link", name="电子商务运营实务").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("电子商务运营实务")
    expect(page.get_by_text("暂无报名")).to_be_visible()
    assert_accessible(page, "course page")

    page.get_by_label("公民身份号码").fill(person.id_number)
    page.get_by_label("报名日期").fill(starts.isoformat())
    page.get_by_role("button", name="报名", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("已为陈建国报名“电子商务运营实务”")
    expect(page.get_by_role("link", name="陈建国")).to_be_visible()

    page.get_by_label("公民身份号码").fill(person.id_number)
    page.get_by_label("报名日期").fill(starts.isoformat())
    page.get_by_role("button", name="报名", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("陈建国已报名课程“电子商务运营实务”，请勿重复报名")
    assert_accessible(page, "refused enrolment")
    assert CourseEnrolment.objects.count() == 1

    page.locator("summary", has_text="登记结业").click()
    page.get_by_label("结业日期").fill((starts - datetime.timedelta(days=1)).isoformat())
    assert_accessible(page, "course page with the completion form open")
    page.get_by_role("button", name="确认结业").click()
    expect(page.get_by_role("alert")).to_have_text(f"未能登记结业：结业日期不能早于课程开课日期（{starts:%Y-%m-%d}）")
    assert CourseEnrolment.objects.get().completed_on is None

    page.locator("summary", has_text="登记结业").click()
    page.get_by_label("结业日期").fill(today.isoformat())
    page.get_by_label("结业证书编号").fill("ZS2026001")
    page.get_by_role("button", name="确认结业").click()
    expect(page.get_by_role("alert")).to_have_text("已登记陈建国结业")
    expect(page.get_by_role("cell", name=f"已结业（{today:%Y-%m-%d}，证书 ZS2026001）")).to_be_visible()
    assert_accessible(page, "completed enrolment")
    assert CourseEnrolment.objects.get().certificate_number == "ZS2026001"

    page.get_by_role("link", name="陈建国").click()
    block = page.get_by_role("region", name="就业创业")
    expect(block.get_by_text(f"{today:%Y-%m-%d} 结业（证书 ZS2026001）")).to_be_visible()
    assert_accessible(page, "person page with the employment block")
