"""Vehicles for the fuel subsidy: registering and retiring one (scoped, by permission), and
the fuel rule reading them: lower-limb physical disability with a vehicle in use on the
first day of the month."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from benefits.grants import fuel_eligible, vehicle_register, vehicle_retire
from benefits.models import Scheme, Vehicle
from benefits.selectors import eligible_persons
from canlian.scoping import OutOfScope
from conftest import make_person
from registry.models import EventKind
from registry.services import person_event_record

D = datetime.date


@pytest.fixture
def fuel(db):
    return Scheme.objects.get(code="fuel")


@pytest.fixture
def physical(areas):
    return make_person(areas["baisha_a"], name="肢体甲", sequence=501, category=4, grade=3)


def eligible(fuel, month) -> set[str]:
    return set(eligible_persons(fuel, month).values_list("name", flat=True))


def test_a_vehicle_counts_from_the_month_after_its_registration_until_it_is_retired(users, fuel, physical):
    vehicle = vehicle_register(user=users["officer"], person=physical, plate="粤J 5678", registered_on=D(2024, 3, 10))
    assert vehicle.plate == "粤J5678"
    assert eligible(fuel, D(2024, 3, 1)) == set()
    assert eligible(fuel, D(2024, 4, 1)) == {"肢体甲"}
    vehicle_retire(user=users["admin"], vehicle=vehicle, retired_on=D(2024, 8, 15))
    assert eligible(fuel, D(2024, 8, 1)) == {"肢体甲"}
    assert eligible(fuel, D(2024, 9, 1)) == set()


def test_only_a_physical_disability_with_a_verified_lower_limb_vehicle_counts(users, fuel, areas, physical):
    mental = make_person(areas["baisha_a"], name="精神乙", sequence=503, category=6, grade=2)
    unverified = make_person(areas["baisha_a"], name="肢体丙", sequence=505, category=4, grade=2)
    make_person(areas["baisha_a"], name="无车丁", sequence=507, category=4, grade=2)
    for person, plate, lower_limb in [(physical, "粤J1", True), (mental, "粤J2", True), (unverified, "粤J3", False)]:
        vehicle_register(
            user=users["officer"], person=person, plate=plate, registered_on=D(2024, 1, 5), lower_limb=lower_limb
        )
    assert eligible(fuel, D(2024, 6, 1)) == {"肢体甲"}


def test_a_death_stops_fuel_eligibility_from_the_next_month(users, fuel, physical):
    vehicle_register(user=users["officer"], person=physical, plate="粤J1", registered_on=D(2024, 1, 5))
    person_event_record(user=users["officer"], person=physical, kind=EventKind.DEATH, date=D(2024, 5, 31))
    assert eligible(fuel, D(2024, 5, 1)) == {"肢体甲"}
    assert eligible(fuel, D(2024, 6, 1)) == set()


def test_the_fuel_list_is_scoped_and_says_who_receives(users, fuel, physical, areas, award_for):
    other = make_person(areas["hetang_a"], name="肢体荷塘", sequence=509, category=4, grade=3)
    Vehicle.objects.create(person=physical, plate="粤J1", registered_on=D(2024, 1, 5))
    Vehicle.objects.create(person=other, plate="粤J2", registered_on=D(2024, 1, 5))
    award_for(physical, fuel, "2024-01")
    listed = {p.name: p.receiving for p in fuel_eligible(users["officer"], fuel, D(2024, 6, 1))}
    assert listed == {"肢体甲": True}
    district = {p.name: p.receiving for p in fuel_eligible(users["admin"], fuel, D(2024, 6, 1))}
    assert district == {"肢体甲": True, "肢体荷塘": False}


def test_registering_is_scoped_and_checked(users, physical, other_person):
    with pytest.raises(OutOfScope):
        vehicle_register(user=users["other_officer"], person=physical, plate="粤J1", registered_on=D(2024, 1, 5))
    with pytest.raises(PermissionDenied):
        vehicle_register(user=users["leader"], person=physical, plate="粤J1", registered_on=D(2024, 1, 5))
    vehicle_register(user=users["officer"], person=physical, plate="粤J1", registered_on=D(2024, 1, 5))
    with pytest.raises(ValidationError, match="已登记"):
        vehicle_register(user=users["admin"], person=other_person, plate="粤j1", registered_on=D(2024, 1, 5))
    with pytest.raises(ValidationError, match="晚于今天"):
        vehicle_register(
            user=users["officer"],
            person=physical,
            plate="粤J9",
            registered_on=datetime.date.today() + datetime.timedelta(days=1),
        )


def test_a_deceased_person_gets_no_vehicle(users, physical):
    person_event_record(user=users["officer"], person=physical, kind=EventKind.DEATH, date=D(2024, 5, 31))
    with pytest.raises(ValidationError, match="死亡"):
        vehicle_register(user=users["officer"], person=physical, plate="粤J1", registered_on=D(2024, 6, 5))


def test_retiring_needs_the_change_permission_and_the_scope_and_happens_once(users, areas, physical):
    vehicle = Vehicle.objects.create(person=physical, plate="粤J1", registered_on=D(2024, 1, 5))
    with pytest.raises(PermissionDenied):
        vehicle_retire(user=users["officer"], vehicle=vehicle, retired_on=D(2024, 6, 1))
    with pytest.raises(ValidationError, match="早于登记日期"):
        vehicle_retire(user=users["admin"], vehicle=vehicle, retired_on=D(2023, 6, 1))
    vehicle_retire(user=users["admin"], vehicle=vehicle, retired_on=D(2024, 6, 1))
    with pytest.raises(ValidationError, match="已于 2024-06-01 注销"):
        vehicle_retire(user=users["admin"], vehicle=vehicle, retired_on=D(2024, 7, 1))
