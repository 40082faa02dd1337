"""python manage.py find_duplicates — the nightly duplicate check (cron or a systemd timer,
like refresh_indicators): the pairs page lists what it finds, and a reviewer can also run it
from there as a background job."""

from django.core.management.base import BaseCommand

from canlian.audit import audit_write
from registry.duplicates import duplicates_find


class Command(BaseCommand):
    help = "检查疑似重复登记的人员（每晚运行）：姓名和出生日期相同、残疾人证号相同、同一住址同名"

    def handle(self, *args, **options):
        found = duplicates_find()
        audit_write(
            action="registry.duplicates.checked",
            user=None,
            data={"open": found.open, "new": found.new, "dropped": found.dropped, "by": "find_duplicates"},
        )
        self.stdout.write(found.message)
