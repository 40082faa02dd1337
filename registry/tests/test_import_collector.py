"""The imports run with Python's cyclic garbage collector paused (canlian.collector), and
leave it as they found it, whether they finish, refuse the file or fail."""

import gc
from unittest import mock

import pytest

from benefits.award_import import awards_import
from canlian.collector import collector_paused
from canlian.importing import ImportRefused
from registry import comparison, imports
from registry.imports import persons_import
from registry.tests.workbooks import person_row, write_workbook


@pytest.fixture
def collector_on():
    assert gc.isenabled()
    yield
    gc.enable()  # whatever a failing test left


def test_the_person_import_parses_with_the_collector_paused_and_restores_it(users, tmp_path, collector_on):
    seen = []
    parse = imports.RowParser.parse

    def spy(self, number, row):
        seen.append(gc.isenabled())
        return parse(self, number, row)

    path = write_workbook(tmp_path / "a.xlsx", [person_row(name="王小明", sequence=135)])
    with mock.patch.object(imports.RowParser, "parse", spy):
        result = persons_import(user=users["officer"], path_or_file=path, source_name="a.xlsx")
    assert result.created == 1
    assert seen == [False]
    assert gc.isenabled()


@pytest.mark.parametrize(
    "run",
    [
        lambda user, path: persons_import(user=user, path_or_file=path, source_name="x.xlsx"),
        lambda user, path: comparison.events_import(user=user, path=path, source_name="x.xlsx"),
        lambda user, path: awards_import(user=user, path_or_file=path, source_name="x.xlsx"),
    ],
    ids=["persons", "events", "awards"],
)
def test_a_refused_file_leaves_the_collector_on(users, tmp_path, collector_on, run):
    path = tmp_path / "x.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(ImportRefused):
        run(users["admin"], path)
    assert gc.isenabled()


def test_an_import_that_fails_leaves_the_collector_on(users, tmp_path, collector_on):
    path = write_workbook(tmp_path / "a.xlsx", [person_row(name="王小明", sequence=135)])
    with (
        mock.patch.object(imports, "_new_person_values", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        persons_import(user=users["officer"], path_or_file=path, source_name="a.xlsx")
    assert gc.isenabled()


def test_a_pause_that_found_the_collector_off_leaves_it_off(collector_on):
    gc.disable()
    with collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()
