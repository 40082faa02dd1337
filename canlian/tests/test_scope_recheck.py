"""Writes are re-checked against the writer's scope after the change, in the same
transaction (`canlian.scoping.scope_rechecked`): an edit that moves a person to another
town is refused for a town officer and writes nothing; a district officer may; a record
whose area comes out of its write outside the scope is refused and not kept."""

import datetime

import pytest

from canlian import scoping
from canlian.errors import error_text
from canlian.records import record_create
from canlian.scoping import OutOfScope, scope_rechecked
from registry.models import Person
from registry.services import person_update
from rehab.models import Provider, RehabItem, ServiceRecord

TODAY = datetime.date.today()


def _row(person) -> tuple:
    row = Person.objects.get(pk=person.pk)
    return row.area_id, row.address, row.history.count()


def test_a_town_officer_cannot_move_a_person_to_another_town_and_nothing_is_written(users, areas, person):
    before = _row(person)
    with pytest.raises(OutOfScope) as exc:
        person_update(
            user=users["officer"], person=person, data={"area": areas["hetang_a"], "address": "荷塘镇新址 8 号"}
        )
    assert error_text(exc.value) == "记录不存在，或不在您的管辖范围内"
    # The area and the other field of the same edit, and no history record of it.
    assert _row(person) == before


def test_a_town_officer_moves_a_person_within_the_town(users, areas, person):
    person_update(user=users["officer"], person=person, data={"area": areas["baisha_b"]})
    assert Person.objects.get(pk=person.pk).area_id == areas["baisha_b"].code


def test_a_district_officer_moves_a_person_to_another_town(users, areas, person):
    person_update(user=users["admin"], person=person, data={"area": areas["hetang_a"]})
    assert Person.objects.get(pk=person.pk).area_id == areas["hetang_a"].code


def test_the_other_town_cannot_take_the_person_either(users, areas, person):
    """The check before the write still answers first: the row is not the officer's."""
    with pytest.raises(OutOfScope):
        person_update(user=users["other_officer"], person=person, data={"area": areas["hetang_a"]})
    assert Person.objects.get(pk=person.pk).area_id == areas["baisha_a"].code


@pytest.fixture
def provider(areas):
    return Provider.objects.create(name="蓬江区残疾人康复中心", area=areas["baisha"])


def _record(user, person, provider):
    return record_create(
        model=ServiceRecord,
        user=user,
        person=person,
        item=RehabItem.objects.get(code="KF09"),
        provider=provider,
        served_on=TODAY - datetime.timedelta(days=3),
        sessions=1,
    )


def test_a_record_whose_write_leaves_it_outside_the_scope_is_refused_and_not_kept(users, person, provider, monkeypatch):
    """What is checked is the row as written (here a save that files it under another
    town, as a trigger or a signal receiver might), not what the service meant to write."""
    save = ServiceRecord.save

    def elsewhere(self, *args, **kwargs):
        self.area_code = "440703102201"
        save(self, *args, **kwargs)

    monkeypatch.setattr(ServiceRecord, "save", elsewhere)
    with pytest.raises(OutOfScope):
        _record(users["officer"], person, provider)
    assert not ServiceRecord.objects.exists()


def test_a_record_in_the_scope_is_written(users, person, provider):
    record = _record(users["officer"], person, provider)
    assert ServiceRecord.objects.get().pk == record.pk and record.area_code == person.area_id


def test_the_decorator_rolls_back_any_write_outside_the_scope(users, areas, person):
    """A service with no check of its own: the re-check alone refuses and undoes it."""

    @scope_rechecked
    def careless_move(*, user, person):
        Person.objects.filter(pk=person.pk).update(area=areas["hetang_b"])
        return person

    with pytest.raises(OutOfScope):
        careless_move(user=users["officer"], person=person)
    assert Person.objects.get(pk=person.pk).area_id == areas["baisha_a"].code
    careless_move(user=users["admin"], person=person)
    assert Person.objects.get(pk=person.pk).area_id == areas["hetang_b"].code


def test_the_services_that_write_an_area_or_a_person_are_rechecked():
    from activities import services as activities
    from benefits import grants
    from benefits import services as benefits
    from registry import services as registry
    from rehab import services_children as children

    rechecked = [
        record_create,
        registry.person_create,
        registry.person_update,
        children.child_register,
        children.child_update,
        activities.activity_create,
        activities.activity_update,
        benefits.application_submit,
        grants.vehicle_register,
    ]
    assert all(getattr(service, "scope_rechecked", False) for service in rechecked)
    # A command run without a user has no scope to keep to.
    scoping.require_written_in_scope(None, Person())
