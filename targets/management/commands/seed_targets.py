"""python manage.py seed_targets [--year 2026] — the seed's numbers as the district's
targets of a year (`make demo`), for the indicators that have none yet."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from targets.services import seed_targets


class Command(BaseCommand):
    help = "按种子文件中的数字设置全区年度目标（已设置的不改）"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="年度（默认今年）")

    def handle(self, *args, year: int | None, **options):
        year = year or timezone.localdate().year
        made = seed_targets(year=year)
        self.stdout.write(f"{year} 年度：新设全区目标 {made} 项")
