"""The same file imported twice changes nothing the second time."""

from unittest import mock

import pytest

from canlian.signals import records_changed
from registry import imports
from registry.imports import persons_import
from registry.models import Person, PersonEvent
from registry.testing import make_id_number
from registry.tests.workbooks import person_row, write_workbook

HistoricalPerson = Person.history.model


def _counts() -> tuple[int, int, int]:
    return Person.objects.count(), PersonEvent.objects.count(), HistoricalPerson.objects.count()


@pytest.fixture
def workbook(tmp_path, person):
    """New persons, one with a status, plus an update of the fixture person's grade and phone."""
    rows = [
        person_row(name="王小明", sequence=135),
        person_row(name="赵丽", sequence=136, category=5, grade=3, **{"残疾类别": "智力", "残疾等级": "三级"}),
        person_row(name="周强", sequence=137, **{"人员状态": "迁出", "状态日期": "2023-09-01"}),
        person_row(
            name=person.name,
            sequence=123,
            birth="19800101",
            grade=1,
            **{
                "联系电话": "13500005555",
                "人员状态": "死亡",
                "状态日期": "2025-02-01",
                "有效期至": "2031-12-31",
                "经济状况": "低保边缘",
            },
        ),
        person_row(name="坏行", sequence=139, **{"公民身份号码": make_id_number(sequence=139)[:17] + "0"}),
    ]
    return write_workbook(tmp_path / "twice.xlsx", rows)


def test_the_second_import_of_a_file_reports_every_row_unchanged(users, workbook):
    first = persons_import(user=users["officer"], path_or_file=workbook, source_name="twice.xlsx")
    assert (first.created, first.updated, first.rejected_count) == (3, 1, 1), first.rejected
    second = persons_import(user=users["officer"], path_or_file=workbook, source_name="twice.xlsx")
    assert second.counts() == {"created": 0, "updated": 0, "unchanged": 4, "rejected": 1, "total": 5}


def test_the_second_import_writes_no_person_event_or_history_row(users, workbook):
    persons_import(user=users["officer"], path_or_file=workbook, source_name="twice.xlsx")
    before = _counts()
    assert before[1] >= 4  # death, grade, economic status, renewal of the fixture person
    persons_import(user=users["officer"], path_or_file=workbook, source_name="twice.xlsx")
    assert _counts() == before


def test_the_second_import_builds_no_person_instance(users, workbook):
    """Unchanged rows are compared with the stored columns as tuples: a reimport of 100,000
    persons spent a third of its time building model instances it did not need."""
    persons_import(user=users["officer"], path_or_file=workbook, source_name="twice.xlsx")
    with (
        mock.patch.object(Person, "from_db", side_effect=AssertionError("a Person was built")),
        mock.patch.object(Person.objects, "bulk_update", side_effect=AssertionError("flags rewritten")),
        mock.patch.object(imports, "_columns_write", side_effect=AssertionError("columns rewritten")),
    ):
        second = persons_import(user=users["officer"], path_or_file=workbook, source_name="twice.xlsx")
    assert second.unchanged == 4


def test_only_the_import_that_changes_persons_asks_for_the_figures_refresh(users, workbook):
    sent = []

    def receiver(sender, *, source, **kwargs):
        sent.append(source)

    records_changed.connect(receiver, dispatch_uid="test_import_twice")
    try:
        persons_import(user=users["officer"], path_or_file=workbook, source_name="twice.xlsx")
        first = len(sent)  # the import's, and its recorded events'
        assert first and set(sent) == {"registry"}
        persons_import(user=users["officer"], path_or_file=workbook, source_name="twice.xlsx")
        assert len(sent) == first
    finally:
        records_changed.disconnect(dispatch_uid="test_import_twice")
