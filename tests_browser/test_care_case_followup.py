"""Centre staff record a case follow-up: from the navigation to the case list (the overdue
high-risk case first), into the case, through the follow-up form, to the saved follow-up
and the case no longer overdue. A follow-up before the case opened is refused in Chinese.
axe-core finds no violations on the list and on the case's page."""

import datetime

import pytest
from playwright.sync_api import expect

from care.models import CaseFollowUp, Institution, InstitutionKind
from care.services.cases import case_open
from care.services.membership import enrolment_apply
from conftest import make_person
from tests_browser.test_accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
TODAY = datetime.date.today()


@pytest.fixture
def cases(areas, users):
    """Two members of the centre staff's centre with cases: 陈建国 high risk and overdue,
    黄丽 low risk and not yet due."""
    centre = Institution.objects.create(
        code="KY0101", name="白沙紫沙康园中心", kind=InstitutionKind.CENTRE, area=areas["baisha"], capacity=10
    )
    centre.staff.add(users["centre"])
    made = {}
    for name, sequence, risk, opened in (("黄丽", 502, "low", 10), ("陈建国", 501, "high", 30)):
        person = make_person(areas["baisha_a"], name=name, sequence=sequence, category=6, grade=3)
        enrolment_apply(
            user=users["admin"], institution=centre, person=person, started_on=TODAY - datetime.timedelta(days=60)
        )
        made[name] = case_open(
            user=users["admin"],
            person=person,
            keyworker=users["centre"],
            risk=risk,
            plan="每两周入户探访，督促服药",
            opened_on=TODAY - datetime.timedelta(days=opened),
        )
    return made


def test_centre_staff_record_a_follow_up(log_in, cases):
    case = cases["陈建国"]
    page = log_in("centre")
    page.get_by_role("link", name="个案管理").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("个案管理")
    overdue = page.get_by_role("region", name="逾期随访（1 个）")
    expect(overdue.get_by_role("row").nth(1)).to_contain_text("陈建国")
    assert_accessible(page, "the case list")

    overdue.get_by_role("link", name="陈建国").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("个案：陈建国")
    expect(page.get_by_text("已逾期 16 天")).to_be_visible()
    assert_accessible(page, "the case's page")

    # Before the case opened: refused, nothing written.
    page.locator("#id_followed_on").fill(f"{case.opened_on - datetime.timedelta(days=1):%Y-%m-%d}")
    page.get_by_label("随访方式").select_option(label="入户探访")
    page.get_by_label("随访情况").fill("情绪稳定，按时服药")
    page.get_by_role("button", name="保存随访").click()
    expect(page.get_by_role("alert")).to_contain_text(f"随访日期不能早于开案日期（{case.opened_on:%Y-%m-%d}）")
    assert not CaseFollowUp.objects.exists()
    assert_accessible(page, "the case's page with the refusal")

    page.locator("#id_followed_on").fill(f"{TODAY:%Y-%m-%d}")
    page.get_by_role("button", name="保存随访").click()
    due = TODAY + datetime.timedelta(days=14)
    expect(page.get_by_role("alert")).to_have_text(f"已登记 {TODAY:%Y-%m-%d} 的随访，下次随访日期 {due:%Y-%m-%d}")
    follow_up = CaseFollowUp.objects.get()
    assert (follow_up.case_id, follow_up.contact, follow_up.risk) == (case.pk, "home", "high")
    expect(page.get_by_role("region", name="随访记录").get_by_role("cell", name="情绪稳定，按时服药")).to_be_visible()
    expect(page.get_by_text("已逾期")).to_have_count(0)

    page.get_by_role("link", name="返回个案管理").click()
    expect(page.get_by_role("region", name="逾期随访（0 个）")).to_contain_text("没有逾期随访的个案")
