"""On PostgreSQL a reimport writes its rows' new events together after the last row
(`registry.services.person_events_write`); written one by one (`person_event_apply`, the
path of SQLite) the same file must leave the same persons, events, change records, person
counts, signals and queued indicator refresh. Each test imports one file both ways, each
in a transaction rolled back after it is read, and compares the two."""

import datetime

import pytest
from django.db import connection, transaction

from conftest import make_person
from registry import imports
from registry.models import EventKind, Person, PersonCount, PersonEvent, Status
from registry.services import person_event_record
from registry.signals import persons_moved
from registry.tests.test_import_rows import row_of
from registry.tests.workbooks import person_row, write_workbook

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the bulk write is PostgreSQL's")

D = datetime.date
HistoricalPerson = Person.history.model
# What a write leaves that differs between two runs however they write: ids of new rows
# and the times of the writes.
PERSON_SKIPPED = {"id", "created_at", "updated_at"}
EVENT_SKIPPED = {"id", "person", "created_at"}
HISTORY_SKIPPED = {"history_id", "id", "history_date", "created_at"}


@pytest.fixture
def registry(users, areas):
    """Persons whose rows below record events of every kind of chain: appended, placed
    before a later event (which it re-links), two in one row, one refused."""
    officer = users["officer"]
    made = {
        "dies": make_person(areas["baisha_a"], name="陈甲", sequence=301),
        "regraded": make_person(areas["baisha_a"], name="陈乙", sequence=303, economic_status="dibao"),
        "moved_before_death": make_person(areas["baisha_b"], name="陈丙", sequence=305),
        "restored": make_person(areas["baisha_a"], name="陈丁", sequence=307),
        "refused": make_person(areas["baisha_a"], name="陈戊", sequence=309),
        "phone_only": make_person(areas["baisha_a"], name="陈己", sequence=311),
        "unchanged": make_person(areas["baisha_b"], name="陈庚", sequence=313),
        "dies_and_moves": make_person(areas["baisha_a"], name="陈辛", sequence=315, category=5, grade=3),
    }
    person_event_record(user=officer, person=made["moved_before_death"], kind=EventKind.DEATH, date=D(2025, 6, 1))
    person_event_record(user=officer, person=made["restored"], kind=EventKind.CANCELLED, date=D(2024, 5, 1))
    # Died and was restored (a wrong death): dead again on a day between is "already so".
    person_event_record(user=officer, person=made["refused"], kind=EventKind.DEATH, date=D(2025, 1, 1))
    person_event_record(user=officer, person=made["refused"], kind=EventKind.RESTORED, date=D(2025, 5, 1))
    return {key: Person.objects.get(pk=person.pk) for key, person in made.items()}


def _rows(persons: dict[str, Person]) -> list[dict]:
    return [
        row_of(persons["dies"], **{"人员状态": "死亡", "状态日期": "2026-01-05"}),
        row_of(
            persons["regraded"],
            **{"残疾等级": "一级", "残疾人证号": persons["regraded"].id_number + "41", "有效期至": "2030-06-30"},
            **{"联系电话": "13700001234"},
        ),
        row_of(persons["moved_before_death"], **{"人员状态": "迁出", "状态日期": "2025-02-01"}),
        row_of(persons["restored"], **{"人员状态": "正常"}),
        row_of(persons["refused"], **{"人员状态": "死亡", "状态日期": "2025-03-01", "联系电话": "13700009999"}),
        row_of(persons["phone_only"], **{"联系电话": "13700005678"}),
        row_of(persons["unchanged"]),
        row_of(
            persons["dies_and_moves"],
            **{"人员状态": "死亡", "状态日期": "2025-11-30", "村居": "丰乐社区", "是否独居": "是"},
        ),
        person_row(name="新人", sequence=401),
    ]


