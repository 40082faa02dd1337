"""python manage.py backup [--output FILE] — a copy of the whole database (make backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from canlian.backups import BackupError, backup_write, default_path


class Command(BaseCommand):
    help = "备份整个数据库（PostgreSQL 用 pg_dump，SQLite 用其在线备份）"

    def add_arguments(self, parser):
        parser.add_argument("--output", help="备份文件路径（默认 var/backups/canlian-日期-时间.dump 或 .sqlite3）")

    def handle(self, *args, output=None, **options):
        path = Path(output) if output else default_path()
        try:
            backup_write(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"已备份到 {path}（{path.stat().st_size / 1048576:.1f} MB）")
