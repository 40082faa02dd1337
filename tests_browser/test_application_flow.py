"""An application for 困难残疾人生活补贴 from the town window to its first payment: the town
officer takes it and reviews it, the district reviewer approves it, the district admin
generates the payroll draft and the reviewer approves the batch; the person's page then
shows the months paid."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from benefits.models import Application, PayrollBatch, Rate, Scheme
from benefits.months import add_months, month_range, month_start
from conftest import make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LIVING = "困难残疾人生活补贴"


@pytest.fixture
def immediate_tasks(settings):
    """The payroll generation runs inside the request that queues it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def application_day(today: datetime.date) -> datetime.date:
    """The 15th of an earlier month of this year, or of last month in January and February."""
    first = month_start(today)
    months_back = 2 if today.month > 2 else 1
    return add_months(first, -months_back).replace(day=15)


def rate_fen(scheme: Scheme, month: datetime.date) -> int:
    return Rate.objects.filter(scheme=scheme, variant="", valid_from__lte=month).latest("valid_from").amount_fen


def yuan(fen: int) -> str:
    return f"{fen // 100:,}.{fen % 100:02d}"


def log_out(page):
    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(re.compile(r"/login/"))


def test_an_application_from_the_town_window_to_its_first_payment(log_in, users, areas, immediate_tasks):
    person = make_person(areas["baisha_a"], name="王低保", sequence=131, economic_status="dibao")
    living = Scheme.objects.get(code="living")
    today = datetime.date.today()
    applied_on = application_day(today)
    months = month_range(month_start(applied_on), month_start(today))
    expected_fen = sum(rate_fen(living, month) for month in months)
    covered = f"{months[0]:%Y-%m}～{months[-1]:%Y-%m}"

    # The town officer takes the application at the window.
    page = log_in("officer")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="持证残疾人").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("持证残疾人")
    page.locator("#person-table").get_by_role("link", name="王低保").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("王低保")
    page.get_by_role("link", name="申请补贴").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("受理补贴申请：王低保")
    page.get_by_label("补贴项目").select_option(label=LIVING)
    page.get_by_label("申请日期").fill(applied_on.isoformat())
    page.get_by_label("申请方式").select_option(label="本人")
    page.get_by_role("button", name="受理").click()
    expect(page.get_by_role("alert")).to_have_text(f"已受理{LIVING}申请，待镇街初审")
    expect(page.get_by_role("heading", level=1)).to_contain_text("已受理，待镇街初审")
    application = Application.objects.get(person=person)
    assert application.applied_on == applied_on

    page.get_by_label("意见（退回时必填）").fill("材料齐全")
    page.get_by_role("button", name="初审通过，开始公示").click()
    expect(page.get_by_role("alert")).to_have_text("初审通过，已开始公示")
    expect(page.get_by_role("heading", level=1)).to_contain_text("公示中")
    expect(page.get_by_role("button", name="结束公示（无异议），报区残联")).to_have_count(0)

    # The notice lasts days, and the page checks it against the real date: move the
    # notice period into the past directly in the database, as if it had run its course.
    Application.objects.filter(pk=application.pk).update(
        notice_from=today - datetime.timedelta(days=8), notice_until=today - datetime.timedelta(days=1)
    )
    page.reload()
    page.get_by_role("button", name="结束公示（无异议），报区残联").click()
    expect(page.get_by_role("alert")).to_have_text("公示期满无异议，已报区残联审核")
    expect(page.get_by_role("heading", level=1)).to_contain_text("待区残联审核")
    expect(page.get_by_text("您受理或初审了这份申请")).to_have_count(0)  # the officer cannot decide at all
    log_out(page)

    # The district reviewer finds it in the list and approves it.
    log_in("reviewer")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="补贴申请").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("补贴申请")
    page.get_by_role("link", name="王低保").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{LIVING}申请：王低保")
    page.get_by_label("意见（不予批准时必填）").fill("符合低保家庭条件，同意")
    page.get_by_role("button", name="批准", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text(f"已批准，自 {months[0]:%Y-%m} 起发放")
    expect(page.get_by_role("heading", level=1)).to_contain_text("已批准")
    expect(page.get_by_text(f"自 {months[0]:%Y-%m} 起，在享")).to_be_visible()
    log_out(page)

    # The district admin generates this month's draft, and follows the run to the batch.
    log_in("admin")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="补贴发放").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("补贴发放")
    page.get_by_label("补贴项目").select_option(label=LIVING)
    expect(page.get_by_label("发放月份")).to_have_value(f"{today:%Y-%m}")
    page.get_by_role("button", name="生成草稿").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"生成发放草稿：{LIVING} {today:%Y-%m}")
    expect(page.get_by_role("heading", name="生成完成")).to_be_visible()
    expect(page.locator("#run-message")).to_have_text(f"1 人，{len(months)} 人月，合计 {yuan(expected_fen)} 元")
    page.get_by_role("link", name="查看草稿批次").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{LIVING} {today:%Y-%m}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("草稿")
    line = page.locator("#lines tbody tr")
    expect(line).to_have_count(1)
    expect(line.locator("td")).to_have_text(
        [
            areas["baisha"].name,
            "王低保",
            re.compile(r"^\d{6}\*{8}\d{3}[\dX]$"),
            covered,
            str(len(months)),
            yuan(expected_fen),
        ]
    )
    expect(page.locator("#total-persons")).to_have_text("1")
    expect(page.locator("#total-months")).to_have_text(str(len(months)))
    expect(page.locator("#total-amount")).to_have_text(yuan(expected_fen))
    expect(page.get_by_role("button", name="审核通过")).to_have_count(0)  # a preparer does not approve
    log_out(page)

    # The reviewer approves the batch.
    log_in("reviewer")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="补贴发放").click()
    page.get_by_role("link", name=LIVING).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("草稿")
    page.get_by_role("button", name="审核通过").click()
    expect(page.get_by_role("alert")).to_have_text(f"已审核 {LIVING} {today:%Y-%m}：1 人，合计 {yuan(expected_fen)} 元")
    expect(page.get_by_role("heading", level=1)).to_contain_text("已审核")
    batch = PayrollBatch.objects.get()
    assert (batch.state, batch.total_fen, batch.approved_by) == ("approved", expected_fen, users["reviewer"])

    # The person's page shows the months paid, newest first.
    page.locator("#lines").get_by_role("link", name="王低保").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("王低保")
    paid = page.locator("table", has=page.locator("caption", has_text="最近发放")).locator("tbody tr")
    expect(paid).to_have_count(1)
    paid_months = "、".join(f"{month:%Y-%m}（{yuan(rate_fen(living, month))}）" for month in reversed(months))
    expect(paid.locator("td")).to_have_text([LIVING, paid_months, str(len(months))])
    # At 200 % zoom the months paid wrap inside their cell: no sideways scrolling.
    page.set_viewport_size({"width": 683, "height": 450})
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