def _state(result, signals: dict[str, list]) -> dict:
    """Everything the import left, keyed by ID number and in write order, not by id."""
    number = dict(Person.objects.values_list("pk", "id_number"))

    def fields(instance, skipped):
        values = {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}
        return {k: v for k, v in values.items() if k not in skipped and k != "person_id"}

    return {
        "counts": result.counts(),
        "rejected": [(r.row, r.reason_text) for r in result.rejected],
        "persons": {p.id_number: fields(p, PERSON_SKIPPED) for p in Person.objects.all()},
        "updated": sorted(
            number[pk] for pk in Person.objects.filter(updated_at__year=2026).values_list("pk", flat=True)
        ),
        "events": [
            (number[e.person_id], fields(e, EVENT_SKIPPED))
            for e in PersonEvent.objects.order_by("person__id_number", "id")
        ],
        "history": [
            (number[h.id], fields(h, HISTORY_SKIPPED))
            for h in HistoricalPerson.objects.order_by("id_number", "history_id")
        ],
        "person_counts": sorted(
            PersonCount.objects.filter(persons__gt=0).values_list(
                "area_id", "status", "category", "grade", "economic_status", "lives_alone", "persons"
            )
        ),
        # Sent for each status event one by one, once for them all in bulk: the same refresh.
        "records_changed": sorted(set(signals["records_changed"])),
        "moves": [{number[pk]: area for pk, area in moves.items()} for moves in signals["moves"]],
        "refresh_queued": sorted(
            callback.indicators_refresh
            for _, callback, _ in connection.run_on_commit
            if hasattr(callback, "indicators_refresh")
        ),
    }


@pytest.fixture
def signals():
    from canlian.signals import records_changed

    seen = {"records_changed": [], "moves": []}

    def changed(sender, *, source, **kwargs):
        seen["records_changed"].append((sender.__name__, source))

    def moved(sender, *, moves, **kwargs):
        seen["moves"].append(moves)

    records_changed.connect(changed, dispatch_uid="test_import_events_bulk")
    persons_moved.connect(moved, dispatch_uid="test_import_events_bulk")
    yield seen
    records_changed.disconnect(dispatch_uid="test_import_events_bulk")
    persons_moved.disconnect(dispatch_uid="test_import_events_bulk")


def _import_both_ways(monkeypatch, signals, user, path) -> tuple[dict, dict]:
    states = {}
    for in_bulk in (False, True):
        monkeypatch.setattr(imports, "_events_in_bulk", lambda in_bulk=in_bulk: in_bulk)
        signals["records_changed"].clear(), signals["moves"].clear()
        with transaction.atomic():
            result = imports.persons_import(user=user, path_or_file=path, source_name=path.name)
            states[in_bulk] = _state(result, signals)
            transaction.set_rollback(True)
    return states[False], states[True]


