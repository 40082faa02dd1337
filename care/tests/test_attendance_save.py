"""A day's attendance is saved as a whole in one transaction; saved again it is a
correction, with its history (who changed what, when); a closed day, a future day or a
mark for someone who is not a member that day refuses the whole day and writes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from canlian.models import AuditEntry
from care.models import Attendance, AttendanceChange
from care.services.attendance import Mark, attendance_save
from care.services.membership import enrolment_end
from care.tests.conftest import closed_day, open_day
from registry.models import Status

TODAY = datetime.date.today()


@pytest.fixture
def members(member, baisha_person, centre, enrol):
    """Three members of the centre: the home person and two more."""
    return [member, enrol(baisha_person("王小明", 401), centre), enrol(baisha_person("赵丽", 402), centre)]


def _save(users, centre, day, marks, by="centre"):
    return attendance_save(user=users[by], institution=centre, day=day, marks=marks)


def test_the_whole_day_is_saved_at_once(users, centre, members):
    day = open_day()
    a, b, c = (m.person_id for m in members)
    saved = _save(users, centre, day, {a: Mark(True), b: Mark(False, " 病假 "), c: Mark(True, "忽略")})
    assert (saved.created, saved.changed, saved.unchanged) == (3, 0, 0)
    marks = {m.person_id: (m.present, m.absence_reason, m.area_code) for m in Attendance.objects.filter(day=day)}
    assert marks == {
        a: (True, "", members[0].area_code),
        b: (False, "病假", members[1].area_code),
        c: (True, "", members[2].area_code),
    }
    assert not AuditEntry.objects.filter(action="care.attendance.corrected").exists()


def test_a_corrected_day_keeps_who_changed_what_and_when(users, centre, members):
    day = open_day()
    a, b, c = (m.person_id for m in members)
    _save(users, centre, day, {a: Mark(True), b: Mark(False, "病假"), c: Mark(True)})
    saved = _save(users, centre, day, {a: Mark(True), b: Mark(True), c: Mark(False, "复诊")}, by="admin")
    assert (saved.created, saved.changed, saved.unchanged) == (0, 2, 1)
    changes = {ch.attendance.person_id: ch for ch in AttendanceChange.objects.select_related("attendance")}
    assert set(changes) == {b, c}
    assert (changes[b].before_label, changes[b].after_label, changes[b].changed_by) == (
        "缺勤（病假）",
        "出勤",
        users["admin"],
    )
    assert (changes[c].before_label, changes[c].after_label) == ("出勤", "缺勤（复诊）")
    held = Attendance.objects.get(person_id=b, day=day)
    assert held.present and held.changed_by == users["admin"] and held.recorded_by == users["centre"]
    entry = AuditEntry.objects.get(action="care.attendance.corrected")
    assert entry.data == {"day": f"{day:%Y-%m-%d}", "changed": 2, "persons": sorted([b, c])}


def test_a_mark_for_someone_who_is_not_a_member_refuses_the_day(users, centre, members, other_member):
    day = open_day()
    marks = {members[0].person_id: Mark(True), other_member.person_id: Mark(True)}
    with pytest.raises(ValidationError, match="有 1 人不是“白沙紫沙康园中心”") as refused:
        _save(users, centre, day, marks, by="admin")
    assert "未保存" in refused.value.messages[0]
    assert not Attendance.objects.exists()


def test_a_day_before_the_enrolment_refuses_the_member(users, centre, member):
    day = member.started_on - datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="不是.*在册会员"):
        _save(users, centre, day, {member.person_id: Mark(True)})
    assert not Attendance.objects.exists()


def test_a_day_after_the_member_left_refuses_them(users, centre, member):
    enrolment_end(user=users["admin"], enrolment=member, ended_on=open_day(3), reason="family")
    with pytest.raises(ValidationError, match="在册会员"):
        _save(users, centre, open_day(1), {member.person_id: Mark(True)})


def test_a_closed_day_is_refused_with_the_open_days(users, centre, member):
    day = closed_day()
    with pytest.raises(ValidationError) as refused:
        _save(users, centre, day, {member.person_id: Mark(True)})
    assert refused.value.messages == [f"“白沙紫沙康园中心”每周开放周一至五，{day:%Y-%m-%d}（周六）不开放，不能登记考勤"]
    assert not Attendance.objects.exists()


def test_a_future_day_is_refused(users, centre, member):
    with pytest.raises(ValidationError, match="不能登记今天以后的考勤"):
        _save(users, centre, TODAY + datetime.timedelta(days=7), {member.person_id: Mark(True)})


def test_a_member_who_died_has_no_attendance_after(users, centre, member, person):
    person.status, person.status_date = Status.DECEASED, open_day(3)
    person.save()
    with pytest.raises(ValidationError, match="死亡，不能登记此后的考勤"):
        _save(users, centre, open_day(1), {member.person_id: Mark(True)})


def test_a_too_long_reason_refuses_the_day(users, centre, members):
    marks = {members[0].person_id: Mark(True), members[1].person_id: Mark(False, "病" * 101)}
    with pytest.raises(ValidationError, match="不能超过 100 字"):
        _save(users, centre, open_day(), marks)
    assert not Attendance.objects.exists()


def test_another_centres_staff_cannot_save_the_day(users, areas, centre, member, other_centre):
    from django.http import Http404

    with pytest.raises(Http404):
        attendance_save(user=users["centre"], institution=other_centre, day=open_day(), marks={})


def test_a_correction_needs_its_permission(users, centre, member):
    from django.contrib.auth.models import Permission

    day = open_day()
    _save(users, centre, day, {member.person_id: Mark(True)})
    users["centre"].groups.first().permissions.remove(Permission.objects.get(codename="change_attendance"))
    users["centre"] = type(users["centre"]).objects.get(pk=users["centre"].pk)  # no cached permissions
    with pytest.raises(PermissionDenied, match="没有更正考勤的权限"):
        _save(users, centre, day, {member.person_id: Mark(False)})
    assert Attendance.objects.get().present and not AttendanceChange.objects.exists()


def test_town_officers_read_the_day_and_do_not_save_it(login, users, centre, member):
    client = login(users["officer"])
    url = reverse("care:attendance_day", args=[centre.pk])
    page = client.get(url, {"day": f"{open_day():%Y-%m-%d}"}).content.decode()
    assert "未登记" in page and "保存本日考勤" not in page
    response = client.post(
        url, {"day": f"{open_day():%Y-%m-%d}", "person": member.person_id, f"mark-{member.person_id}": "1"}
    )
    assert response.status_code == 403 and not Attendance.objects.exists()


# The page --------------------------------------------------------------------------------


def _post(client, centre, day, marks: dict[int, tuple[str, str]]):
    data = {"day": f"{day:%Y-%m-%d}", "person": list(marks)}
    for pk, (value, reason) in marks.items():
        data[f"mark-{pk}"], data[f"reason-{pk}"] = value, reason
    return client.post(reverse("care:attendance_day", args=[centre.pk]), data)


def test_the_page_lists_todays_members_all_present_by_default(login, users, centre, members):
    # Open every day, so that today (the page's day, in China's time) is an open day whatever
    # the weekday the suite runs on.
    centre.open_days = 0b1111111
    centre.save(update_fields=["open_days"])
    page = login(users["centre"]).get(reverse("care:attendance_day", args=[centre.pk])).content.decode()
    for m in members:
        assert f'name="mark-{m.person_id}" id="mark-{m.person_id}-1" value="1" checked' in page
        assert f'<label class="visually-hidden" for="reason-{m.person_id}">{m.person.name}的缺勤原因</label>' in page
    assert "本日尚未登记" in page and "保存本日考勤" in page


def test_the_page_saves_the_day_and_shows_it_saved(login, users, centre, members):
    client = login(users["centre"])
    day = open_day()
    a, b, c = (m.person_id for m in members)
    response = _post(client, centre, day, {a: ("1", ""), b: ("0", "病假"), c: ("1", "")})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert f"已保存 {day:%Y-%m-%d} 的考勤：新登记 3 人" in page and "本日已登记" in page
    assert f'name="mark-{b}" id="mark-{b}-0" value="0" checked' in page and 'value="病假"' in page


def test_the_page_shows_a_refusal_and_keeps_what_was_marked(login, users, centre, members, other_member):
    client = login(users["centre"])
    a = members[0].person_id
    response = _post(client, centre, open_day(), {a: ("0", "事假"), other_member.person_id: ("1", "")})
    page = response.content.decode()
    assert response.status_code == 400 and "未保存：有 1 人不是" in page and 'value="事假"' in page
    assert not Attendance.objects.exists()


def test_the_page_refuses_a_member_left_unmarked(login, users, centre, members):
    a, b, _c = (m.person_id for m in members)
    response = _post(login(users["centre"]), centre, open_day(), {a: ("1", ""), b: ("", "")})
    assert response.status_code == 400 and "请为每位会员选择" in response.content.decode()
    assert not Attendance.objects.exists()


def test_the_page_of_a_closed_day_offers_no_form(login, users, centre, member):
    page = login(users["centre"]).get(
        reverse("care:attendance_day", args=[centre.pk]), {"day": f"{closed_day():%Y-%m-%d}"}
    )
    html = page.content.decode()
    assert "不开放，不能登记考勤" in html and "保存本日考勤" not in html


def test_the_page_shows_the_days_corrections(login, users, centre, member):
    day = open_day()
    _save(users, centre, day, {member.person_id: Mark(True)})
    _save(users, centre, day, {member.person_id: Mark(False, "病假")}, by="admin")
    page = login(users["centre"]).get(reverse("care:attendance_day", args=[centre.pk]), {"day": f"{day:%Y-%m-%d}"})
    html = page.content.decode()
    assert "更正记录" in html and "缺勤（病假）" in html and users["admin"].display_name in html


def test_a_day_that_is_not_a_date_is_not_found(login, users, centre):
    assert (
        login(users["centre"]).get(reverse("care:attendance_day", args=[centre.pk]), {"day": "昨天"}).status_code == 404
    )
