"""python manage.py restore FILE [--noinput] — replace the database by a backup (make
restore FILE=...)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from canlian.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = "用备份文件替换整个数据库（现有数据将被覆盖）"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--noinput", action="store_true", help="不询问，直接恢复")

    def handle(self, *args, file, noinput=False, **options):
        path = Path(file)
        if not noinput:
            name = connection.settings_dict["NAME"]
            answer = input(f"将用 {path} 覆盖数据库 {name} 中的全部数据。输入 yes 继续：")
            if answer.strip().lower() != "yes":
                raise CommandError("已取消，未做任何改动")
        try:
            backup_restore(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"已从 {path} 恢复")
