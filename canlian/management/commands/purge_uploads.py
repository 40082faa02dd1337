"""python manage.py purge_uploads — delete the uploaded workbooks of imports uploaded more
than UPLOAD_RETENTION_DAYS ago (their jobs keep their reports and note the deletion).

For the nightly timer (cron, a systemd timer), beside `exports_clean` and
`refresh_indicators`; each import job runs it too as it starts."""

from django.conf import settings
from django.core.management.base import BaseCommand

from canlian.uploads import uploads_purge


class Command(BaseCommand):
    help = "删除超过保留天数的导入上传文件（导入结果保留，并注明文件已删除）"

    def handle(self, *args, **options):
        purged = uploads_purge()
        self.stdout.write(f"已删除 {purged} 个超过 {settings.UPLOAD_RETENTION_DAYS} 天的上传文件（导入结果保留）。")
