"""The eligibility rules over a table of cases: grades, categories, economic status,
events on the 1st, the 15th and the last day of a month."""

import datetime

import pytest

from benefits.selectors import eligible_count, eligible_parts, eligible_persons
from conftest import make_person
from registry.models import EventKind, Person
from registry.services import person_event_record

D = datetime.date


CASES = [
    # category, grade, economic, eligible for living, eligible for nursing
    (4, 1, "none", False, True),
    (4, 2, "dibao", True, True),
    (4, 3, "dibao", True, False),
    (4, 4, "near_dibao", True, False),
    (5, 3, "none", False, True),
    (6, 4, "none", False, True),
    (1, 3, "none", False, False),
    (2, 2, "tekun", False, False),
    (7, 1, "near_dibao", True, True),
    (3, 4, "none", False, False),
]


@pytest.mark.parametrize(("category", "grade", "economic", "for_living", "for_nursing"), CASES)
def test_the_default_rules_decide_by_category_grade_and_economic_status(
    areas, living, nursing, category, grade, economic, for_living, for_nursing
):
    person = make_person(areas["baisha_a"], category=category, grade=grade, economic_status=economic)
    month = D(2026, 1, 1)
    assert eligible_persons(living, month).filter(pk=person.pk).exists() is for_living
    assert eligible_persons(nursing, month).filter(pk=person.pk).exists() is for_nursing


@pytest.mark.parametrize(
    ("event_day", "last_eligible_month"),
    [(D(2025, 7, 1), D(2025, 7, 1)), (D(2025, 7, 15), D(2025, 7, 1)), (D(2025, 7, 31), D(2025, 7, 1))],
)
@pytest.mark.parametrize("kind", [EventKind.DEATH, EventKind.MOVED_OUT, EventKind.CANCELLED])
def test_a_stop_on_any_day_of_a_month_stops_from_the_next_month(
    areas, users, nursing, kind, event_day, last_eligible_month
):
    person = make_person(areas["baisha_a"], grade=1)
    person_event_record(user=users["officer"], person=person, kind=kind, date=event_day)
    eligible = {
        m: eligible_persons(nursing, m).filter(pk=person.pk).exists()
        for m in (D(2025, 6, 1), D(2025, 7, 1), D(2025, 8, 1), D(2025, 9, 1))
    }
    assert eligible == {D(2025, 6, 1): True, D(2025, 7, 1): True, D(2025, 8, 1): False, D(2025, 9, 1): False}


def test_becoming_eligible_mid_month_counts_from_the_next_month(areas, users, living):
    person = make_person(areas["baisha_a"], economic_status="none")
    person_event_record(
        user=users["officer"], person=person, kind=EventKind.ECONOMIC, date=D(2025, 3, 10), value="dibao"
    )
    assert not eligible_persons(living, D(2025, 3, 1)).filter(pk=person.pk).exists()
    assert eligible_persons(living, D(2025, 4, 1)).filter(pk=person.pk).exists()


def test_a_grade_change_on_reassessment_stops_nursing_from_the_next_month(areas, users, nursing):
    person = make_person(areas["baisha_a"], category=4, grade=2)
    person_event_record(user=users["officer"], person=person, kind=EventKind.GRADE, date=D(2025, 5, 31), value=3)
    assert eligible_persons(nursing, D(2025, 5, 1)).filter(pk=person.pk).exists()
    assert not eligible_persons(nursing, D(2025, 6, 1)).filter(pk=person.pk).exists()


@pytest.mark.parametrize(
    ("valid_until", "june", "july"),
    [(D(2025, 6, 30), True, False), (D(2025, 7, 1), True, True), (D(2025, 7, 15), True, True), (None, True, True)],
)
def test_an_expired_certificate_stops_from_the_month_after_expiry(areas, nursing, valid_until, june, july):
    person = make_person(areas["baisha_a"], grade=1, certificate_valid_until=valid_until)
    assert eligible_persons(nursing, D(2025, 6, 1)).filter(pk=person.pk).exists() is june
    assert eligible_persons(nursing, D(2025, 7, 1)).filter(pk=person.pk).exists() is july
    assert (
        not eligible_persons(nursing, D(2025, 8, 1)).filter(pk=person.pk).exists()
        or valid_until is None
        or (valid_until >= D(2025, 8, 1))
    )


def test_a_renewal_brings_an_expired_certificate_back(areas, users, nursing):
    person = make_person(areas["baisha_a"], grade=1, certificate_valid_until=D(2025, 6, 30))
    person_event_record(
        user=users["officer"], person=person, kind=EventKind.RENEWAL, date=D(2025, 8, 20), value=D(2035, 8, 19)
    )
    months = [D(2025, 7, 1), D(2025, 8, 1), D(2025, 9, 1)]
    assert [eligible_persons(nursing, m).filter(pk=person.pk).exists() for m in months] == [False, False, True]


def test_tekun_exclusion_is_a_parameter(areas, living):
    person = make_person(areas["baisha_a"], economic_status="tekun")
    living.params = {**living.params, "exclude_tekun": False, "economic": ["dibao", "near_dibao", "tekun"]}
    living.save()
    assert eligible_persons(living, D(2026, 1, 1)).filter(pk=person.pk).exists()


def test_the_count_by_parts_equals_the_list_whether_persons_changed_since_the_day_or_not(areas, users, living):
    """`eligible_count` adds two disjoint queries (unchanged persons on their columns, the
    changed ones on their state read back); it must agree with the single query."""
    month = D(2026, 3, 1)
    steady = [make_person(areas["baisha_a"], sequence=500 + i, economic_status="dibao") for i in range(3)]
    never = make_person(areas["baisha_a"], sequence=510, economic_status="none")
    lost = make_person(areas["baisha_a"], sequence=511, economic_status="dibao")
    gained = make_person(areas["baisha_a"], sequence=512, economic_status="none")
    # Changed after the 1st: on the 1st, `lost` was still dibao and `gained` not yet.
    person_event_record(user=users["officer"], person=lost, kind=EventKind.ECONOMIC, date=D(2026, 3, 9), value="none")
    person_event_record(
        user=users["officer"], person=gained, kind=EventKind.ECONOMIC, date=D(2026, 3, 9), value="dibao"
    )
    expected = {p.pk for p in [*steady, lost]}
    assert set(eligible_persons(living, month).values_list("pk", flat=True)) == expected
    unchanged, changed = eligible_parts(living, month)
    assert set(unchanged.values_list("pk", flat=True)) == {p.pk for p in steady}
    assert set(changed.values_list("pk", flat=True)) == {lost.pk}
    assert eligible_count(living, month) == len(expected)
    assert eligible_count(living, month, Person.objects.exclude(pk=lost.pk)) == 3
    assert never.pk not in expected and gained.pk not in expected
