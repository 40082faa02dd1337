"""`service_record`: a town officer records services for persons of their town, inside the
person's certified life, of active items at active providers; everything else is refused
with a reason in Chinese, and nothing is written."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from canlian.scoping import OutOfScope
from registry.models import EventKind
from registry.services import person_event_record
from rehab.models import ServiceRecord
from rehab.services import service_record

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def _refused(exc_info) -> str:
    return " ".join(exc_info.value.messages)


def test_a_record_keeps_the_persons_community_and_who_recorded_it(users, person, record_for, item, provider):
    record = record_for(person, note=" 首次训练 ")
    assert record.area_code == person.area_id == "440703002001"
    assert (record.item, record.provider, record.sessions) == (item, provider, 4)
    assert record.recorded_by == users["officer"] and record.note == "首次训练"


def test_the_district_administrator_records_for_any_town(users, other_person, record_for):
    assert record_for(other_person, by="admin").area_code == other_person.area_id


def test_an_officer_of_another_town_may_not_record(users, person, record_for):
    with pytest.raises(OutOfScope, match="管辖范围"):
        record_for(person, by="other_officer")
    assert not ServiceRecord.objects.exists()


@pytest.mark.parametrize("who", ["leader", "reviewer", "centre"])
def test_users_who_only_look_may_not_record(users, person, record_for, who):
    with pytest.raises(PermissionDenied, match="没有登记康复服务的权限"):
        record_for(person, by=who)
    assert not ServiceRecord.objects.exists()


def test_a_date_in_the_future_is_refused(person, record_for):
    with pytest.raises(ValidationError) as exc:
        record_for(person, days_ago=-1)
    assert _refused(exc) == "服务日期不能晚于今天"


def test_a_date_before_the_certificate_is_refused(person, record_for):
    person.certificate_issued = TODAY - 5 * DAY
    person.save()
    with pytest.raises(ValidationError) as exc:
        record_for(person, days_ago=6)
    assert "早于该人员的发证日期" in _refused(exc)
    assert record_for(person, days_ago=5).served_on == person.certificate_issued


def test_a_date_after_death_is_refused_but_before_it_is_kept(users, person, record_for):
    person_event_record(user=users["officer"], person=person, kind=EventKind.DEATH, date=TODAY - 20 * DAY)
    with pytest.raises(ValidationError) as exc:
        record_for(person, days_ago=19)
    assert f"已于 {TODAY - 20 * DAY:%Y-%m-%d} 死亡" in _refused(exc)
    assert record_for(person, days_ago=20).pk


def test_a_date_after_moving_out_is_refused(users, person, record_for):
    person_event_record(user=users["officer"], person=person, kind=EventKind.MOVED_OUT, date=TODAY - 3 * DAY)
    with pytest.raises(ValidationError, match="迁出"):
        record_for(person, days_ago=1)


def test_an_inactive_item_is_refused(person, record_for, item):
    item.is_active = False
    item.save()
    with pytest.raises(ValidationError, match="康复项目“运动功能训练”已停用"):
        record_for(person)


def test_an_inactive_provider_is_refused(person, record_for, provider):
    provider.is_active = False
    provider.save()
    with pytest.raises(ValidationError, match="服务机构“蓬江区残疾人康复中心”已停用"):
        record_for(person)


@pytest.mark.parametrize("sessions", [0, -3])
def test_sessions_must_be_at_least_one(person, record_for, sessions):
    with pytest.raises(ValidationError, match="服务次数至少为 1 次"):
        record_for(person, sessions=sessions)


def test_an_implausible_number_of_sessions_is_refused(person, record_for):
    with pytest.raises(ValidationError, match="不能超过 366 次"):
        record_for(person, sessions=3000)


def test_the_same_item_twice_on_one_day_is_a_double_entry(person, record_for, other_item):
    record_for(person)
    with pytest.raises(ValidationError, match="请勿重复登记"):
        record_for(person)
    assert record_for(person, item=other_item).pk  # another item the same day is fine
    assert ServiceRecord.objects.count() == 2


def test_the_scope_is_checked_against_the_stored_person(users, person, item, provider, areas):
    """A page that read the person before a move cannot record in the old town's name."""
    from registry.services import person_update

    stale = type(person).objects.get(pk=person.pk)
    person_update(user=users["admin"], person=person, data={"area": areas["hetang_a"]})
    with pytest.raises(OutOfScope):
        service_record(user=users["officer"], person=stale, item=item, provider=provider, served_on=TODAY, sessions=1)
