"""python manage.py seed_targets [--year 2026] — the seed's numbers as the district's
targets of a year (`make demo`), for the indicators that have none yet, and the month-end
figures of its past months that have none."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from targets.services import seed_targets, stock_month_ends_record


class Command(BaseCommand):
    help = "按种子文件中的数字设置全区年度目标（已设置的不改）"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="年度（默认今年）")

    def handle(self, *args, year: int | None, **options):
        year = year or timezone.localdate().year
        made = seed_targets(year=year)
        # The demo's district went live before today: its stock has a figure for each
        # month-end since, not only the current month's.
        months = stock_month_ends_record(year=year)
        self.stdout.write(f"{year} 年度：新设全区目标 {made} 项，补记往月月末数 {months} 行")
