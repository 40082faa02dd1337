"""python manage.py exports_clean — delete the files of background exports kept longer than
EXPORT_RETENTION_DAYS (their jobs are marked expired) and the files no job names.

The worker does the same at the start of every export job; this command is for a timer
(cron, a systemd timer) where the disk must be freed on days without exports too."""

from django.conf import settings
from django.core.management.base import BaseCommand

from canlian.export_jobs import exports_clean


class Command(BaseCommand):
    help = "删除超过保留天数的后台导出文件（其任务标记为已过期）和没有对应任务的文件"

    def handle(self, *args, **options):
        expired, orphans = exports_clean()
        self.stdout.write(
            f"已删除 {expired} 个超过 {settings.EXPORT_RETENTION_DAYS} 天的导出文件（任务已标记为过期），"
            f"{orphans} 个没有对应任务的文件。"
        )
