"""Courses, enrolments, attendance and completion: the rules that refuse bad input with a
Chinese reason and write nothing (a full course, a second enrolment, a completion before
the course started), and who may do what."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from canlian.models import AuditEntry
from conftest import make_person
from employment import services
from employment.models import Course, CourseEnrolment

from .conftest import days_ago


def test_a_course_is_numbered_in_its_year(make_course):
    first, second = make_course(), make_course(name="中式面点制作")
    assert (first.code, second.code) == (f"PX{first.starts_on.year}001", f"PX{first.starts_on.year}002")


def test_a_town_officer_cannot_register_a_course(users, point):
    with pytest.raises(PermissionDenied):
        services.course_create(
            user=users["officer"], name="课程", provider="机构", point=point,
            starts_on=days_ago(5), ends_on=days_ago(1), capacity=5,
        )  # fmt: skip
    assert not Course.objects.exists()


def test_a_course_ending_before_it_starts_is_refused(make_course):
    with pytest.raises(ValidationError, match="结课日期不能早于开课日期"):
        make_course(starts_on=days_ago(1), ends_on=days_ago(5))
    with pytest.raises(ValidationError, match="收费培训请填写收费金额"):
        make_course(free=False)


def test_enrol_then_complete_with_a_certificate(course, person, users):
    enrolment = services.enrol(user=users["officer"], course=course, person=person, enrolled_on=days_ago(35))
    assert enrolment.area_code == person.area_id
    services.attendance_record(user=users["officer"], enrolment=enrolment, attended_days=18)
    done = services.enrolment_complete(
        user=users["officer"], enrolment=enrolment, completed_on=days_ago(10), certificate_number="ZS-001"
    )
    assert (done.completed_on, done.certificate_number, done.attended_days) == (days_ago(10), "ZS-001", 18)
    assert AuditEntry.objects.filter(action="employment.courseenrolment.completed").count() == 1


def test_a_second_enrolment_in_the_same_course_is_refused(course, person, users):
    services.enrol(user=users["officer"], course=course, person=person, enrolled_on=days_ago(35))
    with pytest.raises(ValidationError, match="陈建国已报名课程“电子商务运营实务”，请勿重复报名"):
        services.enrol(user=users["officer"], course=course, person=person, enrolled_on=days_ago(34))
    assert CourseEnrolment.objects.count() == 1


def test_a_full_course_takes_no_more(make_course, person, neighbour, areas, users):
    course = make_course(capacity=2)
    third = make_person(areas["baisha_a"], name="赵三", sequence=126)
    for p in (person, neighbour):
        services.enrol(user=users["officer"], course=course, person=p, enrolled_on=days_ago(35))
    with pytest.raises(ValidationError, match="名额已满（2 人）"):
        services.enrol(user=users["officer"], course=course, person=third, enrolled_on=days_ago(35))
    assert CourseEnrolment.objects.count() == 2


def test_a_voided_enrolment_frees_its_place(make_course, person, neighbour, users):
    course = make_course(capacity=1)
    first = services.enrol(user=users["officer"], course=course, person=person, enrolled_on=days_ago(35))
    services.record_discard(user=users["officer"], record=first, reason="报错课程")
    assert services.enrol(user=users["officer"], course=course, person=neighbour, enrolled_on=days_ago(35))


def test_a_completion_before_the_course_started_is_refused(course, person, users):
    enrolment = services.enrol(user=users["officer"], course=course, person=person, enrolled_on=days_ago(35))
    with pytest.raises(ValidationError, match=f"结业日期不能早于课程开课日期（{course.starts_on:%Y-%m-%d}）"):
        services.enrolment_complete(user=users["officer"], enrolment=enrolment, completed_on=days_ago(31))
    with pytest.raises(ValidationError, match="结业日期不能晚于今天"):
        services.enrolment_complete(user=users["officer"], enrolment=enrolment, completed_on=days_ago(-1))
    enrolment.refresh_from_db()
    assert enrolment.completed_on is None
    assert not AuditEntry.objects.filter(action="employment.courseenrolment.completed").exists()


def test_a_completion_is_recorded_once(course, person, users):
    enrolment = services.enrol(user=users["officer"], course=course, person=person, enrolled_on=days_ago(35))
    services.enrolment_complete(user=users["officer"], enrolment=enrolment, completed_on=days_ago(10))
    with pytest.raises(ValidationError, match="已于"):
        services.enrolment_complete(user=users["officer"], enrolment=enrolment, completed_on=days_ago(9))


def test_attendance_beyond_the_course_days_is_refused(course, person, users):
    enrolment = services.enrol(user=users["officer"], course=course, person=person, enrolled_on=days_ago(35))
    with pytest.raises(ValidationError, match="出勤天数不能超过课程天数（21 天）"):
        services.attendance_record(user=users["officer"], enrolment=enrolment, attended_days=22)


def test_an_enrolment_after_the_course_ended_is_refused(course, person, users):
    with pytest.raises(ValidationError, match="报名日期不能晚于课程结课日期"):
        services.enrol(user=users["officer"], course=course, person=person, enrolled_on=days_ago(2))


def test_an_officer_enrols_only_their_towns_persons(course, other_person, users):
    with pytest.raises(Http404):
        services.enrol(user=users["officer"], course=course, person=other_person, enrolled_on=days_ago(35))
    with pytest.raises(Http404):
        enrolment = services.enrol(
            user=users["other_officer"], course=course, person=other_person, enrolled_on=days_ago(35)
        )
        services.enrolment_complete(user=users["officer"], enrolment=enrolment, completed_on=days_ago(10))
    assert CourseEnrolment.objects.filter(completed_on__isnull=False).count() == 0


def test_the_course_page_names_the_towns_own_and_counts_the_others(client, course, person, other_person, users):
    services.enrol(user=users["officer"], course=course, person=person, enrolled_on=days_ago(35))
    services.enrol(user=users["other_officer"], course=course, person=other_person, enrolled_on=days_ago(35))
    client.force_login(users["officer"])
    page = client.get(f"/employment/courses/{course.pk}/").content.decode()
    assert "陈建国" in page and "李秀英" not in page
    assert "另有荷塘镇 1 人，不在您的管辖范围内，不显示姓名" in page
    client.force_login(users["leader"])
    page = client.get(f"/employment/courses/{course.pk}/").content.decode()
    assert "陈建国" not in page and "已报名 2 人" in page


def test_the_enrol_form_refuses_a_full_course_and_writes_nothing(client, make_course, person, neighbour, users):
    course = make_course(capacity=1)
    services.enrol(user=users["officer"], course=course, person=neighbour, enrolled_on=days_ago(35))
    client.force_login(users["officer"])
    response = client.post(
        f"/employment/courses/{course.pk}/enrol/", {"query": person.id_number, "enrolled_on": days_ago(35).isoformat()}
    )
    assert response.status_code == 400
    assert "名额已满（1 人），不能再报名" in response.content.decode()
    assert CourseEnrolment.objects.count() == 1
