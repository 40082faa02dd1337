"""An officer records a home-service request from the person's page (first refused for a
due day before the request), assigns it, marks it done (first refused for a day in the
future) and records the person's feedback; a counsellor records a session of their case
(first refused for a day before the case was opened), flagged at risk, which puts the case
on their work list, then opens a case for a federation worker (first refused without a
name). axe-core finds no violations on any of those pages."""

import datetime

import pytest
from playwright.sync_api import expect

from outreach.models import HomeServiceRequest, PsychCase, PsychSession
from outreach.psych import case_open
from tests_browser.test_accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def test_officer_records_a_home_service_and_marks_it_done(log_in, users, person):
    page = log_in("officer")
    page.goto(f"/persons/{person.pk}/")
    page.get_by_role("region", name="慰问关爱").get_by_role("link", name="登记上门服务").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"登记上门服务：{person.name}")
    assert_accessible(page, "home-service form")

    page.get_by_label("服务类别").select_option(label="家电维修")
    page.get_by_label("申请日期").fill((TODAY - 2 * DAY).isoformat())
    page.get_by_label("申请人").fill("家属")
    page.get_by_label("服务需求").fill("冰箱不制冷")
    page.get_by_label("应完成日期").fill((TODAY - 3 * DAY).isoformat())
    page.get_by_role("button", name="保存申请").click()
    expect(page.get_by_role("alert")).to_have_text("应完成日期不能早于申请日期")
    assert_accessible(page, "refused home-service request")
    assert not HomeServiceRequest.objects.exists()

    page.get_by_label("应完成日期").fill((TODAY + 3 * DAY).isoformat())
    page.get_by_role("button", name="保存申请").click()
    expect(page.get_by_role("alert")).to_have_text(f"已登记 {TODAY - 2 * DAY:%Y-%m-%d} 的上门服务（家电维修）")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"上门服务：{person.name}（家电维修）")
    assert_accessible(page, "home-service page")

    page.get_by_label("服务机构或人员").fill("江门市家电维修服务部")
    page.get_by_role("button", name="确认派单").click()
    expect(page.get_by_role("alert")).to_have_text("已派单")

    page.get_by_label("完成日期").fill((TODAY + DAY).isoformat())
    page.get_by_label("服务情况").fill("更换温控器，已恢复制冷")
    page.get_by_role("button", name="登记完成").click()
    expect(page.get_by_role("alert")).to_have_text("未能保存：完成日期不能晚于今天")
    assert HomeServiceRequest.objects.get().done_on is None

    page.get_by_label("完成日期").fill(TODAY.isoformat())
    page.get_by_label("服务情况").fill("更换温控器，已恢复制冷")
    page.get_by_role("button", name="登记完成").click()
    expect(page.get_by_role("alert")).to_have_text("已登记服务完成")
    assert_accessible(page, "done home service with the feedback form")

    page.get_by_label("服务对象是否满意").select_option(label="满意")
    page.get_by_role("button", name="登记反馈").click()
    expect(page.get_by_role("alert")).to_have_text("已登记服务对象的反馈")
    item = HomeServiceRequest.objects.get()
    assert (item.done_on, item.done_what, item.satisfied) == (TODAY, "更换温控器，已恢复制冷", True)

    page.get_by_role("link", name="上门服务", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("上门服务")
    expect(page.get_by_role("cell", name="满意", exact=True)).to_be_visible()
    assert_accessible(page, "home-service list")


def test_counsellor_records_a_session_of_their_case(log_in, users, person):
    opened = TODAY - 5 * DAY
    case_open(
        user=users["officer"], person=person, client_kind="person", opened_on=opened, counsellor=users["counsellor"]
    )

    page = log_in("counsellor")
    expect(page.get_by_role("heading", level=1)).to_have_text("我的待办")
    page.get_by_role("link", name="心理服务", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("心理服务个案")
    assert_accessible(page, "counsellor's case list")
    page.get_by_role("link", name=f"{opened:%Y-%m-%d}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"心理服务个案：{person.name}")
    assert_accessible(page, "case page")

    page.get_by_label("会谈日期").fill((opened - DAY).isoformat())
    page.get_by_label("服务方式").select_option(label="热线")
    page.get_by_label("咨询记录").fill("来电诉失眠，情绪低落")
    page.get_by_role("button", name="保存会谈记录").click()
    expect(page.get_by_role("alert")).to_have_text(f"未能保存：会谈日期不能早于建档日期（{opened:%Y-%m-%d}）")
    assert not PsychSession.objects.exists()
    assert_accessible(page, "refused session")

    page.get_by_label("会谈日期").fill(TODAY.isoformat())
    page.get_by_label("服务方式").select_option(label="热线")
    page.get_by_label("咨询记录").fill("来电诉失眠，情绪低落")
    page.get_by_label("有风险").check()
    page.get_by_label("转介").fill("江门市第三人民医院")
    page.get_by_role("button", name="保存会谈记录").click()
    expect(page.get_by_role("alert")).to_have_text("已登记心理咨询记录")
    expect(page.get_by_role("cell", name="来电诉失眠，情绪低落")).to_be_visible()
    assert_accessible(page, "case page with a session")
    session = PsychSession.objects.get()
    assert (session.counsellor, session.kind, session.at_risk) == (users["counsellor"], "hotline", True)

    page.get_by_role("link", name="我的待办").first.click()
    expect(page.get_by_text("心理服务风险待跟进").first).to_be_visible()
    assert_accessible(page, "counsellor's work list")

    # A federation worker, not in the registry: a name is needed, and the town.
    page.get_by_role("link", name="心理服务", exact=True).first.click()
    page.get_by_role("link", name="为家属或工作人员建档").click()
    assert_accessible(page, "case form for a named other")
    page.locator("#id_client_kind").select_option(label="残联工作人员")
    page.get_by_label("服务对象所在镇(街)").select_option(label="白沙街道")
    page.get_by_role("button", name="建立个案").click()
    expect(page.get_by_role("alert")).to_have_text("请选择登记在册的残疾人，或填写服务对象姓名")
    assert PsychCase.objects.count() == 1
    page.get_by_label("服务对象姓名").fill("何社工")
    page.get_by_role("button", name="建立个案").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("心理服务个案：何社工（残联工作人员）")
    assert PsychCase.objects.get(client_name="何社工").area_code == "440703002000"
