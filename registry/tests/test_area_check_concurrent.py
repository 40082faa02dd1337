"""The area check of registry 0014 between two sessions (PostgreSQL), as the foreign key it
replaced behaved: a person's write locks the areas it names (FOR KEY SHARE) until its
transaction ends, so an area deleted meanwhile waits for it and is then refused if the
person was committed, and a person written into an area that another session is deleting
waits for that session and is then refused if the area is gone. A file of its own: its
tests commit, and pytest-django runs such tests last."""

import threading
import time

import psycopg
import pytest
from django.db import IntegrityError, connection, transaction

from areas.models import Area, Level
from registry.models import Person
from registry.tests.test_area_check import _person

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite: one writer, nothing runs concurrently"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DELETE = "DELETE FROM areas_area WHERE code = %s"


def _session() -> psycopg.Connection:
    """A second session on the test database, which gives up a lock wait after 20 s (so a
    test fails rather than hangs)."""
    other = psycopg.connect(**{k: v for k, v in connection.get_connection_params().items() if k != "cursor_factory"})
    other.execute("SET lock_timeout = '20s'")
    other.commit()
    return other


def _blocked(by: psycopg.Connection | None, pid: int) -> bool:
    """Whether the backend `pid` waits for a lock (asked on `by`, or on Django's connection)."""
    if by is not None:
        return bool(by.execute("SELECT pg_blocking_pids(%s)", [pid]).fetchone()[0])
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_blocking_pids(%s)", [pid])
        return bool(cursor.fetchone()[0])


def _wait_until_blocked(pid: int, by: psycopg.Connection | None = None) -> None:
    for _ in range(400):
        if _blocked(by, pid):
            return
        time.sleep(0.025)
    raise AssertionError(f"session {pid} never waited for a lock")


def _delete_in_thread(other: psycopg.Connection, code: str, outcome: dict) -> threading.Thread:
    def run() -> None:
        try:
            other.execute(DELETE, [code])
            other.commit()
            outcome["deleted"] = True
        except psycopg.Error as exc:
            other.rollback()
            outcome["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.parametrize("commit", [True, False], ids=["person committed", "person rolled back"])
def test_an_area_deleted_while_a_person_is_written_into_it_waits_for_that_transaction(areas, commit):
    code = areas["baisha_a"].code
    other = _session()
    outcome: dict = {}
    try:
        try:
            with transaction.atomic():
                _person(code).save()
                thread = _delete_in_thread(other, code, outcome)
                _wait_until_blocked(other.info.backend_pid)
                assert outcome == {}  # still waiting for the person's transaction
                if not commit:
                    raise RuntimeError("the import fails")
        except RuntimeError:
            pass
        thread.join(timeout=30)
        assert not thread.is_alive()
    finally:
        other.close()
    if commit:
        assert isinstance(outcome.get("error"), psycopg.errors.ForeignKeyViolation), outcome
        assert Area.objects.filter(code=code).exists() and Person.objects.filter(area_id=code).count() == 1
    else:
        assert outcome == {"deleted": True}
        assert not Area.objects.filter(code=code).exists() and not Person.objects.exists()


def test_a_person_written_into_an_area_being_deleted_waits_and_is_refused_once_it_is_gone(areas):
    area = Area.objects.create(code="440703002098", name="新社区", level=Level.COMMUNITY, parent=areas["baisha"])
    other = _session()
    try:
        other.execute(DELETE, [area.code])  # deleted, not yet committed
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (pid,) = cursor.fetchone()

        def commit_once_the_person_waits() -> None:
            try:
                _wait_until_blocked(pid, by=other)
            finally:
                other.commit()  # never leaves the person waiting (if it never waited, it was not refused)

        committer = threading.Thread(target=commit_once_the_person_waits)
        committer.start()
        with pytest.raises(IntegrityError, match="is not present in areas_area"), transaction.atomic():
            _person(area.code).save()
        committer.join(timeout=30)
        assert not committer.is_alive()
    finally:
        other.close()
    assert not Area.objects.filter(code=area.code).exists() and not Person.objects.exists()
