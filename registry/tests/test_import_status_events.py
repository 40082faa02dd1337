"""A person imported dead, moved out or cancelled gets the event of that status on its date
(issue 11, item 16), so the rules read them as active before it. Runs on SQLite too (Makefile)."""

import datetime

import pytest

from benefits.models import Scheme
from benefits.rules import scheme_filter
from registry.imports import persons_import
from registry.models import EventKind, Person, PersonEvent, Status
from registry.tests.workbooks import person_row, write_workbook

DIED = datetime.date(2024, 3, 15)


@pytest.fixture
def nursing(db):
    return Scheme.objects.get(code="nursing")


def _import(users, tmp_path, rows):
    path = write_workbook(tmp_path / "名单.xlsx", rows)
    return persons_import(user=users["officer"], path_or_file=path, source_name=path.name)


@pytest.mark.parametrize(
    ("label", "status", "kind"),
    [
        ("死亡", Status.DECEASED, EventKind.DEATH),
        ("迁出", Status.MOVED_OUT, EventKind.MOVED_OUT),
        ("证件注销", Status.CANCELLED, EventKind.CANCELLED),
    ],
)
def test_a_new_person_imported_with_a_status_has_its_event_on_the_status_date(users, tmp_path, label, status, kind):
    result = _import(users, tmp_path, [person_row(**{"人员状态": label, "状态日期": DIED}), person_row(sequence=137)])
    assert result.created == 2
    person = Person.objects.get(status=status)
    assert person.status_date == DIED
    event = PersonEvent.objects.get()
    assert (event.person, event.kind, event.field, event.date) == (person, kind, "status", DIED)
    assert (event.old_value, event.new_value, event.area_code) == (Status.ACTIVE, status, person.area_id)
    assert (event.reason, event.source, event.created_by) == ("Excel 导入", "名单.xlsx", users["officer"])


def test_a_person_imported_dead_is_eligible_for_every_month_that_starts_on_or_before_the_death(
    users, tmp_path, nursing
):
    # Grade 2 (severe): eligible for the nursing subsidy while alive.
    _import(users, tmp_path, [person_row(grade=2, **{"人员状态": "死亡", "状态日期": DIED})])
    person = Person.objects.get()

    def eligible(day: datetime.date) -> bool:
        return Person.objects.filter(scheme_filter(nursing, day), pk=person.pk).exists()

    assert eligible(datetime.date(2023, 1, 1))
    assert eligible(datetime.date(2024, 3, 1))  # the month of the death is paid
    assert not eligible(datetime.date(2024, 4, 1))
    assert not eligible(datetime.date(2025, 1, 1))


def test_a_person_died_on_the_first_of_a_month_is_paid_that_month(users, tmp_path, nursing):
    first = datetime.date(2024, 3, 1)
    _import(users, tmp_path, [person_row(grade=2, **{"人员状态": "死亡", "状态日期": first})])
    person = Person.objects.get()
    assert Person.objects.filter(scheme_filter(nursing, first), pk=person.pk).exists()
    assert not Person.objects.filter(scheme_filter(nursing, datetime.date(2024, 4, 1)), pk=person.pk).exists()


def test_an_active_new_person_gets_no_event(users, tmp_path):
    _import(users, tmp_path, [person_row(**{"人员状态": "正常"}), person_row(sequence=137)])
    assert Person.objects.count() == 2 and not PersonEvent.objects.exists()
