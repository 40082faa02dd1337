from django.core.management.base import BaseCommand

from benefits.management.commands._common import month_arg, scheme_arg
from benefits.selectors import eligible_persons


class Command(BaseCommand):
    help = "List the ID numbers of the persons eligible for a scheme in a month, one a line, sorted."

    def add_arguments(self, parser):
        parser.add_argument("--scheme", required=True, help="scheme code, e.g. nursing or living")
        parser.add_argument("--month", required=True, help="2021-01 or 2021/1")
        parser.add_argument("--out", help="write to this file instead of standard output")

    def handle(self, *args, scheme, month, out=None, **options):
        scheme, month = scheme_arg(scheme), month_arg(month)
        numbers = eligible_persons(scheme, month).order_by("id_number").values_list("id_number", flat=True)
        if out:
            count = 0
            with open(out, "w", encoding="utf-8") as handle:
                for number in numbers.iterator(chunk_size=5000):
                    handle.write(number + "\n")
                    count += 1
            self.stderr.write(f"{scheme.name} {month:%Y-%m}：符合条件 {count} 人，已写入 {out}")
        else:
            for number in numbers.iterator(chunk_size=5000):
                self.stdout.write(number)
