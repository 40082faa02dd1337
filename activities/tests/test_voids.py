"""Voiding a mistaken participation or five-one: it stops counting, keeps who voided it and
why, takes the five-one it gave with it (another participation of the same five-one then
gives it), and a five-one that came from an activity is voided only with its participation."""

import pytest
from django.core.exceptions import ValidationError

from activities.models import FiveOneRecord, Participation
from activities.services import five_one_record, five_one_void, participation_void
from canlian.models import AuditEntry
from canlian.scoping import OutOfScope

from .conftest import days_ago


def test_a_voided_participation_counts_nowhere_and_the_person_can_be_added_again(activity, person, join, users):
    record = join(activity, person)
    participation_void(user=users["officer"], record=record, reason="录错活动")
    record.refresh_from_db()
    assert (record.voided_by, record.void_reason) == (users["officer"], "录错活动")
    assert not Participation.objects.standing().exists()
    assert AuditEntry.objects.get(action="activities.participation.voided").person_id == person.pk
    join(activity, person)
    assert Participation.objects.standing().count() == 1


def test_a_void_needs_a_reason(activity, person, join, users):
    record = join(activity, person)
    with pytest.raises(ValidationError, match="请填写作废原因"):
        participation_void(user=users["officer"], record=record, reason=" ")


def test_the_person_s_town_decides_even_in_the_districts_activity(district_activity, person, join, users):
    record = join(district_activity, person)
    with pytest.raises(OutOfScope):
        participation_void(user=users["other_officer"], record=record, reason="不是本镇人员")
    assert Participation.objects.standing().count() == 1


def test_voiding_the_participation_takes_its_five_one(five_ones_activity, person, join, users):
    record = join(five_ones_activity, person)
    participation_void(user=users["officer"], record=record, reason="未到场")
    derived = FiveOneRecord.objects.get()
    assert derived.voided_at is not None and derived.void_reason == "随活动参加记录作废：未到场"
    assert not FiveOneRecord.objects.standing().exists()


def test_another_activity_of_the_same_five_one_then_gives_it(five_ones_activity, make_activity, person, join, users):
    first = join(five_ones_activity, person)
    second_film = make_activity(
        by="admin", kind="five_ones", five_one="film", organiser="district", starts_on=days_ago(1), place="影院"
    )
    join(second_film, person)
    participation_void(user=users["officer"], record=first, reason="未到场")
    standing = FiveOneRecord.objects.standing().get()
    assert (standing.activity, standing.done_on) == (second_film, second_film.starts_on)


def test_a_five_one_from_an_activity_is_voided_with_its_participation(five_ones_activity, person, join, users):
    join(five_ones_activity, person)
    with pytest.raises(ValidationError, match="来自活动“无障碍电影专场”，请作废此人在该活动中的参加记录"):
        five_one_void(user=users["officer"], record=FiveOneRecord.objects.get(), reason="录错")
    assert FiveOneRecord.objects.standing().count() == 1


def test_voiding_a_direct_five_one_lets_a_participation_give_it(five_ones_activity, person, join, users):
    direct = five_one_record(user=users["officer"], person=person, item="film", done_on=days_ago(30))
    join(five_ones_activity, person)
    assert FiveOneRecord.objects.standing().get() == direct
    five_one_void(user=users["officer"], record=direct, reason="其实是参加的活动")
    assert FiveOneRecord.objects.standing().get().activity == five_ones_activity
