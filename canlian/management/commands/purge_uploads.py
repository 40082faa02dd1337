"""python manage.py purge_uploads — delete the uploaded workbooks of imports uploaded more
than UPLOAD_RETENTION_DAYS ago (their jobs keep their reports and note the deletion), and
the files of the records' folders that no row names, as old (the leftovers of refused
writes). Application attachments, change-request evidence and visit photos that a row names
are records and stay (canlian.uploads).

For the nightly timer (cron, a systemd timer), beside `exports_clean` and
`refresh_indicators`; each import job runs it too as it starts."""

from django.conf import settings
from django.core.management.base import BaseCommand

from canlian.uploads import record_orphans_purge, uploads_purge


class Command(BaseCommand):
    help = "删除超过保留天数的导入上传文件（导入结果保留，并注明文件已删除）"

    def handle(self, *args, **options):
        purged, orphans = uploads_purge(), record_orphans_purge()
        days = settings.UPLOAD_RETENTION_DAYS
        self.stdout.write(f"已删除 {purged} 个超过 {days} 天的上传文件（导入结果保留）。")
        if orphans:
            self.stdout.write(f"已删除 {orphans} 个超过 {days} 天、不属于任何记录的附件或照片。")
