"""axe-core finds no violations on the benefits pages: applications in every state, the
person's benefits block, the eligibility lists, the payroll batches and their generation."""

import datetime

import pytest
from playwright.sync_api import expect

from benefits import services
from benefits.models import Award, Scheme
from benefits.months import add_months, month_start
from benefits.tasks import run_payroll_generate
from canlian.models import Job
from conftest import make_person
from tests_browser.test_accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LIVING = "困难残疾人生活补贴"


@pytest.fixture
def applications(users, areas):
    """One application of 白沙 in each state (the approved one with its award), and the
    award of a person who no longer qualifies (不应享而享)."""
    officer, reviewer = users["officer"], users["reviewer"]
    living = Scheme.objects.get(code="living")
    today = datetime.date.today()
    applied_on = add_months(month_start(today), -1)
    long_ago = today - datetime.timedelta(days=30)
    made = {}
    for sequence, (key, name) in enumerate(
        [
            ("submitted", "吴受理"),
            ("notice", "郑公示"),
            ("notice_over", "王期满"),
            ("district_review", "冯待审"),
            ("approved", "周批准"),
            ("returned", "陈退回"),
            ("rejected", "褚不批"),
        ],
        start=141,
    ):
        person = make_person(areas["baisha_a"], name=name, sequence=sequence, economic_status="dibao")
        application = services.application_submit(
            user=officer, person=person, scheme=living, applied_on=applied_on, applicant="self", note="窗口受理"
        )
        if key == "returned":
            services.application_town_review(user=officer, application=application, approve=False, reason="缺户口簿")
        elif key != "submitted":
            notice_day = today if key == "notice" else long_ago
            services.application_town_review(user=officer, application=application, approve=True, today=notice_day)
            if key in ("district_review", "approved", "rejected"):
                services.application_end_notice(user=officer, application=application)
            if key == "approved":
                services.application_decide(user=reviewer, application=application, approve=True, reason="同意")
            elif key == "rejected":
                services.application_decide(user=reviewer, application=application, approve=False, reason="收入超标")
        made[key] = application
    no_longer = make_person(areas["baisha_b"], name="卫无低保", sequence=151)
    Award.objects.create(
        person=no_longer,
        scheme=living,
        area_code=no_longer.area_id,
        start_month=add_months(month_start(today), -3),
        source=Award.Source.IMPORT,
    )
    return made


def switch_user(page, log_in, username):
    page.context.clear_cookies()  # logged out, from any page (the printable summary has no navigation)
    return log_in(username)


def open_application(page, application):
    page.goto(f"/benefits/applications/{application.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(application.person.name)


def test_application_pages(log_in, users, applications):
    page = log_in("officer")
    page.goto("/benefits/applications/")
    expect(page.get_by_role("heading", level=1)).to_have_text("补贴申请")
    assert_accessible(page, "application list")

    person = applications["returned"].person
    page.goto(f"/benefits/applications/new/?person={person.pk}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"受理补贴申请：{person.name}")
    assert_accessible(page, "new application form")
    page.get_by_label("申请日期").fill("")
    page.get_by_role("button", name="受理").click()
    expect(page.get_by_role("alert")).to_contain_text("请更正下面标红的内容后再提交。")
    assert_accessible(page, "new application form with errors")

    for state in ("submitted", "notice", "notice_over", "approved", "returned", "rejected"):
        open_application(page, applications[state])
        assert_accessible(page, f"application detail ({state}) for the town officer")

    # A refused action shows its reason on the page.
    open_application(page, applications["submitted"])
    page.get_by_role("button", name="退回").click()
    expect(page.get_by_role("alert")).to_contain_text("退回申请须填写原因")
    assert_accessible(page, "application detail with a refused action")

    switch_user(page, log_in, "reviewer")
    open_application(page, applications["district_review"])
    expect(page.get_by_role("button", name="批准", exact=True)).to_be_visible()
    assert_accessible(page, "application detail (district_review) for the reviewer")


def test_payroll_and_eligibility_pages(log_in, users, applications, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    today = datetime.date.today()
    page = log_in("admin")
    page.goto("/benefits/payroll/")
    expect(page.get_by_role("heading", level=1)).to_have_text("补贴发放")
    page.get_by_label("发放月份").fill(f"{add_months(month_start(today), 1):%Y-%m}")
    page.get_by_role("button", name="生成草稿").click()
    expect(page.get_by_text("不能编制未来月份")).to_be_visible()
    assert_accessible(page, "payroll batch list with an error")

    page.get_by_label("补贴项目").select_option(label=LIVING)
    page.get_by_label("发放月份").fill(f"{today:%Y-%m}")
    page.get_by_role("button", name="生成草稿").click()
    expect(page.get_by_role("progressbar", name="生成进度")).to_be_visible()
    # Queued, nothing counted yet: an indeterminate bar, with no value for assistive technology.
    assert page.get_by_role("progressbar", name="生成进度").get_attribute("aria-valuenow") is None
    assert_accessible(page, "payroll run, queued")
    run_payroll_generate.call(Job.objects.get().pk)
    expect(page.get_by_role("heading", name="生成完成")).to_be_visible()
    assert_accessible(page, "payroll run, done")

    page.get_by_role("link", name="查看草稿批次").click()
    expect(page.locator("#to-stop")).to_contain_text("卫无低保")
    assert_accessible(page, "batch detail, draft, for its preparer")
    page.goto("/benefits/payroll/")
    expect(page.get_by_role("link", name=LIVING, exact=True)).to_be_visible()
    assert_accessible(page, "payroll batch list with a batch and a run")

    switch_user(page, log_in, "reviewer")
    page.goto("/benefits/payroll/")
    page.get_by_role("link", name=LIVING, exact=True).click()
    page.get_by_role("button", name="审核通过").click()
    expect(page.get_by_role("alert")).to_contain_text("已审核")
    assert_accessible(page, "batch detail, approved")
    page.get_by_role("link", name="打印汇总表").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("发放汇总表")
    assert_accessible(page, "printable batch summary")

    # The person's benefits block: the award (with its end form open), the application, the paid months.
    page.go_back()
    page.locator("#lines").get_by_role("link", name="周批准").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("周批准")
    block = page.get_by_role("region", name="补贴")  # not the timeline, which lists the month too
    expect(block.get_by_role("row", name=f"{LIVING} {today:%Y-%m}")).to_be_visible()
    page.get_by_text("终止", exact=True).click()
    expect(page.get_by_label("最后发放月份")).to_be_visible()
    assert_accessible(page, "person detail with the benefits block and paid months")

    page.goto("/benefits/payroll/eligibility/")
    expect(page.get_by_role("heading", level=1)).to_have_text("资格比对")
    for tab in ("符合条件", "应享未享", "不应享而享"):
        page.get_by_role("link", name=tab, exact=True).click()
        expect(page.get_by_role("link", name=tab, exact=True)).to_have_attribute("aria-current", "page")
        assert_accessible(page, f"eligibility list {tab}")
    # A month input cannot hold a wrong month: send one in the address.
    page.goto("/benefits/payroll/eligibility/?scheme=living&month=2021-13&list=wrong")
    expect(page.get_by_text("已按本月显示")).to_be_visible()
    assert_accessible(page, "eligibility list with a wrong month")

    switch_user(page, log_in, "leader")
    page.goto("/benefits/payroll/")
    page.get_by_role("link", name=LIVING, exact=True).click()
    expect(page.locator("#town-totals")).to_be_visible()
    assert_accessible(page, "batch detail for a leader (totals only)")
