"""A refresh is not queued again while one that covers it waits in the queue (the database
backend of `make demo` and production): a burst of committed writes queues one refresh,
not one each, and a write after the refresh has started queues the next. A file of its
own: its tests commit (the callbacks run at a real commit). Run on both databases; the
queue's look-up alone is `test_refresh_waiting.py`."""

import datetime

import pytest
from django.db import transaction
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from registry.services import person_event_record
from targets.services import indicators_refresh_on_commit
from targets.tasks import refresh_indicators

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

YEAR = datetime.date.today().year


@pytest.fixture(autouse=True)
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def queued() -> list[tuple[str, dict]]:
    rows = DBTaskResult.objects.filter(task_path=refresh_indicators.module_path).order_by("enqueued_at")
    return [(r.status, r.args_kwargs["kwargs"]) for r in rows]


def commit_a_write(source: str = "registry", year: int = YEAR) -> None:
    with transaction.atomic():
        indicators_refresh_on_commit(year=year, source=source)


def test_writes_committed_while_a_refresh_waits_queue_no_other(users, person, other_person):
    today = datetime.date.today()
    person_event_record(user=users["admin"], person=person, kind="death", date=today)
    person_event_record(user=users["admin"], person=other_person, kind="moved_out", date=today)
    commit_a_write()
    assert queued() == [("READY", {"year": YEAR, "source": "registry"})]


def test_a_write_after_the_refresh_started_queues_the_next():
    commit_a_write()
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING)  # a worker has claimed it
    commit_a_write()
    commit_a_write()
    assert [status for status, _ in queued()] == ["RUNNING", "READY"]


def test_only_a_waiting_refresh_of_the_same_year_and_source_or_of_every_source_counts():
    refresh_indicators.enqueue(year=YEAR, keys=["certified_persons"])  # some indicators only
    commit_a_write(source="payroll")
    commit_a_write(year=YEAR - 1)
    commit_a_write()
    assert len(queued()) == 4
    DBTaskResult.objects.all().delete()
    refresh_indicators.enqueue(year=YEAR, source=None)  # every source
    commit_a_write()
    commit_a_write(source="payroll")
    assert queued() == [("READY", {"year": YEAR, "source": None})]


def test_a_rolled_back_write_queues_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        indicators_refresh_on_commit(year=YEAR, source="registry")
        raise RuntimeError("the write fails")
    assert queued() == []
