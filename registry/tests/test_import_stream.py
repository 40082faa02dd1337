"""The import validates and writes in one pass: rows in ID-number order, each new person sent
to the database as soon as its row is checked (on PostgreSQL one COPY), the report still in
the file's order, and progress reported along the way."""

import pytest
from django.db import connection

from canlian.importing import run_import
from canlian.models import Job
from registry import imports
from registry.imports import persons_import
from registry.models import Person
from registry.tests.workbooks import import_job, person_row, write_workbook

ROWS = 450  # more than two rounds of progress (imports.PROGRESS_EVERY)


@pytest.fixture
def many(tmp_path):
    """ROWS new persons, their ID numbers falling as the rows go down; row 5 repeats row 3's
    number, row 7 is of an unknown community."""
    rows = [person_row(name=f"测试{'甲乙丙丁戊己庚辛壬癸'[n % 10]}", sequence=900 - n) for n in range(ROWS)]
    rows[3] = person_row(name="重复", sequence=900 - 1)
    rows[5] = person_row(name="错村", sequence=900 - 5, **{"村居": "不存在社区"})
    return write_workbook(tmp_path / "多行.xlsx", rows)


def test_new_persons_get_their_ids_in_id_number_order_and_the_report_keeps_the_file_order(users, many):
    calls = []
    result = persons_import(
        user=users["officer"], path_or_file=many, source_name="多行.xlsx", progress=lambda *a: calls.append(a)
    )
    assert result.counts() == {"created": ROWS - 3, "updated": 0, "unchanged": 0, "rejected": 3, "total": ROWS}
    assert [r.row for r in result.rejected] == [3, 5, 7]  # row 1 is the header
    assert "第 3、5 行" in result.rejected[0].reason_text
    numbers = list(Person.objects.order_by("pk").values_list("id_number", flat=True))
    assert numbers == sorted(numbers) and len(numbers) == ROWS - 3
    assert calls == [(0, ROWS), (200, ROWS), (400, ROWS), (ROWS, ROWS)]


def test_the_import_task_reports_progress_while_it_writes_and_finishes(users, many, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    job = import_job(users["officer"], many.read_bytes(), name="多行.xlsx")
    run_import.enqueue(job.pk)
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.message
    counts = job.report["counts"]
    assert (counts["created"], counts["rejected"], job.processed, job.total) == (ROWS - 3, 3, ROWS, ROWS)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY is PostgreSQL's")
def test_ids_drawn_for_rows_that_are_then_rejected_are_left_unused(users, many, monkeypatch):
    drawn = []
    original = imports._new_persons_writer

    def spy(**kwargs):
        drawn.append(kwargs["expected"])
        return original(**kwargs)

    monkeypatch.setattr(imports, "_new_persons_writer", spy)
    persons_import(user=users["officer"], path_or_file=many, source_name="多行.xlsx")
    # Row 7 (unknown community) was a candidate until parsed; the repeated number was not.
    assert drawn == [ROWS - 2]
    assert Person.objects.count() == ROWS - 3


def test_an_error_while_parsing_waits_for_the_lookup_and_leaves_the_connection_usable(users, many, monkeypatch):
    parse = imports.RowParser.parse
    calls = []

    def failing(self, number, row):
        calls.append(number)
        if len(calls) == 3:
            raise RuntimeError("a bug in a cell parser")
        return parse(self, number, row)

    monkeypatch.setattr(imports.RowParser, "parse", failing)
    with pytest.raises(RuntimeError):
        persons_import(user=users["officer"], path_or_file=many, source_name="多行.xlsx")
    assert not connection.allow_thread_sharing
    assert Person.objects.count() == 0
