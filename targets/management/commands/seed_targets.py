"""python manage.py seed_targets [--year 2026] [--split] — the seed's numbers as the
district's targets of a year (`make demo`), for the indicators that have none yet, and the
month-end figures of its past months that have none. With --split (the demo), the targets
it set are split among the towns by their share of certified persons, as the district
administrator would on the split page, so a town's dashboard and report have targets too."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from targets.models import Target
from targets.services import seed_targets, stock_month_ends_record, targets_split


class Command(BaseCommand):
    help = "按种子文件中的数字设置全区年度目标（已设置的不改）"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="年度（默认今年）")
        parser.add_argument("--split", action="store_true", help="把新设的全区目标按持证人数分解到各镇(街)")

    def handle(self, *args, year: int | None, split: bool = False, **options):
        year = year or timezone.localdate().year
        before = set(Target.objects.filter(year=year).values_list("indicator", flat=True))
        made = seed_targets(year=year)
        if split and made:
            admin = User.objects.filter(role=Role.DISTRICT_ADMIN, is_active=True).order_by("pk").first()
            if admin is None:
                raise CommandError("找不到区残联管理员账号，无法分解目标")
            new = sorted(set(Target.objects.filter(year=year).values_list("indicator", flat=True)) - before)
            towns = targets_split(user=admin, year=year, keys=new)
            self.stdout.write(f"{year} 年度：{len(new)} 项全区目标已按持证人数分解为 {towns} 项镇(街)目标")
        # The demo's district went live before today: its stock has a figure for each
        # month-end since, not only the current month's.
        months = stock_month_ends_record(year=year)
        self.stdout.write(f"{year} 年度：新设全区目标 {made} 项，补记往月月末数 {months} 行")
