"""A workshop's staff enter last month by keyboard alone: from the navigation to the
workshop's month, through each member's work days and income (Tab, typing), to the single
save for the whole month with Enter; a bad cell refuses the month with the reason and
writes nothing; a correction is saved the same way. axe-core finds no violations on the
start page, the month before and after, nor on the monthly totals."""

import pytest
from playwright.sync_api import expect

from benefits.months import add_months
from conftest import make_person
from tests_browser.test_accessibility import assert_accessible
from tests_browser.test_care_attendance import _focused, tab_to
from workshops.models import ProjectKind, WorkMonth, Workshop
from workshops.services import membership_start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def workshop(areas, users):
    import datetime

    today = datetime.date.today()
    made = Workshop.objects.create(code="CJ0101", name="杜阮镇辅助性就业车间", area=areas["baisha"])
    cafe = made.projects.create(name="公益咖啡馆“益杯咖啡”", kind=ProjectKind.CAFE)
    made.staff.add(users["centre"])
    for name, sequence in (("陈建国", 701), ("李伟", 703), ("黄丽", 702)):
        person = make_person(areas["baisha_a"], name=name, sequence=sequence)
        membership_start(
            user=users["admin"], workshop=made, person=person, started_on=add_months(today.replace(day=1), -3),
            project=cafe,
        )  # fmt: skip
    return made


def test_staff_enter_the_month_by_keyboard_alone(log_in, workshop):
    import datetime

    month = add_months(datetime.date.today().replace(day=1), -1)
    page = log_in("centre")
    tab_to(page, "车间月报")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("车间月报")
    assert_accessible(page, "the month start page")
    tab_to(page, "杜阮镇辅助性就业车间")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("车间月报：杜阮镇辅助性就业车间")
    expect(page.get_by_text("本月尚未登记")).to_be_visible()
    assert_accessible(page, "the month's page, not yet entered")

    order = [int(v) for v in page.locator("input[name=person]").evaluate_all("els => els.map(e => e.value)")]
    assert len(order) == 3
    tab_to(page, f"days-{order[0]}")
    values = [("21", "840"), ("-3", "600"), ("19", "760.50")]
    for pk, (days, income) in zip(order, values, strict=True):
        assert _focused(page) == f"days-{pk}"
        page.keyboard.type(days)
        page.keyboard.press("Tab")
        assert _focused(page) == f"income-{pk}"
        page.keyboard.type(income)
        page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # Enter in a text box submits the whole month

    expect(page.get_by_role("alert")).to_contain_text("未保存：")
    expect(page.get_by_role("alert")).to_contain_text("的工作天数不能为负数")
    assert not WorkMonth.objects.exists()
    # What was typed is kept; the bad cell is fixed by keyboard.
    expect(page.locator(f"#income-{order[2]}")).to_have_value("760.50")
    assert_accessible(page, "the month's page with its refusal")
    page.locator(f"#days-{order[1]}").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("15")
    page.keyboard.press("Enter")

    expect(page.get_by_role("alert")).to_have_text(f"已保存 {month:%Y-%m} 的月报：新登记 3 人")
    rows = {w.person_id: (w.work_days, w.income_fen) for w in WorkMonth.objects.filter(month=month)}
    assert rows == {order[0]: (21, 84000), order[1]: (15, 60000), order[2]: (19, 76050)}
    expect(page.get_by_text("本月已登记")).to_be_visible()
    expect(page.get_by_text("合计工作 55 天，发放收入 2,200.50 元")).to_be_visible()
    assert_accessible(page, "the month's page, entered")

    # A correction by keyboard: the first member's income.
    page.locator(f"#income-{order[0]}").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("880")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_have_text(f"已保存 {month:%Y-%m} 的月报：新登记 0 人，更正 1 人，未变 2 人")
    assert WorkMonth.objects.get(person_id=order[0]).income_fen == 88000

    page.goto(f"/workshops/{workshop.pk}/totals/")
    expect(page.get_by_role("heading", level=1)).to_have_text("月度汇总：杜阮镇辅助性就业车间")
    assert_accessible(page, "the monthly totals")
