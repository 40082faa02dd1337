"""python manage.py indicator_values --year 2026 [--month 2026-05] --csv FILE [--refresh]
— every figure as the dashboard shows it, one row per indicator, area and month
(`targets.figures`), in a UTF-8 CSV with the header 指标代码,区划代码,月份,值."""

import csv
import io
import re

from django.core.management.base import BaseCommand, CommandError

from targets.figures import HEADER, figure_rows
from targets.services import indicators_refresh, stock_month_ends_record


class Command(BaseCommand):
    help = "导出各指标的数值（与看板一致）：指标代码,区划代码,月份,值"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="年度，如 2026")
        parser.add_argument("--month", default=None, help="只导出这个月，如 2026-05（默认全年及各月）")
        parser.add_argument("--csv", dest="path", default="-", help="输出文件（默认标准输出）")
        parser.add_argument("--refresh", action="store_true", help="先重新计算该年度的全部指标")

    def handle(self, *args, year: int, month: str | None, path: str, refresh: bool, **options):
        number = None
        if month is not None:
            match = re.fullmatch(r"(\d{4})-(\d{2})", month)
            if not match or not 1 <= int(match[2]) <= 12:
                raise CommandError(f"月份格式应为 YYYY-MM，如 {year}-05：{month}")
            if int(match[1]) != year:
                raise CommandError(f"月份 {month} 不在 {year} 年度内")
            number = int(match[2])
        if refresh:
            indicators_refresh(year=year)
            stock_month_ends_record(year=year)
        rows = list(figure_rows(year=year, month=number))
        if path == "-":
            text = io.StringIO()
            self._write(text, rows)
            self.stdout.write(text.getvalue(), ending="")
            return
        with open(path, "w", encoding="utf-8", newline="") as handle:
            self._write(handle, rows)
        self.stderr.write(f"已写入 {len(rows)} 行：{path}")

    @staticmethod
    def _write(handle, rows) -> None:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
