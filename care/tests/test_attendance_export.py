"""The monthly attendance sheet: one row per member of the month, one column per day (√
present, 缺 absent, 休 closed, — not a member, blank not taken), the month's totals; a
masked ID number; the export is logged."""

import calendar
import datetime
import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from canlian.models import AuditEntry
from care.services.attendance import Mark, attendance_save
from registry.identifiers import mask_id

# Two months back: a whole month in the past.
_LAST_MONTH = (datetime.date.today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
MONTH = (_LAST_MONTH - datetime.timedelta(days=1)).replace(day=1)
LAST = MONTH.replace(day=calendar.monthrange(MONTH.year, MONTH.month)[1])


def first(weekday: int) -> datetime.date:
    day = MONTH
    while day.weekday() != weekday:
        day += datetime.timedelta(days=1)
    return day


MONDAY, TUESDAY, SATURDAY = first(0), first(1), first(5)
WEEKDAYS = sum(1 for d in range(1, LAST.day + 1) if MONTH.replace(day=d).weekday() < 5)


def _rows(response) -> list[list]:
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    return book.get_sheet_by_name("考勤表").to_python()


@pytest.fixture
def month_members(users, person, baisha_person, centre, other_person, other_centre, enrol):
    """The home person a member all month (present on its first Monday, absent on its
    first Tuesday), another from the 15th, and the other centre's member."""
    home = enrol(person, centre, started_on=MONTH)
    later = enrol(baisha_person("王小明", 401), centre, started_on=MONTH.replace(day=15))
    enrol(other_person, other_centre, started_on=MONTH)
    attendance_save(user=users["centre"], institution=centre, day=MONDAY, marks={home.person_id: Mark(True)})
    attendance_save(user=users["centre"], institution=centre, day=TUESDAY, marks={home.person_id: Mark(False, "病假")})
    return home, later


def _sheet(login, users, centre):
    url = reverse("care:attendance_export", args=[centre.pk])
    header, *body = _rows(login(users["centre"]).get(url, {"month": f"{MONTH:%Y-%m}"}))
    return header, [dict(zip(header, row, strict=True)) for row in body]


def test_the_sheet_has_a_column_a_day_and_the_marks(login, users, centre, month_members, person):
    header, rows = _sheet(login, users, centre)
    assert header[:3] == ["姓名", "公民身份号码", "入托日期"]
    assert header[3:-4] == [f"{d}日" for d in range(1, LAST.day + 1)]
    assert header[-4:] == ["出勤天数", "缺勤天数", "应出勤天数", "出勤率"]
    assert sorted(r["姓名"] for r in rows) == sorted([person.name, "王小明"])  # not the other centre's member
    home = next(r for r in rows if r["姓名"] == person.name)
    assert home["公民身份号码"] == mask_id(person.id_number)
    assert (home[f"{MONDAY.day}日"], home[f"{TUESDAY.day}日"], home[f"{SATURDAY.day}日"]) == ("√", "缺", "休")
    wednesday = TUESDAY + datetime.timedelta(days=1)
    assert home[f"{wednesday.day}日"] == ""  # open, not taken
    assert (home["出勤天数"], home["缺勤天数"], home["应出勤天数"]) == (1, 1, WEEKDAYS)
    assert home["出勤率"] == f"{100 / WEEKDAYS:.1f}%"


def test_days_before_a_member_joined_are_marked_not_a_member(login, users, centre, month_members):
    _header, rows = _sheet(login, users, centre)
    later = next(r for r in rows if r["姓名"] == "王小明")
    assert later["1日"] == "—" and later["14日"] == "—" and later["15日"] in ("", "休")
    assert later["出勤天数"] == 0


def test_the_export_is_logged(login, users, centre, month_members):
    _sheet(login, users, centre)
    entry = AuditEntry.objects.get(action="care.export")
    assert entry.user == users["centre"] and entry.data["institution"] == "KY0101"
    assert entry.data["month"] == f"{MONTH:%Y-%m}" and entry.data["rows"] == 2


def test_the_month_page_shows_the_grid(login, users, centre, month_members, person):
    url = reverse("care:attendance_month", args=[centre.pk])
    html = login(users["centre"]).get(url, {"month": f"{MONTH:%Y-%m}"}).content.decode()
    later_weekdays = sum(1 for d in range(15, LAST.day + 1) if MONTH.replace(day=d).weekday() < 5)
    assert person.name in html and "√" in html
    assert f"本月出勤 1 人天，应出勤 {WEEKDAYS + later_weekdays} 人天" in html


def test_a_month_that_is_not_one_is_not_found(login, users, centre):
    url = reverse("care:attendance_month", args=[centre.pk])
    assert login(users["centre"]).get(url, {"month": "上个月"}).status_code == 404
