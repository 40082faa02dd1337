"""`manage.py backup` and `restore` (make backup / make restore FILE=...): a dump restored
into an empty database holds the same persons, payments and records."""

import datetime
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from benefits.models import Award, Scheme
from benefits.payroll import payroll_generate
from canlian.backups import BackupError, backup_restore
from conftest import make_person
from registry.models import Person

ROOT = Path(__file__).resolve().parents[2]
# What the check compares: persons, payments, and the records of who did what.
CHECK = [
    "SELECT string_agg(id_number || ':' || name, ',' ORDER BY id_number) FROM registry_person",
    "SELECT count(*) || '/' || coalesce(sum(amount_fen), 0) FROM benefits_paymentmonth",
    "SELECT count(*) FROM canlian_auditentry",
    "SELECT count(*) FROM accounts_user",
]


@pytest.fixture
def data(users, areas):
    living = Scheme.objects.get(code="living")
    persons = [
        make_person(areas["baisha_a"], name=f"备份{n}", sequence=301 + 2 * n, economic_status="dibao", grade=3)
        for n in range(3)
    ]
    for person in persons:
        Award.objects.create(
            person=person,
            scheme=living,
            area_code=person.area_id,
            start_month=datetime.date(2020, 1, 1),
            source=Award.Source.IMPORT,
        )
    batch = payroll_generate(scheme=living, month=datetime.date(2020, 6, 1), user=users["admin"])
    assert batch.months.count() == 18  # six months of back pay each
    return persons


def _psql(database: str, sql: str) -> str:
    params = connection.settings_dict
    command = ["psql", "-h", params["HOST"], "-p", str(params["PORT"] or 5432), "-U", params["USER"], "-At", "-d"]
    return subprocess.run([*command, database, "-c", sql], capture_output=True, text=True, check=True).stdout.strip()


# pg_dump reads from a connection of its own: the test's rows must be committed. The other
# tests need no committed rows, and so no flush after them.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("sqlite"), reason="PostgreSQL's pg_dump")
def test_a_dump_restored_into_an_empty_database_has_the_same_persons_payments_and_records(data, tmp_path):
    dump = tmp_path / "canlian.dump"
    call_command("backup", output=str(dump))
    source = connection.settings_dict["NAME"]
    expected = [_psql(source, sql) for sql in CHECK]
    assert expected[1].startswith("18/") and expected[2] != "0"

    empty = f"{source}_restore"
    _psql(source, f'DROP DATABASE IF EXISTS "{empty}"')
    _psql(source, f'CREATE DATABASE "{empty}"')
    try:
        params = connection.settings_dict
        url = f"postgres://{params['USER']}@{params['HOST']}:{params['PORT'] or 5432}/{empty}"
        env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1", "SECRET_KEY": "test-only"}
        result = subprocess.run(
            [sys.executable, "manage.py", "restore", str(dump), "--noinput"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        assert [_psql(empty, sql) for sql in CHECK] == expected
    finally:
        _psql(source, f'DROP DATABASE IF EXISTS "{empty}"')


def test_restore_refuses_a_missing_file(tmp_path):
    with pytest.raises(BackupError, match="备份文件不存在"):
        backup_restore(tmp_path / "none.dump")


def _sqlite_persons(path) -> list[tuple]:
    with closing(sqlite3.connect(path)) as db:
        return db.execute("SELECT name, id_number FROM registry_person ORDER BY id").fetchall()


@pytest.mark.django_db
def test_the_sqlite_demo_is_backed_up_and_restored_through_the_backup_api(tmp_path):
    """The demo's embedded database: `manage.py backup`, then `restore` into an empty file.
    SQLite's backup API copies the file's pages whatever tables it holds, so the demo's
    database is stood for by a file with a person table (a migrated one takes a minute)."""
    demo, backup, empty = tmp_path / "demo.sqlite3", tmp_path / "demo-backup.sqlite3", tmp_path / "empty.sqlite3"
    with closing(sqlite3.connect(demo)) as db:
        db.execute("CREATE TABLE registry_person (id INTEGER PRIMARY KEY, name TEXT, id_number TEXT)")
        db.executemany(
            "INSERT INTO registry_person (name, id_number) VALUES (?, ?)",
            [("演示备份", "440703199001011234"), ("演示恢复", "44070319900202123X")],
        )
        db.commit()
    env = {**os.environ, "DEBUG": "1", "SECRET_KEY": "test-only", "CANLIAN_VAR_DIR": str(tmp_path)}
    run = lambda db, *args: subprocess.run(  # noqa: E731
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**env, "DATABASE_URL": f"sqlite:///{db}"},
        capture_output=True,
        text=True,
    )
    saved = run(demo, "backup", "--output", str(backup))
    assert saved.returncode == 0, saved.stderr
    restored = run(empty, "restore", str(backup), "--noinput")
    assert restored.returncode == 0, restored.stderr
    persons = [("演示备份", "440703199001011234"), ("演示恢复", "44070319900202123X")]
    assert _sqlite_persons(demo) == persons
    assert _sqlite_persons(empty) == persons
    assert Person.objects.count() == 0  # the test database is untouched