def test_a_reimport_written_in_bulk_leaves_what_one_by_one_leaves(users, registry, signals, monkeypatch, tmp_path):
    path = write_workbook(tmp_path / "复核.xlsx", _rows(registry))
    one_by_one, in_bulk = _import_both_ways(monkeypatch, signals, users["officer"], path)
    assert in_bulk == one_by_one

    # And what both left is what the rule asks for, so the comparison is not of two wrongs.
    assert one_by_one["counts"] == {"created": 1, "updated": 6, "unchanged": 1, "rejected": 1, "total": 9}
    assert one_by_one["rejected"] == [(6, "人员状态：该人员在 2025-03-01 已是此状态，无需登记")]
    persons = {key: one_by_one["persons"][p.id_number] for key, p in registry.items()}
    assert (persons["dies"]["status"], persons["dies"]["status_date"]) == (Status.DECEASED, D(2026, 1, 5))
    regraded = persons["regraded"]
    assert (regraded["grade"], regraded["certificate_valid_until"], regraded["phone"]) == (
        1,
        D(2030, 6, 30),
        "13700001234",
    )
    assert regraded["certificate_number"] == registry["regraded"].id_number + "41"
    moved = persons["moved_before_death"]
    assert (moved["status"], moved["status_date"]) == (Status.DECEASED, D(2025, 6, 1))
    assert (persons["restored"]["status"], persons["restored"]["status_date"]) == (Status.ACTIVE, None)
    assert persons["refused"] == {**persons["refused"], "status": Status.ACTIVE, "phone": "13812345678"}
    # A move is a change request, which a person who died cannot have (a warning of the row).
    assert persons["dies_and_moves"]["area_id"] == registry["dies_and_moves"].area_id

    chain = sorted(
        (e["date"], e["kind"], e["old_value"], e["new_value"])
        for number, e in one_by_one["events"]
        if number == registry["moved_before_death"].id_number
    )
    assert chain == [
        (D(2025, 2, 1), EventKind.MOVED_OUT, "active", "moved_out"),
        (D(2025, 6, 1), EventKind.DEATH, "moved_out", "deceased"),  # re-linked by the earlier event
    ]
    regraded_records = [
        (h["history_type"], h["grade"], h["certificate_valid_until"], h["phone"], h["history_change_reason"])
        for number, h in one_by_one["history"]
        if number == registry["regraded"].id_number
    ]
    today = datetime.date.today()
    assert regraded_records == [
        ("+", 2, None, "13812345678", None),
        ("~", 1, None, "13812345678", f"等级变更（{today:%Y-%m-%d}）"),  # each event its own record
        ("~", 1, D(2030, 6, 30), "13812345678", f"证件换发（{today:%Y-%m-%d}）"),
        ("~", 1, D(2030, 6, 30), "13700001234", "Excel 导入：复核.xlsx"),  # then the plain change
    ]
    assert ("Person", "registry") in one_by_one["records_changed"]
    assert one_by_one["refresh_queued"] and one_by_one["moves"] == []


def test_a_reimport_without_events_writes_nothing_in_bulk(users, registry, signals, monkeypatch, tmp_path):
    path = write_workbook(tmp_path / "复核.xlsx", [row_of(registry["phone_only"], **{"联系电话": "13700005678"})])
    one_by_one, in_bulk = _import_both_ways(monkeypatch, signals, users["officer"], path)
    assert in_bulk == one_by_one
    assert not [e for _, e in in_bulk["events"] if e["source"] == "复核.xlsx"]


def test_two_reimports_in_one_transaction_each_write_their_events(users, registry, monkeypatch, tmp_path):
    monkeypatch.setattr(imports, "_events_in_bulk", lambda: True)
    first = write_workbook(
        tmp_path / "一.xlsx", [row_of(registry["dies"], **{"人员状态": "死亡", "状态日期": "2026-01-05"})]
    )
    second = write_workbook(tmp_path / "二.xlsx", [row_of(registry["restored"], **{"人员状态": "正常"})])
    with transaction.atomic():
        imports.persons_import(user=users["officer"], path_or_file=first, source_name=first.name)
        imports.persons_import(user=users["officer"], path_or_file=second, source_name=second.name)
    sources = PersonEvent.objects.filter(source__endswith=".xlsx").order_by("id").values_list("source", "kind")
    assert list(sources) == [("一.xlsx", EventKind.DEATH), ("二.xlsx", EventKind.RESTORED)]
    assert Person.objects.get(pk=registry["dies"].pk).status == Status.DECEASED
    assert Person.objects.get(pk=registry["restored"].pk).status == Status.ACTIVE


def test_status_events_written_in_bulk_ask_for_the_figures_refresh_themselves(users, registry, signals):
    from registry.services import person_event_decide, person_events_write, persons_with_events

    dies = registry["dies"]
    held, chains = persons_with_events([dies.pk], lock=True)
    _, change = person_event_decide(
        user=users["officer"],
        locked=held[dies.pk],
        chain=chains[(dies.pk, "status")],
        kind=EventKind.DEATH,
        date=D(2026, 1, 5),
    )
    person_events_write([change])
    assert signals["records_changed"] == [("Person", "registry")]
    stored = Person.objects.get(pk=dies.pk)
    assert (stored.status, stored.status_date, stored.history.latest().history_change_reason) == (
        Status.DECEASED,
        D(2026, 1, 5),
        "死亡（2026-01-05）",
    )
    assert change.event.pk == PersonEvent.objects.get(person=dies, kind=EventKind.DEATH).pk
