"""Centre staff take today's attendance by keyboard alone: from the navigation to the day's
page, through each member's radio group (arrow keys) and absence reason (typing), to the
single save for the whole day; then correct a mark the same way and see its history.
axe-core finds no violations on the day's page, before and after, nor on the month's."""

import datetime

import pytest
from playwright.sync_api import expect

from care.models import Attendance, AttendanceChange, Institution, InstitutionKind
from care.services.membership import enrolment_apply
from conftest import make_person
from tests_browser.test_accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
TODAY = datetime.date.today()


@pytest.fixture
def centre(areas, users):
    """A centre open every day (so today can be taken whatever the weekday), the suite's
    centre staff user its staff, three members."""
    made = Institution.objects.create(
        code="KY0101", name="白沙紫沙康园中心", kind=InstitutionKind.CENTRE, area=areas["baisha"], capacity=10,
        open_days=0b1111111,
    )  # fmt: skip
    made.staff.add(users["centre"])
    for name, sequence in (("陈建国", 501), ("李伟", 503), ("黄丽", 502)):
        person = make_person(areas["baisha_a"], name=name, sequence=sequence, category=5, grade=3)
        enrolment_apply(
            user=users["admin"], institution=made, person=person, started_on=TODAY - datetime.timedelta(days=30)
        )
    return made


def _focused(page) -> str:
    return page.evaluate(
        "document.activeElement ? document.activeElement.id || document.activeElement.textContent : ''"
    )


def tab_to(page, target: str, limit: int = 60) -> None:
    """Press Tab until the element whose id (or text) is `target` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if _focused(page) == target:
            return
    raise AssertionError(f"Tab never reached {target}")


def test_centre_staff_take_the_day_by_keyboard_alone(log_in, centre):
    members = {e.person.name: e.person_id for e in centre.enrolments.select_related("person")}
    chen, li, huang = members["陈建国"], members["李伟"], members["黄丽"]
    page = log_in("centre")
    tab_to(page, "每日考勤")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("每日考勤")
    assert_accessible(page, "attendance start page")
    tab_to(page, "白沙紫沙康园中心")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("每日考勤：白沙紫沙康园中心")
    expect(page.get_by_text("本日尚未登记")).to_be_visible()
    assert_accessible(page, "the day's page, not yet taken")

    # Every member starts present; the members are listed by name.
    order = [int(v) for v in page.locator("input[name=person]").evaluate_all("els => els.map(e => e.value)")]
    assert set(order) == {chen, li, huang}
    first = order[0]
    tab_to(page, f"mark-{first}-1")
    page.keyboard.press("ArrowRight")  # 缺勤
    page.keyboard.press("Tab")
    assert _focused(page) == f"reason-{first}"
    page.keyboard.type("病假")
    page.keyboard.press("Tab")  # the next member's group: its checked radio
    assert _focused(page) == f"mark-{order[1]}-1"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert _focused(page) == f"mark-{order[2]}-1"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")  # changed their mind: present
    tab_to(page, "保存本日考勤")
    page.keyboard.press("Enter")

    expect(page.get_by_role("alert")).to_have_text(f"已保存 {TODAY:%Y-%m-%d} 的考勤：新登记 3 人")
    marks = {a.person_id: (a.present, a.absence_reason) for a in Attendance.objects.filter(day=TODAY)}
    assert marks == {first: (False, "病假"), order[1]: (True, ""), order[2]: (True, "")}
    expect(page.get_by_text("本日已登记")).to_be_visible()
    expect(page.locator(f"#mark-{first}-0")).to_be_checked()
    assert_accessible(page, "the day's page, taken")

    # A correction, by keyboard too: the second member was absent after all.
    tab_to(page, f"mark-{order[1]}-1")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Tab")
    page.keyboard.type("复诊")
    page.keyboard.press("Enter")  # Enter in a text box submits the form
    expect(page.get_by_role("alert")).to_have_text(f"已保存 {TODAY:%Y-%m-%d} 的考勤：新登记 0 人，更正 1 人，未变 2 人")
    history = page.get_by_role("region", name="更正记录")
    expect(history.get_by_role("cell", name="缺勤（复诊）")).to_be_visible()
    change = AttendanceChange.objects.get()
    assert (change.attendance.person_id, change.was_present, change.present) == (order[1], True, False)
    assert_accessible(page, "the day's page with its corrections")

    page.get_by_role("link", name="本月考勤表").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("考勤表")
    assert_accessible(page, "the month's sheet")
