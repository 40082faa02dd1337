"""The person page's care block and the timeline's care entries: the memberships with their
leaving, the waiting list and a line per month of attendance, read in a fixed number of
queries however long the history; centre staff see what their institution holds."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from care.models import Attendance
from care.panels import timeline
from care.services.membership import enrolment_end
from care.tests.conftest import make_centre

TODAY = datetime.date.today()


def _attendance(enrolment, days: int, user):
    """`days` weekdays of attendance back from yesterday, every fifth absent."""
    marks, day = [], TODAY - datetime.timedelta(days=1)
    while len(marks) < days:
        if day.weekday() < 5 and day >= enrolment.started_on:
            marks.append(
                Attendance(
                    institution=enrolment.institution, day=day, person_id=enrolment.person_id,
                    area_code=enrolment.area_code, present=len(marks) % 5 != 0, recorded_by=user,
                )
            )  # fmt: skip
        day -= datetime.timedelta(days=1)
    Attendance.objects.bulk_create(marks)


def test_the_timeline_shows_joining_leaving_and_the_months(users, areas, person, enrol):
    first = make_centre(areas["baisha"], code="KY0101", name="白沙紫沙康园中心")
    second = make_centre(areas["baisha"], code="KY0102", name="白沙丰乐康园中心")
    old = enrol(person, first, started_on=TODAY - datetime.timedelta(days=400))
    old, _offered = enrolment_end(
        user=users["admin"], enrolment=old, ended_on=TODAY - datetime.timedelta(days=200), reason="moved", note="搬家"
    )
    new = enrol(person, second, started_on=TODAY - datetime.timedelta(days=100))
    _attendance(new, 10, users["admin"])
    entries = list(timeline(person, users["officer"]))
    titles = [(e.date, e.kind, e.title, e.detail) for e in entries]
    assert (old.started_on, "care_enrolment", "入托：白沙紫沙康园中心", "") in titles
    assert (old.ended_on, "care_enrolment", "离开：白沙紫沙康园中心", "迁居，搬家") in titles
    assert (new.started_on, "care_enrolment", "入托：白沙丰乐康园中心", "") in titles
    months = [e for e in entries if e.kind == "care_attendance"]
    assert sum(int(e.detail.split("出勤 ")[1].split(" 天")[0]) for e in months) == 8
    assert all(e.title.endswith("考勤：白沙丰乐康园中心") for e in months)


def test_the_timeline_reads_a_long_history_in_the_same_queries(users, areas, person, enrol):
    centre = make_centre(areas["baisha"], code="KY0101", name="白沙紫沙康园中心")
    enrolment = enrol(person, centre, started_on=TODAY - datetime.timedelta(days=30))
    _attendance(enrolment, 5, users["admin"])
    list(timeline(person, users["officer"]))  # the user's permissions, read once
    with CaptureQueriesContext(connection) as short:
        list(timeline(person, users["officer"]))
    enrolment.started_on = TODAY - datetime.timedelta(days=1000)
    enrolment.save()
    Attendance.objects.all().delete()
    _attendance(enrolment, 120 * 5, users["admin"])
    with CaptureQueriesContext(connection) as long:
        entries = list(timeline(person, users["officer"]))
    assert len([e for e in entries if e.kind == "care_attendance"]) > 24
    assert len(long.captured_queries) == len(short.captured_queries)


def test_centre_staff_see_their_institutions_part_of_a_members_history(users, areas, person, centre, enrol):
    earlier = make_centre(areas["baisha"], code="KY0102", name="白沙丰乐康园中心")
    old = enrol(person, earlier, started_on=TODAY - datetime.timedelta(days=400))
    enrolment_end(user=users["admin"], enrolment=old, ended_on=TODAY - datetime.timedelta(days=200), reason="family")
    enrol(person, centre, started_on=TODAY - datetime.timedelta(days=100))
    seen = {e.title for e in timeline(person, users["centre"])}
    assert seen == {"入托：白沙紫沙康园中心"}
    assert {"入托：白沙丰乐康园中心", "入托：白沙紫沙康园中心"} <= {e.title for e in timeline(person, users["officer"])}


def test_the_person_page_shows_the_block_and_the_timeline_filter(login, users, person, centre, enrol):
    enrol(person, centre)
    client = login(users["centre"])
    html = client.get(f"/persons/{person.pk}/").content.decode()
    assert 'id="h-care"' in html and "白沙紫沙康园中心" in html and "在册" in html
    assert "办理入托" not in html  # centre staff do not enrol
    filtered = client.get(f"/persons/{person.pk}/", {"kind": "care_enrolment"}).content.decode()
    assert "入托：白沙紫沙康园中心" in filtered
