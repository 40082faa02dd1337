import datetime

import pytest
from django.core.exceptions import ValidationError

from canlian.scoping import OutOfScope
from registry.models import EventKind, PersonEvent, Status
from registry.services import person_event_record

D = datetime.date


def test_death_sets_the_status_and_its_date(users, person):
    person_event_record(user=users["officer"], person=person, kind=EventKind.DEATH, date=D(2025, 7, 15))
    person.refresh_from_db()
    assert person.status == Status.DECEASED and person.status_date == D(2025, 7, 15)


def test_grade_change_reissues_the_certificate_number(users, person):
    person_event_record(user=users["officer"], person=person, kind=EventKind.GRADE, date=D(2025, 3, 1), value=1)
    person.refresh_from_db()
    assert person.grade == 1 and person.certificate_number == person.id_number + "41"


def test_a_back_dated_event_keeps_the_chain_in_order(users, person):
    officer = users["officer"]
    person_event_record(user=officer, person=person, kind=EventKind.GRADE, date=D(2025, 6, 1), value=1)
    person_event_record(user=officer, person=person, kind=EventKind.GRADE, date=D(2024, 1, 1), value=3)
    person.refresh_from_db()
    chain = list(PersonEvent.objects.filter(person=person, field="grade").order_by("date"))
    assert [(e.old_value, e.new_value) for e in chain] == [("2", "3"), ("3", "1")]
    assert person.grade == 1  # the latest event still decides the current value


def test_the_same_event_twice_changes_nothing(users, person):
    first, created = person_event_record(
        user=users["officer"], person=person, kind=EventKind.MOVED_OUT, date=D(2025, 1, 2)
    )
    again, created_again = person_event_record(
        user=users["officer"], person=person, kind=EventKind.MOVED_OUT, date=D(2025, 1, 2)
    )
    assert created and not created_again and first.pk == again.pk
    assert PersonEvent.objects.filter(person=person).count() == 1


def test_an_event_that_changes_nothing_is_refused(users, person):
    with pytest.raises(ValidationError, match="已是此状态"):
        person_event_record(user=users["officer"], person=person, kind=EventKind.GRADE, date=D(2025, 1, 1), value=2)


def test_an_event_in_the_future_is_refused(users, person):
    with pytest.raises(ValidationError, match="不能晚于今天"):
        person_event_record(
            user=users["officer"],
            person=person,
            kind=EventKind.DEATH,
            date=datetime.date.today() + datetime.timedelta(days=1),
        )


def test_an_officer_of_another_town_cannot_record_an_event(users, person):
    with pytest.raises(OutOfScope):
        person_event_record(user=users["other_officer"], person=person, kind=EventKind.DEATH, date=D(2025, 1, 1))
    assert not PersonEvent.objects.exists()


def test_restoring_clears_the_status_date(users, person):
    officer = users["officer"]
    person_event_record(user=officer, person=person, kind=EventKind.CANCELLED, date=D(2024, 5, 1))
    person_event_record(user=officer, person=person, kind=EventKind.RESTORED, date=D(2024, 9, 1))
    person.refresh_from_db()
    assert person.status == Status.ACTIVE and person.status_date is None


def test_each_change_is_in_the_field_history_with_its_user(users, person):
    person_event_record(
        user=users["officer"],
        person=person,
        kind=EventKind.ECONOMIC,
        date=D(2025, 2, 1),
        value="dibao",
    )
    latest = person.history.latest()
    assert latest.economic_status == "dibao" and latest.history_user == users["officer"]


def test_an_event_carries_its_persons_area_code_when_it_is_recorded(users, person, areas):
    first, _ = person_event_record(
        user=users["officer"], person=person, kind=EventKind.ECONOMIC, date=datetime.date(2024, 3, 1), value="dibao"
    )
    assert first.area_code == person.area_id == areas["baisha_a"].code
    person.area = areas["baisha_b"]
    person.save()
    later, _ = person_event_record(
        user=users["officer"], person=person, kind=EventKind.ECONOMIC, date=datetime.date(2024, 6, 1), value="none"
    )
    assert later.area_code == areas["baisha_b"].code
    assert PersonEvent.objects.get(pk=first.pk).area_code == areas["baisha_a"].code
