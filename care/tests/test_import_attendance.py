"""The attendance import (公民身份号码, 机构编号, 日期, 出勤 是/否): each row passes the day
page's rules and is written by the same service; a list imported twice adds nothing, a
different mark is a correction with its history, every other row is rejected with its
reason."""

import datetime

import pytest

from canlian.models import AuditEntry
from care.imports import AttendanceImporter
from care.models import Attendance, AttendanceChange
from care.tests.conftest import closed_day, open_day
from registry.imports import ImportRefused
from registry.tests.workbooks import write_workbook


def reasons(result) -> dict[int, list[tuple[str, str]]]:
    """Row -> (column, reason) of each rejected row."""
    return {r.row: [(i.column, i.message) for i in r.reasons] for r in result.rejected}


HEADERS = AttendanceImporter.headers()


@pytest.fixture
def run(tmp_path, users):
    def _run(rows, user="centre", headers=HEADERS):
        path = write_workbook(tmp_path / "考勤.xlsx", rows, headers)
        return AttendanceImporter(user=users[user], source_name="考勤.xlsx").run(path)

    return _run


def row(person, *, code="KY0101", day=None, present="是", reason=""):
    return {
        "公民身份号码": person.id_number,
        "机构编号": code,
        "日期": day or open_day(),
        "出勤": present,
        "缺勤原因": reason,
    }


def test_a_good_file_creates_a_mark_a_row(run, users, member, person, baisha_person, centre, enrol):
    second = enrol(baisha_person("王小明", 401), centre)
    result = run(
        [row(person), row(second.person, present="否", reason="病假"), row(person, day=open_day(2), present="缺勤")]
    )
    assert result.counts() == {"created": 3, "updated": 0, "unchanged": 0, "rejected": 0, "total": 3}
    marks = {(a.person_id, a.day): (a.present, a.absence_reason) for a in Attendance.objects.all()}
    assert marks == {
        (person.pk, open_day()): (True, ""),
        (second.person_id, open_day()): (False, "病假"),
        (person.pk, open_day(2)): (False, ""),
    }
    assert Attendance.objects.filter(recorded_by=users["centre"]).count() == 3
    assert AuditEntry.objects.get(action="care.import").data["created"] == 3


def test_the_same_list_twice_adds_nothing(run, member, person):
    run([row(person)])
    result = run([row(person)])
    assert (result.created, result.unchanged) == (0, 1) and Attendance.objects.count() == 1


def test_a_different_mark_is_a_correction_with_its_history(run, member, person):
    run([row(person)])
    result = run([row(person, present="否", reason="事假")])
    assert result.updated == 1
    change = AttendanceChange.objects.get()
    assert (change.before_label, change.after_label) == ("出勤", "缺勤（事假）")


def test_rows_that_break_a_rule_are_rejected_with_the_reason(
    run, member, person, other_member, other_person, baisha_person
):
    stranger = baisha_person("王小明", 401)
    result = run(
        [
            row(person, day=closed_day()),
            row(stranger),
            row(other_person, code="KY0501"),
            row(person, code="KY9999"),
            row(person, present="也许"),
            row(person, day=open_day(3), present="是", reason="病假"),
        ]
    )
    found = reasons(result)
    assert found[2] == [
        ("日期", f"“白沙紫沙康园中心”每周开放周一至五，{closed_day():%Y-%m-%d}（周六）不开放，不能登记考勤")
    ]
    assert found[3] == [("公民身份号码", f"该人员不是“白沙紫沙康园中心”{open_day():%Y-%m-%d} 的在册会员")]
    assert found[4] == [("机构编号", "该机构不在您的管辖范围内")]
    assert found[5] == [("机构编号", "未知的机构编号“KY9999”")]
    assert found[6] == [("出勤", "出勤应填“是”或“否”，不能是“也许”")]
    assert found[7] == [("缺勤原因", "出勤的行不应填写缺勤原因")]
    assert result.created == 0 and not Attendance.objects.exists()


def test_a_row_repeated_in_the_file_is_rejected_both_times(run, member, person):
    result = run([row(person), row(person, present="否")])
    assert result.rejected_count == 2 and not Attendance.objects.exists()


def test_an_unknown_person_is_named_as_such(run, centre, member, areas):
    from conftest import make_person

    nobody = make_person(areas["baisha_a"], name="未登记", sequence=777)
    id_number = nobody.id_number
    nobody.delete()
    result = run([{**row(member.person), "公民身份号码": id_number}])
    assert reasons(result)[2] == [("公民身份号码", "系统中没有该身份证号的持证人员")]


def test_a_correction_without_its_permission_is_rejected_and_the_rest_written(
    run, users, member, person, baisha_person, centre, enrol
):
    from django.contrib.auth.models import Permission

    run([row(person)])
    users["centre"].groups.first().permissions.remove(Permission.objects.get(codename="change_attendance"))
    users["centre"] = type(users["centre"]).objects.get(pk=users["centre"].pk)
    second = enrol(baisha_person("王小明", 401), centre)
    result = run([row(person, present="否"), row(second.person)])
    assert reasons(result)[2] == [("出勤", f"系统中 {open_day():%Y-%m-%d} 已登记为“出勤”，您没有更正考勤的权限")]
    assert result.created == 1 and not AttendanceChange.objects.exists()


def test_a_file_without_a_required_column_writes_nothing(run, member, person):
    with pytest.raises(ImportRefused, match="缺少必需的列：出勤"):
        run([{"公民身份号码": person.id_number, "机构编号": "KY0101", "日期": open_day()}], headers=HEADERS[:3])
    assert not Attendance.objects.exists()


def test_town_officers_may_not_import_attendance(run, member, person):
    with pytest.raises(ImportRefused, match="您没有导入考勤记录的权限"):
        run([row(person)], user="officer")


def test_the_dates_may_be_written_as_officers_write_them(run, member, person):
    day = open_day()
    result = run([row(person, day=f"{day.year}年{day.month}月{day.day}日")])
    assert result.created == 1 and Attendance.objects.get().day == day
    assert isinstance(day, datetime.date)
