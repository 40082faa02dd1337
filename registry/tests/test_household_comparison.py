"""A comparison list's 经济状况变更 of a person in a household is the household's: every
active disabled member gets the dated event at once, and the household's status follows."""

import datetime

import pytest

from conftest import make_person
from registry.comparison import EVENT_COLUMNS, events_import
from registry.households import household_create, person_household_set
from registry.models import EventKind, HouseholdLog, PersonEvent, Status
from registry.tests.workbooks import write_workbook

D = datetime.date


@pytest.fixture
def run(tmp_path, users):
    def _run(rows, *, user="officer"):
        path = write_workbook(tmp_path / "民政低保名单.xlsx", rows, EVENT_COLUMNS)
        return events_import(user=users[user], path=path, source_name="民政低保名单.xlsx")

    return _run


@pytest.fixture
def household(users, areas, person):
    household = household_create(user=users["officer"], number="0020010009", area=areas["baisha_a"])
    second = make_person(areas["baisha_a"], name="陈小红", birth="20050101", sequence=222, category=5, grade=1)
    gone = make_person(
        areas["baisha_a"],
        name="陈故",
        sequence=444,
        birth="19300101",
        status=Status.DECEASED,
        status_date=D(2024, 1, 1),
    )
    for member, relation in ((person, "户主"), (second, "子女")):
        person_household_set(user=users["officer"], person=member, household=household, relationship=relation)
    gone.household = household
    gone.save()
    return household, person, second, gone


def row(person, date, value):
    return {"公民身份号码": person.id_number, "事件": "经济状况变更", "日期": date, "新值": value}


def test_one_row_sets_every_active_member_of_the_household(run, household):
    home, person, second, gone = household
    result = run([row(person, D(2025, 4, 1), "低保")])
    assert (result.updated, result.rejected_count) == (1, 0)
    for member in (person, second):
        event = PersonEvent.objects.get(person=member, kind=EventKind.ECONOMIC)
        assert (event.date, event.new_value) == (D(2025, 4, 1), "dibao")
    assert not PersonEvent.objects.filter(person=gone).exists()
    home.refresh_from_db()
    assert (home.economic_status, home.economic_status_date) == ("dibao", D(2025, 4, 1))
    assert HouseholdLog.objects.filter(household=home, title="经济状况变更").count() == 1


def test_the_same_list_again_changes_nothing(run, household):
    run([row(household[1], D(2025, 4, 1), "低保")])
    logs = HouseholdLog.objects.count()
    again = run([row(household[1], D(2025, 4, 1), "低保")])
    assert (again.updated, again.unchanged) == (0, 1)
    assert PersonEvent.objects.filter(kind=EventKind.ECONOMIC).count() == 2
    assert HouseholdLog.objects.count() == logs


def test_a_row_for_each_member_records_each_once(run, household):
    _, person, second, _ = household
    result = run([row(person, D(2025, 4, 1), "特困"), row(second, D(2025, 4, 1), "特困")])
    assert result.rejected_count == 0
    assert PersonEvent.objects.filter(kind=EventKind.ECONOMIC).count() == 2


def test_a_back_dated_row_does_not_overwrite_a_later_household_status(run, household):
    home, person, _, _ = household
    run([row(person, D(2025, 6, 1), "低保")])
    run([row(person, D(2025, 1, 1), "低保边缘")])
    home.refresh_from_db()
    assert (home.economic_status, home.economic_status_date) == ("dibao", D(2025, 6, 1))
    person.refresh_from_db()
    assert person.economic_status == "dibao"
