from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from benefits.management.commands._common import month_arg, scheme_arg, user_arg
from benefits.models import PayrollBatch
from benefits.payroll import PayrollError, payroll_approve


class Command(BaseCommand):
    help = (
        "Approve the draft payroll batch of a scheme for a month; the approver must not be its preparer, "
        "and --draft-version must be the draft's version that `payroll` printed (a draft generated again since "
        "is refused)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scheme", required=True)
        parser.add_argument("--month", required=True)
        parser.add_argument("--user", required=True, help="the approver's user name")
        parser.add_argument(
            "--draft-version", required=True, type=int, help="the draft's version, as `payroll` printed it"
        )

    def handle(self, *args, scheme, month, user, draft_version, **options):
        scheme, month, user = scheme_arg(scheme), month_arg(month), user_arg(user)
        batch = PayrollBatch.objects.filter(scheme=scheme, month=month).first()
        if batch is None:
            raise CommandError(f"{scheme.name} {month:%Y-%m} 没有草稿批次，请先生成")
        try:
            batch = payroll_approve(batch=batch, user=user, version=draft_version)
        except (PayrollError, PermissionDenied) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"已审核 {scheme.name} {month:%Y-%m}：{batch.person_count} 人，合计 {batch.total_fen / 100:.2f} 元"
        )
