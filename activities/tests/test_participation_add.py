"""Adding a participant: the person's scope and life (record_create's checks), the
activity's dates and scope, one participation a person and activity, and the five-one a
文化进家园 activity gives. Every refusal writes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activities.models import FiveOneRecord, Participation
from canlian.scoping import OutOfScope
from registry.models import EventKind
from registry.services import person_event_record

from .conftest import TODAY, days_ago


def test_the_towns_officer_adds_a_person_of_their_town(activity, person, join, users):
    participation = join(activity, person, note="由家属陪同")
    assert (participation.activity, participation.person, participation.attended_on) == (
        activity,
        person,
        activity.starts_on,
    )
    assert (participation.area_code, participation.recorded_by, participation.note) == (
        person.area_id,
        users["officer"],
        "由家属陪同",
    )


def test_a_person_added_twice_is_refused_and_the_first_stays(activity, person, join):
    join(activity, person)
    with pytest.raises(ValidationError, match="陈建国已在本活动的参加人员中，请勿重复添加"):
        join(activity, person)
    assert Participation.objects.count() == 1


def test_a_person_dead_before_the_activity_is_refused(activity, person, join, users):
    person_event_record(
        user=users["officer"], person=person, kind=EventKind.DEATH, date=activity.starts_on - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError, match="死亡，参加日期不能晚于此日期"):
        join(activity, person)
    assert not Participation.objects.exists()


def test_a_person_who_moved_out_before_the_activity_is_refused(activity, person, join, users):
    person_event_record(
        user=users["officer"],
        person=person,
        kind=EventKind.MOVED_OUT,
        date=activity.starts_on - datetime.timedelta(days=2),
    )
    with pytest.raises(ValidationError, match="迁出"):
        join(activity, person)


def test_a_participation_dated_in_the_future_is_refused(make_activity, person, join):
    planned = make_activity(starts_on=TODAY + datetime.timedelta(days=3))
    with pytest.raises(ValidationError, match="参加日期不能晚于今天"):
        join(planned, person)
    assert not Participation.objects.exists()


def test_a_day_outside_the_activitys_dates_is_refused(make_activity, person, join):
    two_days = make_activity(starts_on=days_ago(10), ends_on=days_ago(10) + datetime.timedelta(days=1))
    join(two_days, person, attended_on=two_days.ends_on)
    with pytest.raises(ValidationError, match="参加日期应在活动日期（.* 至 .*）之内"):
        join(two_days, person, attended_on=two_days.ends_on + datetime.timedelta(days=1))


def test_another_towns_officer_sees_neither_the_activity_nor_the_person(activity, district_activity, person, join):
    with pytest.raises(OutOfScope):
        join(activity, person, by="other_officer")
    # The district's activity is theirs too, but the person is not.
    with pytest.raises(OutOfScope):
        join(district_activity, person, by="other_officer")
    assert not Participation.objects.exists()


def test_every_town_brings_its_own_persons_to_the_districts_activity(district_activity, person, other_person, join):
    join(district_activity, person)
    join(district_activity, other_person, by="other_officer")
    assert set(district_activity.participations.values_list("area_code", flat=True)) == {
        person.area_id,
        other_person.area_id,
    }


def test_a_leader_may_not_add(district_activity, person, join):
    with pytest.raises(PermissionDenied):
        join(district_activity, person, by="leader")


def test_a_five_ones_activity_gives_its_five_one_once_a_year(five_ones_activity, make_activity, person, join):
    join(five_ones_activity, person)
    record = FiveOneRecord.objects.get()
    assert (record.person, record.item, record.year, record.done_on, record.activity) == (
        person,
        "film",
        five_ones_activity.starts_on.year,
        five_ones_activity.starts_on,
        five_ones_activity,
    )
    second_film = make_activity(
        by="admin", kind="five_ones", five_one="film", organiser="district", starts_on=days_ago(2), place="影院"
    )
    join(second_film, person)
    assert FiveOneRecord.objects.count() == 1 and Participation.objects.count() == 2


def test_other_kinds_give_no_five_one(activity, person, join):
    join(activity, person)
    assert not FiveOneRecord.objects.exists()
