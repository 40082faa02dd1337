"""A reimport stores each registered person's changed columns, and only those, with a change
record each (PostgreSQL: one UPDATE from a temp table, `imports._columns_write`; SQLite:
simple_history's bulk update). Run on both databases."""

import datetime

import pytest
from django.db import transaction

from conftest import make_person
from registry.imports import persons_import
from registry.models import Person
from registry.signals import persons_moved
from registry.tests.test_import_rows import row_of
from registry.tests.workbooks import write_workbook

HistoricalPerson = Person.history.model


@pytest.fixture
def run(tmp_path):
    def _run(user, rows, name="名单.xlsx"):
        path = write_workbook(tmp_path / name, rows)
        return persons_import(user=user, path_or_file=path, source_name=name)

    return _run


@pytest.fixture
def three(areas, person):
    """The fixture person and two more of 白沙, all last updated a year ago."""
    second = make_person(areas["baisha_a"], name="李四", sequence=125)
    third = make_person(areas["baisha_b"], name="王五", sequence=127)
    year_ago = datetime.datetime(2025, 11, 1, tzinfo=datetime.UTC)
    Person.objects.update(updated_at=year_ago)
    return [Person.objects.get(pk=p.pk) for p in (person, second, third)]


@pytest.fixture
def moves():
    seen = []

    def receiver(sender, *, moves, **kwargs):
        seen.append(moves)

    persons_moved.connect(receiver, dispatch_uid="test_import_changes")
    yield seen
    persons_moved.disconnect(dispatch_uid="test_import_changes")


def test_each_person_gets_only_the_columns_their_row_changes(users, areas, three, run, moves):
    first, second, third = three
    result = run(
        users["officer"],
        [
            row_of(first, **{"联系电话": "13700002222"}),
            row_of(second, **{"现住址": "新地址1号", "是否独居": "是"}),
            row_of(third),
        ],
    )
    assert result.counts() == {"created": 0, "updated": 2, "unchanged": 1, "rejected": 0, "total": 3}
    first.refresh_from_db(), second.refresh_from_db(), third.refresh_from_db()
    assert (first.phone, first.address, first.area_id) == ("13700002222", "白沙大道1号", areas["baisha_a"].code)
    assert (second.phone, second.address, second.area_id, second.lives_alone) == (
        "13812345678",
        "新地址1号",
        areas["baisha_a"].code,
        True,
    )
    year_ago = third.updated_at
    assert year_ago.year == 2025 and first.updated_at > year_ago and second.updated_at > year_ago
    assert moves == []

    records = HistoricalPerson.objects.filter(history_type="~").order_by("id")
    assert [(r.id, r.history_user, r.history_change_reason) for r in records] == [
        (first.pk, users["officer"], "Excel 导入：名单.xlsx"),
        (second.pk, users["officer"], "Excel 导入：名单.xlsx"),
    ]
    assert (records[0].phone, records[1].address, records[1].area_id) == (
        "13700002222",
        "新地址1号",
        areas["baisha_a"].code,
    )
    assert not HistoricalPerson.objects.filter(id=third.pk, history_type="~").exists()


def test_refreshed_flags_are_stored_without_a_change_record_or_a_new_update_time(users, three, run):
    first = three[0]
    Person.objects.filter(pk=first.pk).update(flags=["旧的提示"])
    result = run(users["officer"], [row_of(first)])
    assert result.unchanged == 1
    stored = Person.objects.get(pk=first.pk)
    assert stored.flags == [] and stored.updated_at == first.updated_at
    assert not HistoricalPerson.objects.filter(id=first.pk, history_type="~").exists()


def test_two_imports_in_one_transaction_each_store_their_changes(users, three, run):
    first, second, _ = three
    with transaction.atomic():
        run(users["officer"], [row_of(first, **{"联系电话": "13700002222"})], name="一.xlsx")
        run(users["officer"], [row_of(second, **{"现住址": "新地址2号"})], name="二.xlsx")
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.phone, first.address) == ("13700002222", "白沙大道1号")
    assert (second.phone, second.address) == ("13812345678", "新地址2号")
    reasons = HistoricalPerson.objects.filter(history_type="~").order_by("id").values_list("history_change_reason")
    assert list(reasons) == [("Excel 导入：一.xlsx",), ("Excel 导入：二.xlsx",)]


def test_rows_with_events_read_their_persons_and_events_in_bulk_not_per_row(users, areas, run):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    persons = [make_person(areas["baisha_a"], name="李四", sequence=n) for n in range(401, 421)]
    rows = [row_of(p, **{"人员状态": "死亡", "状态日期": "2026-01-05"}) for p in persons]
    with CaptureQueriesContext(connection) as queries:
        result = run(users["officer"], rows)
    assert result.updated == 20 and not result.rejected
    reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT")]
    person_reads = [sql for sql in reads if 'FROM "registry_person"' in sql]
    event_reads = [sql for sql in reads if 'FROM "registry_personevent"' in sql]
    assert len(person_reads) <= 3, person_reads  # the look-up, the persons with events, no more
    assert len(event_reads) <= 1, event_reads
    assert Person.objects.filter(status="deceased", status_date=datetime.date(2026, 1, 5)).count() == 20
