import csv

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from benefits.management.commands._common import month_arg, scheme_arg, terminal_progress, user_arg
from benefits.payroll import PayrollError, payment_lines, payroll_generate


class Command(BaseCommand):
    help = (
        "Generate (or regenerate) the draft payroll batch of a scheme for a month, prepared by USER; "
        "--csv writes its lines (公民身份号码,金额,月数) sorted by ID."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scheme", required=True)
        parser.add_argument("--month", required=True)
        parser.add_argument("--user", required=True, help="the preparer's user name")
        parser.add_argument("--csv", help="write the payment lines to this CSV file")

    def handle(self, *args, scheme, month, user, csv=None, **options):
        scheme, month, user = scheme_arg(scheme), month_arg(month), user_arg(user)
        try:
            batch = payroll_generate(scheme=scheme, month=month, user=user, progress=terminal_progress("生成发放明细"))
        except (PayrollError, PermissionDenied) as exc:
            raise CommandError(str(exc)) from None
        if csv:
            write_csv(batch, csv)
        self.stdout.write(
            f"{scheme.name} {month:%Y-%m} 草稿（版本 {batch.version}）：{batch.person_count} 人，"
            f"{batch.month_count} 人月，合计 {batch.total_fen / 100:.2f} 元"
        )


def write_csv(batch, path: str) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["公民身份号码", "金额", "月数"])
        for line in payment_lines(batch).iterator(chunk_size=5000):
            amount = line["amount_fen"]
            writer.writerow([line["person__id_number"], f"{amount // 100}.{amount % 100:02d}", line["months"]])
