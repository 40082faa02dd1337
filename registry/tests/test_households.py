"""Households (户): registering one, its members and family members, its economic status
followed by every disabled member as a dated event, and the refusals that write nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from conftest import make_person
from registry.household_selectors import household_list, is_multi_disabled
from registry.households import (
    family_member_add,
    household_create,
    household_economic_status_set,
    person_household_leave,
    person_household_set,
)
from registry.models import EconomicStatus, EventKind, FamilyMember, Household, HouseholdLog, PersonEvent, Status
from registry.testing import make_id_number

D = datetime.date


@pytest.fixture
def household(users, areas):
    return household_create(user=users["officer"], number="0020010001", area=areas["baisha_a"], address="白沙大道1号")


@pytest.fixture
def pair(users, household, person, areas):
    """The household with two disabled persons: 一户多残."""
    second = make_person(areas["baisha_a"], name="陈小红", birth="20050101", sequence=222, category=5, grade=1)
    for member, relation in ((person, "户主"), (second, "子女")):
        person_household_set(user=users["officer"], person=member, household=household, relationship=relation)
    return person, second


def test_a_household_is_created_in_a_community_of_the_officers_town(household, areas):
    assert household.area_id == areas["baisha_a"].code
    assert HouseholdLog.objects.filter(household=household, title="建户").exists()


def test_a_household_of_another_town_is_refused_as_missing(users, areas):
    with pytest.raises(Http404):
        household_create(user=users["officer"], number="1022010001", area=areas["hetang_a"])
    assert not Household.objects.exists()


def test_a_number_used_in_another_community_is_refused(users, household, areas):
    with pytest.raises(ValidationError, match="其他村"):
        household_create(user=users["officer"], number=household.number, area=areas["baisha_b"])


def test_a_person_of_another_community_cannot_join(users, household, areas):
    stranger = make_person(areas["baisha_b"], name="王大明", sequence=333)
    with pytest.raises(ValidationError, match="户籍村"):
        person_household_set(user=users["officer"], person=stranger, household=household, relationship="户主")
    stranger.refresh_from_db()
    assert stranger.household_id is None


def test_two_active_disabled_persons_make_a_multi_disabled_household(users, pair, household):
    listed = household_list(users["officer"], multi=True)
    assert list(listed) == [household]
    assert is_multi_disabled(listed[0])


def test_a_deceased_member_no_longer_counts_for_multi_disabled(users, pair, household):
    from registry.services import person_event_record

    person_event_record(user=users["officer"], person=pair[1], kind=EventKind.DEATH, date=D(2025, 1, 5))
    assert not household_list(users["officer"], multi=True).exists()


def test_setting_dibao_records_a_dated_event_of_every_disabled_member(users, pair, household):
    changed = household_economic_status_set(
        user=users["officer"], household=household, status=EconomicStatus.DIBAO, date=D(2025, 3, 1)
    )
    assert changed == 2
    for member in pair:
        member.refresh_from_db()
        assert member.economic_status == EconomicStatus.DIBAO
        event = PersonEvent.objects.get(person=member, kind=EventKind.ECONOMIC)
        assert (event.date, event.old_value, event.new_value) == (D(2025, 3, 1), "none", "dibao")
    household.refresh_from_db()
    assert (household.economic_status, household.economic_status_date) == ("dibao", D(2025, 3, 1))


def test_a_member_already_in_the_status_is_left_as_is(users, pair, household):
    from registry.services import person_event_record

    person_event_record(
        user=users["officer"], person=pair[0], kind=EventKind.ECONOMIC, date=D(2025, 1, 1), value="tekun"
    )
    changed = household_economic_status_set(
        user=users["officer"], household=household, status="tekun", date=D(2025, 2, 1)
    )
    assert changed == 1
    assert PersonEvent.objects.filter(person=pair[0], kind=EventKind.ECONOMIC).count() == 1


def test_a_future_date_is_refused_and_writes_nothing(users, pair, household):
    with pytest.raises(ValidationError, match="晚于今天"):
        household_economic_status_set(
            user=users["officer"], household=household, status="dibao", date=D.today() + datetime.timedelta(days=3)
        )
    assert not PersonEvent.objects.exists()
    household.refresh_from_db()
    assert household.economic_status == EconomicStatus.NONE


def test_another_towns_officer_cannot_set_the_status(users, pair, household):
    with pytest.raises(Http404):
        household_economic_status_set(
            user=users["other_officer"], household=household, status="dibao", date=D(2025, 3, 1)
        )
    assert not PersonEvent.objects.exists()


def test_a_person_joining_a_dibao_household_follows_its_status(users, household, person):
    household_economic_status_set(user=users["officer"], household=household, status="dibao", date=D(2025, 3, 1))
    person_household_set(user=users["officer"], person=person, household=household, relationship="户主")
    person.refresh_from_db()
    assert person.economic_status == "dibao"


def test_a_family_member_is_added_with_a_valid_id(users, household):
    member = family_member_add(
        user=users["officer"],
        household=household,
        name="陈大文",
        id_number=make_id_number(birth="19500101", sequence=11),
        relationship="父亲",
        is_guardian=True,
    )
    assert (member.relationship, member.is_guardian, member.is_carer) == ("父亲", True, False)


@pytest.mark.parametrize(
    ("id_number", "message"),
    [("440703195001010012", "校验位"), ("4407031950", "18 位")],
)
def test_an_invalid_id_number_is_refused(users, household, id_number, message):
    with pytest.raises(ValidationError, match=message):
        family_member_add(
            user=users["officer"], household=household, name="陈大文", id_number=id_number, relationship="父亲"
        )
    assert not FamilyMember.objects.exists()


def test_a_registered_disabled_person_is_a_member_not_a_family_member(users, household, person):
    with pytest.raises(ValidationError, match="已登记的持证残疾人"):
        family_member_add(
            user=users["officer"], household=household, name="陈建国", id_number=person.id_number, relationship="配偶"
        )
    assert not FamilyMember.objects.exists()


def test_leaving_the_household_is_on_its_story(users, household, person):
    person_household_set(user=users["officer"], person=person, household=household, relationship="户主")
    person_household_leave(user=users["officer"], person=person)
    person.refresh_from_db()
    assert person.household_id is None
    assert list(HouseholdLog.objects.filter(person=person).values_list("title", flat=True)) == ["离开本户", "加入本户"]


def test_a_person_not_active_cannot_join(users, household, areas):
    gone = make_person(areas["baisha_a"], name="陈故", sequence=444, status=Status.DECEASED, status_date=D(2024, 1, 1))
    with pytest.raises(ValidationError, match="不能加入"):
        person_household_set(user=users["officer"], person=gone, household=household, relationship="户主")


def test_a_member_who_moves_to_another_community_leaves_the_household(users, pair, household, areas):
    """A household's members share its 户籍村(居): a move takes the person out of it (its log
    says so), the household and its other member stay, and it is no longer 一户多残."""
    from registry.services import person_update

    first, second = pair
    assert is_multi_disabled(household)
    moved = person_update(user=users["officer"], person=second, data={"area": areas["baisha_b"]})
    moved.refresh_from_db()
    first.refresh_from_db()
    assert (moved.household, moved.relationship_to_head) == (None, "")
    assert first.household == household and not is_multi_disabled(household)
    log = HouseholdLog.objects.filter(household=household, person=moved).latest("id")
    assert (log.title, log.detail) == ("成员迁出本户", "户籍迁至丰乐社区，不再是本户成员")
    # An edit that keeps the community keeps the household.
    person_update(user=users["officer"], person=first, data={"address": "白沙大道2号"})
    first.refresh_from_db()
    assert first.household == household
