"""A care institution's page (targets:centre): its members at each month's end, attendance
days and rate, and the participants of the activities it organised, computed live for that
institution only (another centre of the same town does not count), beside its town's and
the district's stored figure and target where the user's scope holds them; centre staff
open their own centre only, an officer their town's, a leader any, with no name on the
page."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from care.services.attendance import Mark, attendance_save
from care.services.membership import enrolment_end
from care.tests.conftest import make_centre, open_day
from targets.centre import centre_figures
from targets.models import Target
from targets.services import indicators_refresh

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
SINCE = TODAY - datetime.timedelta(days=20)
YEAR = open_day(1).year


def weekdays_in_year(since: datetime.date) -> int:
    """The open days (Monday–Friday) from `since` to yesterday that fall in YEAR."""
    day, count = since, 0
    while day < TODAY:
        count += day.year == YEAR and day.weekday() < 5
        day += datetime.timedelta(days=1)
    return count


def by_key(figures):
    return {f.indicator.key: f for f in figures}


def test_the_centres_attendance_is_its_own_and_not_its_towns_other_centre(
    users,
    areas,
    person,
    baisha_person,
    centre,
    enrol,
):
    neighbour = make_centre(areas["baisha"], code="KY0102", name="白沙丰乐康园中心")
    member = enrol(person, centre, started_on=SINCE)
    elsewhere = enrol(baisha_person("黄小明", 301), neighbour, started_on=SINCE)
    attendance_save(user=users["admin"], institution=centre, day=open_day(1), marks={member.person_id: Mark(True)})
    attendance_save(user=users["admin"], institution=centre, day=open_day(2), marks={member.person_id: Mark(False)})
    attendance_save(
        user=users["admin"], institution=neighbour, day=open_day(1), marks={elsewhere.person_id: Mark(True)}
    )
    figures = by_key(centre_figures(users["centre"], centre, YEAR))
    assert set(figures) == {
        "care_members",
        "care_attendance_days",
        "care_attendance_rate",
        "care_boarding_placed",
        "activity_person_times",
        "activity_persons",
        "activities_reaching",
    }
    assert figures["care_attendance_days"].value == 1
    assert figures["care_attendance_days"].months[open_day(1).month - 1] == 1
    member_days = weekdays_in_year(SINCE)
    assert figures["care_attendance_rate"].value == (Decimal(100) / member_days).quantize(Decimal("0.1"))
    assert figures["care_boarding_placed"].value == 0
    members = by_key(centre_figures(users["centre"], centre, TODAY.year))["care_members"]
    assert members.value == members.months[TODAY.month - 1] == 1
    assert all(v is None for v in members.months[TODAY.month :])  # months to come: no figure yet


def test_a_past_years_members_are_each_months_end_and_leavers_leave(users, person, baisha_person, centre, enrol):
    year = TODAY.year - 1
    first = enrol(person, centre, started_on=datetime.date(year, 3, 15))
    enrol(baisha_person("黄小明", 301), centre, started_on=datetime.date(year, 6, 1))
    enrolment_end(user=users["admin"], enrolment=first, ended_on=datetime.date(year, 10, 31), reason="family")
    members = by_key(centre_figures(users["admin"], centre, year))["care_members"]
    # Enrolled on 1 June: not a member at the end of May; left on 31 October: gone by the
    # month's end (the district's month-end reading, `measure_on`, of the next day's start).
    assert members.months == [0, 0, 1, 1, 1, 2, 2, 2, 2, 1, 1, 1]
    assert members.value == 1  # the year's end
    attendance = by_key(centre_figures(users["admin"], centre, year))["care_attendance_rate"]
    # No member-day before March (no share of nothing); then open days never taken: 0 %.
    assert attendance.months[:2] == [None, None]
    assert attendance.months[2:] == [Decimal(0)] * 10


def test_the_town_and_district_context_follows_the_users_scope(users, areas, person, centre, enrol):
    enrol(person, centre, started_on=SINCE)
    indicators_refresh(year=TODAY.year, keys=["care_members"])
    Target.objects.create(year=TODAY.year, indicator="care_members", area=areas["district"], value=Decimal(50))
    Target.objects.create(year=TODAY.year, indicator="care_members", area=areas["baisha"], value=Decimal(20))

    def context(user):
        members = by_key(centre_figures(users[user], centre, TODAY.year))["care_members"]
        return [(c.area.code, c.value, c.target) for c in members.context]

    assert context("admin") == [("440703002000", 1, 20), ("440703000000", 1, 50)]
    assert context("leader") == context("admin")
    assert context("officer") == [("440703002000", 1, 20)]
    assert context("centre") == []  # no area of their own: the centre's figures only


def test_centre_staff_open_their_centre_and_not_another(users, login, person, centre, other_centre, enrol):
    enrol(person, centre, started_on=SINCE)
    client = login(users["centre"])
    page = client.get(reverse("targets:centre", args=[centre.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "白沙紫沙康园中心" in html and "康园中心等日间照料机构在册会员" in html
    assert person.name not in html
    # Each indicator's months for the chart, the same numbers as the months' table (the
    # current month, of the app's day: today's members).
    from django.utils.timezone import localdate

    charts = {c["id"]: c for c in page.context["charts"]}
    members = charts["chart-care_members"]
    shown = {f.indicator.key: f.months for f in page.context["figures"]}
    assert members["values"] == [None if v is None else float(v) for v in shown["care_members"]]
    assert members["target"] is None and members["stock"] and members["values"][localdate().month - 1] == 1
    assert client.get(reverse("targets:centre", args=[other_centre.pk])).status_code == 404
    home = client.get(reverse("centre_home")).content.decode()
    assert reverse("targets:centre", args=[centre.pk]) in home


def test_an_officer_opens_their_towns_centres_and_a_leader_reads_figures_only(
    users,
    login,
    person,
    centre,
    other_centre,
    enrol,
):
    enrol(person, centre, started_on=SINCE)
    officer = login(users["officer"])
    assert officer.get(reverse("targets:centre", args=[centre.pk])).status_code == 200
    assert officer.get(reverse("targets:centre", args=[other_centre.pk])).status_code == 404
    listing = officer.get(reverse("care:institution_list")).content.decode()
    assert reverse("targets:centre", args=[centre.pk]) in listing
    leader = login(users["leader"])
    for pk in (centre.pk, other_centre.pk):
        page = leader.get(reverse("targets:centre", args=[pk]))
        assert page.status_code == 200
        assert person.name not in page.content.decode()
    assert login(users["counsellor"]).get(reverse("targets:centre", args=[centre.pk])).status_code == 403


def test_the_centres_activities_count_their_participants_once_a_person_of_the_year(
    users, areas, person, baisha_person, centre, enrol
):
    """Two activities of the centre: the open day with 陈建国 and 黄小明, a handicraft day
    with 陈建国 again; the neighbour centre's and the town's own activity do not count."""
    from activities.services import activity_create, participation_add

    neighbour = make_centre(areas["baisha"], code="KY0102", name="白沙丰乐康园中心")
    other = baisha_person("黄小明", 301)
    day = max(TODAY - datetime.timedelta(days=3), datetime.date(TODAY.year, 1, 1))

    def activity(name, at=None):
        centre_of = {"organiser": "centre", "kind": "open_day", "centre": at, "area": None}
        town_of = {"organiser": "town", "kind": "other", "area": areas["baisha"]}
        fields = centre_of if at else town_of
        return activity_create(user=users["admin"], name=name, starts_on=day, place="中心", **fields)

    open_day_, handicraft = activity("开放日", at=centre), activity("手工日", at=centre)
    elsewhere, town = activity("丰乐开放日", at=neighbour), activity("镇街活动")
    for made, who in ((open_day_, person), (open_day_, other), (handicraft, person), (elsewhere, other), (town, other)):
        participation_add(user=users["admin"], activity=made, person=who)
    figures = by_key(centre_figures(users["centre"], centre, TODAY.year))
    assert figures["activity_person_times"].value == 3
    assert figures["activity_persons"].value == 2
    assert figures["activities_reaching"].value == 2
    assert figures["activity_person_times"].months[day.month - 1] == 3
    assert by_key(centre_figures(users["admin"], neighbour, TODAY.year))["activity_persons"].value == 1
    last_year = by_key(centre_figures(users["centre"], centre, TODAY.year - 1))
    assert last_year["activity_person_times"].value == 0

    page = _page(users, centre)
    assert "持证残疾人参加活动人次" in page and "有持证残疾人参加的活动" in page
    assert person.name not in page and other.name not in page


def _page(users, centre) -> str:
    from django.test import Client

    client = Client()
    client.force_login(users["centre"])
    response = client.get(reverse("targets:centre", args=[centre.pk]))
    assert response.status_code == 200
    return response.content.decode()
