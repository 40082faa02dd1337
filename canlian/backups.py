"""Backups of the whole database and their restore: `pg_dump`/`pg_restore` (custom format)
on PostgreSQL, SQLite's online backup API on the demo's embedded database. `manage.py
backup` and `manage.py restore` (`make backup`, `make restore FILE=...`) call these."""

import os
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone


class BackupError(Exception):
    """A backup or restore that failed; the message says why, in Chinese."""


def default_path(alias: str = "default") -> Path:
    engine = _vendor(alias)
    suffix = "dump" if engine == "postgresql" else "sqlite3"
    folder = settings.VAR_DIR / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"canlian-{timezone.localtime():%Y%m%d-%H%M%S}.{suffix}"


def backup_write(path: Path, alias: str = "default") -> Path:
    """Write a consistent copy of the database `alias` to `path`."""
    vendor = _vendor(alias)
    if vendor == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(path), _database(alias)], alias)
    else:
        connection = connections[alias]
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    return path


def backup_restore(path: Path, alias: str = "default") -> None:
    """Replace the database `alias` by the backup at `path` (every table it holds is
    dropped and written again from the backup)."""
    if not path.is_file():
        raise BackupError(f"备份文件不存在：{path}")
    vendor = _vendor(alias)
    connections[alias].close()
    if vendor == "postgresql":
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                _database(alias),
                str(path),
            ],
            alias,
        )
    else:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"备份文件已损坏：{path}")
            connection = connections[alias]
            connection.ensure_connection()
            source.backup(connection.connection)
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"不是可恢复的 SQLite 备份：{path}（{exc}）") from None
        finally:
            source.close()
    connections[alias].close()


def _vendor(alias: str) -> str:
    vendor = connections[alias].vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"不支持备份 {vendor} 数据库")
    return vendor


def _database(alias: str) -> str:
    return connections[alias].settings_dict["NAME"]


def _run(command: list[str], alias: str) -> None:
    """Run a PostgreSQL client with the connection's host, port, user and password."""
    params = connections[alias].settings_dict
    env = {**os.environ}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if params.get(key):
            env[variable] = str(params[key])
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} 失败：{result.stderr.strip()[-2000:]}")
