"""Centre staff open their centre's figures from their start page: the year's table and the
months' table (members at each month's end, attendance), no member's name, no axe-core
violation; a leader reads the same page of another town's centre with its town's and the
district's figures beside it."""

import datetime

import pytest
from playwright.sync_api import expect

from care.models import Institution, InstitutionKind
from care.services.attendance import Mark, attendance_save
from care.services.membership import enrolment_apply
from conftest import make_person
from tests_browser.test_accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
TODAY = datetime.date.today()


def test_centre_staff_read_their_centres_figures(log_in, areas, users):
    centre = Institution.objects.create(
        code="KY0101", name="白沙紫沙康园中心", kind=InstitutionKind.CENTRE, area=areas["baisha"], capacity=10,
        open_days=0b1111111,
    )  # fmt: skip
    centre.staff.add(users["centre"])
    members = []
    for name, sequence in (("陈建国", 501), ("李伟", 503)):
        person = make_person(areas["baisha_a"], name=name, sequence=sequence, category=5, grade=3)
        members.append(
            enrolment_apply(user=users["admin"], institution=centre, person=person, started_on=TODAY.replace(day=1))
        )
    marks = {m.person_id: Mark(True) for m in members}
    attendance_save(user=users["centre"], institution=centre, day=TODAY, marks=marks)

    page = log_in("centre")
    page.goto("/centre/")
    page.get_by_role("link", name="本中心指标").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"白沙紫沙康园中心 {TODAY.year} 年度指标")
    year = page.locator("#centre-year-table")
    expect(year.get_by_role("row", name="康园中心等日间照料机构在册会员 人 2")).to_be_visible()
    expect(year.get_by_role("row", name="日间照料出勤人天 人天 2")).to_be_visible()
    expect(page.locator("#centre-month-table")).to_contain_text("日间照料出勤率（%）")
    # ECharts drew each month's chart (an SVG) inside its named image, the table its alternative.
    chart = page.get_by_role("img", name="日间照料出勤人天各月数值图，数值见下方“各月数值”表")
    expect(chart.locator("svg")).to_have_count(1)
    assert "陈建国" not in page.content() and "李伟" not in page.content()
    assert_accessible(page, "a centre's figures for its staff")

    page.context.clear_cookies()
    page = log_in("leader")
    page.goto(f"/targets/centres/{centre.pk}/")
    expect(page.locator("#centre-year-table thead")).to_contain_text("白沙街道数值")
    expect(page.locator("#centre-year-table thead")).to_contain_text("蓬江区目标")
    assert_accessible(page, "a centre's figures for a leader")
