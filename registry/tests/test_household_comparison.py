"""A comparison list's 经济状况变更 of a person in a household is the household's: every
active disabled member gets the dated event at once, and the household's status follows."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from conftest import make_person
from registry import comparison
from registry.comparison import EVENT_COLUMNS, events_import
from registry.households import household_create, person_household_set
from registry.models import EventKind, Household, HouseholdLog, Person, PersonEvent, Status
from registry.services import person_event_record
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


def _households(users, areas, count: int, *, first: int) -> list[Person]:
    """`count` households of two active members each (ID sequences from `first`): their
    heads, in household order."""
    heads = []
    for n in range(count):
        home = household_create(user=users["officer"], number=f"00300{first + n:05d}", area=areas["baisha_a"])
        members = [
            make_person(areas["baisha_a"], name=f"户{n}甲", sequence=first + 2 * n),
            make_person(areas["baisha_a"], name=f"户{n}乙", sequence=first + 2 * n + 1, category=5, grade=1),
        ]
        Person.objects.filter(pk__in=[m.pk for m in members]).update(household=home)
        heads.append(Person.objects.get(pk=members[0].pk))
    return heads


@pytest.mark.parametrize("in_bulk", [True, False])
def test_a_rosters_queries_do_not_grow_with_its_households(run, users, areas, monkeypatch, in_bulk):
    """Each row a change of both members: the file's events are written together, so 3
    households and 30 take the same statements (performance.md, "Household comparison list
    at 10^6"); written one by one (SQLite's path) they grow with the events."""
    if in_bulk and connection.vendor != "postgresql":
        pytest.skip("the bulk write is PostgreSQL's")
    monkeypatch.setattr(comparison, "_events_in_bulk", lambda: in_bulk)
    counts = {}
    for size, first in ((3, 500), (30, 600)):
        heads = _households(users, areas, size, first=first)
        with CaptureQueriesContext(connection) as queries:
            result = run([row(head, D(2025, 4, 1), "低保") for head in heads])
        assert (result.updated, result.rejected_count) == (size, 0)
        assert [w.message for w in result.warnings] == ["同户另有 1 名残疾人随户登记了经济状况"] * size
        members = Person.objects.filter(household__in=[h.household_id for h in heads])
        assert PersonEvent.objects.filter(person__in=members, new_value="dibao").count() == 2 * size
        assert set(members.values_list("economic_status", flat=True)) == {"dibao"}
        counts[size] = len(queries)
    if in_bulk:
        assert counts[30] == counts[3]
    else:
        # Each member's event: its insert, the person's update and its change record.
        assert counts[30] - counts[3] == 27 * 2 * 3


def test_written_together_or_one_by_one_a_roster_leaves_the_same(run, users, areas, household, monkeypatch):
    """On PostgreSQL the events are written after the last row (`person_events_write`);
    the one-by-one path must leave the same events, persons, change records, households,
    story lines and report."""
    if connection.vendor != "postgresql":
        pytest.skip("the bulk write is PostgreSQL's")
    home, person, second, _ = household
    # A later status of the second member, which a back-dated row goes before (re-linked).
    officer = users["officer"]
    person_event_record(user=officer, person=second, kind=EventKind.ECONOMIC, date=D(2025, 9, 1), value="tekun")
    heads = _households(users, areas, 2, first=700)
    alone = make_person(areas["baisha_a"], name="陈独", sequence=720)
    rows = [
        row(person, D(2025, 4, 1), "低保"),
        row(heads[0], D(2025, 5, 1), "低保边缘"),
        # The same household again, later: its members move on from the row above.
        row(heads[0], D(2025, 7, 1), "特困"),
        row(heads[1], D(2025, 4, 1), "无"),
        row(alone, D(2025, 3, 1), "低保"),
        {"公民身份号码": alone.id_number, "事件": "死亡", "日期": D(2025, 10, 1), "新值": ""},
    ]
    skipped = {"id", "history_id", "history_date", "created_at", "updated_at"}

    def fields(instance):
        values = {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}
        return {name: value for name, value in values.items() if name not in skipped}

    states = {}
    for in_bulk in (False, True):
        monkeypatch.setattr(comparison, "_events_in_bulk", lambda in_bulk=in_bulk: in_bulk)
        with transaction.atomic():
            result = run(rows)
            states[in_bulk] = {
                "report": result.as_report(),
                "events": [fields(e) for e in PersonEvent.objects.order_by("person_id", "id")],
                "persons": [fields(p) for p in Person.objects.order_by("id")],
                "history": [fields(h) for h in Person.history.model.objects.order_by("id", "history_id")],
                "households": [fields(h) for h in Household.objects.order_by("id")],
                "logs": [fields(log) for log in HouseholdLog.objects.order_by("id")],
            }
            transaction.set_rollback(True)
    assert states[True] == states[False]
    bulk = states[True]
    assert len([e for e in bulk["events"] if e["source"] == "民政低保名单.xlsx"]) == 8
    # The back-dated row re-linked the second member's later event.
    later = next(e for e in bulk["events"] if e["person_id"] == second.pk and e["date"] == D(2025, 9, 1))
    assert later["old_value"] == "dibao"
