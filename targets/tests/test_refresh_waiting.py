"""Which queued refresh covers a write (`targets.tasks.refresh_waiting`): one of the same year
and source, or of every source, that has not started and is not limited to some indicators.
Run on both databases: the queue's JSON is read by key on PostgreSQL and SQLite alike."""

import datetime

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from targets.tasks import refresh_indicators, refresh_waiting

YEAR = datetime.date.today().year


@pytest.fixture(autouse=True)
def database_queue(settings, db):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_a_waiting_refresh_of_the_year_and_source_covers_it():
    assert not refresh_waiting(year=YEAR, source="registry")
    refresh_indicators.enqueue(year=YEAR, source="registry")
    assert refresh_waiting(year=YEAR, source="registry")
    assert not refresh_waiting(year=YEAR, source="payroll")
    assert not refresh_waiting(year=YEAR - 1, source="registry")


def test_a_waiting_refresh_of_every_source_covers_each():
    refresh_indicators.enqueue(year=YEAR, source=None)
    assert refresh_waiting(year=YEAR, source="registry") and refresh_waiting(year=YEAR, source="payroll")


def test_a_started_or_partial_refresh_does_not_cover_it():
    refresh_indicators.enqueue(year=YEAR, source="registry")
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING)
    refresh_indicators.enqueue(year=YEAR, source="registry", keys=["certified_persons"])
    assert not refresh_waiting(year=YEAR, source="registry")


def test_the_immediate_backend_has_no_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert not refresh_waiting(year=YEAR, source="registry")
