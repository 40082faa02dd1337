"""python manage.py refresh_indicators [--year 2026] [--indicator KEY …] — recompute the
indicator values (the nightly run, and `make demo` after the payroll)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from targets.indicators import INDICATORS
from targets.services import indicators_refresh


class Command(BaseCommand):
    help = "重新计算指标数值（每晚运行；默认本年度全部指标）"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="年度（默认今年）")
        parser.add_argument("--indicator", action="append", default=None, help="只计算这些指标（可重复）")

    def handle(self, *args, year: int | None, indicator: list[str] | None, **options):
        unknown = [key for key in indicator or [] if key not in INDICATORS]
        if unknown:
            raise CommandError(f"未知的指标：{'、'.join(unknown)}；可用：{'、'.join(INDICATORS)}")
        year = year or timezone.localdate().year
        for done in indicators_refresh(year=year, keys=indicator):
            self.stdout.write(f"{INDICATORS[done.indicator].name}：{done.rows} 行，{done.seconds * 1000:.0f} ms")
