"""The main flows by keyboard alone (WCAG 2.1.1, 2.4.1, 2.4.3): Tab, Shift+Tab, Enter,
Space and typing, never a click: an officer logs in, skips to the content, finds a person
and records a home visit; the district reviewer approves an application and then a payroll
batch. (Taking a centre's attendance by keyboard alone is test_care_attendance.py.) Each
control is reached in the page's order, and the focused one is always visibly marked."""

import datetime

import pytest
from playwright.sync_api import expect

from benefits.models import Application, PayrollBatch, Scheme
from benefits.months import month_start
from benefits.payroll import payroll_generate
from conftest import PASSWORD
from outreach.models import HomeVisit
from tests_browser.test_accessibility_benefits import LIVING, applications  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The focused element's names: its aria-label, its label's text (without the * of a
# required field), its own text, its id; and whether its focus is visibly drawn.
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return {names: [], outlined: false};
  const label = e.labels && e.labels.length ? e.labels[0].innerText.replace('*', '').trim() : '';
  const style = getComputedStyle(e);
  const outlined = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
  const names = [e.getAttribute('aria-label') || '', label, (e.innerText || '').trim(), e.id];
  return {names: names.filter(Boolean), outlined};
}"""


def tab_to(page, name: str, *, limit: int = 120, back: bool = False) -> None:
    """Press Tab (Shift+Tab with `back`) until the control named `name` has the focus,
    and check that the focus is drawn."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        focused = page.evaluate(FOCUSED)
        if name in focused["names"]:
            assert focused["outlined"], f"{name} has the focus but it is not visible"
            return
    raise AssertionError(f"Tab never reached {name!r}")


def log_in_by_keyboard(page, username: str) -> None:
    page.goto("/login/")
    tab_to(page, "用户名")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="退出")).to_be_visible()


def test_an_officer_finds_a_person_and_records_a_visit_by_keyboard(page, users, person, other_person):
    log_in_by_keyboard(page, "officer")
    # The first Tab of a page reaches the skip link, which moves past the navigation.
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["names"][0] == "跳到正文"
    expect(page.get_by_role("link", name="跳到正文")).to_be_visible()  # shown once focused
    tab_to(page, "持证残疾人")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("持证残疾人")

    tab_to(page, "id_q")
    page.keyboard.type(person.name)
    page.keyboard.press("Enter")
    expect(page.locator("#person-table").get_by_role("link", name=person.name)).to_be_visible()
    expect(page.locator("#person-table")).not_to_contain_text(other_person.name)
    tab_to(page, person.name)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(person.name)

    tab_to(page, "登记走访慰问")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"登记走访慰问：{person.name}")
    tab_to(page, "走访情况")
    page.keyboard.type("老人身体尚可，轮椅需要维修")
    # Back up to the field before (Shift+Tab) and on again: the order runs both ways.
    tab_to(page, "保存走访")
    tab_to(page, "走访情况", back=True)
    tab_to(page, "保存走访")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("已登记")
    visit = HomeVisit.objects.get()
    assert (visit.person_id, visit.findings) == (person.pk, "老人身体尚可，轮椅需要维修")


@pytest.fixture
def draft_batch(applications, users):  # noqa: F811 (the imported fixture)
    """This month's draft of 困难残疾人生活补贴, prepared by the district administrator."""
    scheme = Scheme.objects.get(code="living")
    return payroll_generate(scheme=scheme, month=month_start(datetime.date.today()), user=users["admin"])


def test_the_reviewer_approves_an_application_and_a_batch_by_keyboard(page, applications, draft_batch):  # noqa: F811
    waiting = applications["district_review"]
    log_in_by_keyboard(page, "reviewer")
    tab_to(page, "补贴申请")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("补贴申请")
    tab_to(page, waiting.person.name)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{LIVING}申请：{waiting.person.name}")
    tab_to(page, "意见（不予批准时必填）")
    page.keyboard.type("符合条件，同意")
    tab_to(page, "批准")
    page.keyboard.press("Space")  # a button takes Space as well as Enter
    expect(page.get_by_role("heading", level=1)).to_contain_text("已批准")
    assert Application.objects.get(pk=waiting.pk).state == "approved"

    tab_to(page, "补贴发放", back=True)  # the navigation is before the content
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("补贴发放")
    tab_to(page, LIVING)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("草稿")
    tab_to(page, "审核通过")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("已审核")
    assert PayrollBatch.objects.get(pk=draft_batch.pk).state == "approved"
