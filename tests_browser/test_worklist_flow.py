"""A town officer signs in to their work list (我的待办): the counts of each kind, the lines
overdue first, none of another town's; they filter to one kind, follow a line to its record
and do the work there, and the line is gone when they come back. axe-core finds no
violations on the list, a filtered list and an empty one."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from benefits.models import Application, Scheme
from conftest import make_person
from tests_browser.test_accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def test_a_town_officer_works_through_their_list(log_in, users, areas):
    waiting = make_person(areas["baisha_a"], name="王低保", sequence=141, economic_status="dibao")
    renewing = make_person(areas["baisha_b"], name="陈建国", sequence=143, certificate_valid_until=TODAY + 20 * DAY)
    make_person(areas["hetang_a"], name="李秀英", sequence=145, certificate_valid_until=TODAY + 5 * DAY)
    application = Application.objects.create(
        person=waiting,
        scheme=Scheme.objects.get(code="living"),
        area_code=waiting.area_id,
        applied_on=TODAY - 15 * DAY,
        applicant="self",
        submitted_by=users["officer"],
    )

    page = log_in("officer")
    expect(page).to_have_url(re.compile(r"/work/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("我的待办")
    kinds = page.get_by_role("navigation", name="待办类型")
    expect(kinds.get_by_role("link", name=re.compile("^全部待办 2 项"))).to_be_visible()
    expect(kinds.get_by_role("link", name=re.compile("补贴申请待初审 1 项 其中逾期 1 项"))).to_be_visible()
    expect(kinds.get_by_role("link", name=re.compile("证件到期换证 1 项 无逾期"))).to_be_visible()
    table = page.get_by_role("table", name="我的待办，按到期日排列，逾期的在前")
    rows = table.get_by_role("row")
    expect(rows).to_have_count(3)  # the header and two lines
    expect(rows.nth(1)).to_contain_text("逾期 5 天")
    expect(rows.nth(1)).to_contain_text("王低保")
    expect(rows.nth(2)).to_contain_text("还有 20 天")
    expect(rows.nth(2)).to_contain_text("陈建国")
    expect(page.get_by_text("李秀英")).to_have_count(0)
    assert_accessible(page, "work list")

    kinds.get_by_role("link", name=re.compile("证件到期换证")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我的待办：证件到期换证")
    expect(kinds.get_by_role("link", name=re.compile("证件到期换证"))).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("table").get_by_role("row")).to_have_count(2)
    assert_accessible(page, "work list filtered to one kind")
    page.get_by_role("link", name=re.compile("需办理换证")).click()
    expect(page).to_have_url(re.compile(rf"/persons/{renewing.pk}/#event-form$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("陈建国")

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的待办").click()
    page.get_by_role("link", name=re.compile("困难残疾人生活补贴申请待初审")).click()
    expect(page).to_have_url(re.compile(rf"/benefits/applications/{application.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("困难残疾人生活补贴申请：王低保")
    page.get_by_role("button", name="初审通过").click()
    expect(page.get_by_role("alert")).to_contain_text("初审通过")

    page.get_by_role("link", name="残联服务管理平台").click()
    expect(page).to_have_url(re.compile(r"/work/$"))
    expect(kinds.get_by_role("link", name=re.compile("^全部待办 1 项"))).to_be_visible()
    kinds.get_by_role("link", name=re.compile("补贴申请待初审")).click()
    expect(page.get_by_role("status")).to_have_text("目前没有补贴申请待初审的待办事项。")
    assert_accessible(page, "an empty kind")
