"""`python manage.py import_awards FILE.xlsx [--user NAME] [--rejected OUT.xlsx]`"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from accounts.models import User
from accounts.roles import Role
from benefits.award_import import awards_import
from registry.imports import ImportRefused


class Command(BaseCommand):
    help = (
        "导入旧系统的补贴享受名单（列：公民身份号码、补贴项目、起始月份、终止月份）。"
        "文件可读即退出码为 0，即使有行被拒绝；文件被拒绝时退出码非 0。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="要导入的 Excel 文件")
        parser.add_argument(
            "--user",
            help="以哪个用户的身份导入（决定管辖范围，记为登记人）；默认为第一个有效的超级用户或区残联管理员",
        )
        parser.add_argument("--rejected", metavar="OUT.xlsx", help="把被拒绝的行写入此工作簿")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        user = self._user(options["user"])
        try:
            result = awards_import(user=user, path_or_file=path, source_name=path.name)
        except ImportRefused as exc:
            raise CommandError(f"文件未导入：{exc}") from exc
        self.stdout.write(f"{path.name}：{result.summary()}")
        for row in result.rejected:
            self.stdout.write(f"  第 {row.row} 行：{row.reason_text}")
        if options["rejected"]:
            out = Path(options["rejected"])
            result.rejected_write(str(out))
            self.stdout.write(f"被拒绝的 {result.rejected_count} 行已写入 {out}")

    def _user(self, username: str | None) -> User:
        if username:
            try:
                return User.objects.get(username=username, is_active=True)
            except User.DoesNotExist:
                raise CommandError(f"用户不存在或已停用：{username}") from None
        user = (
            User.objects.filter(is_active=True)
            .filter(Q(is_superuser=True) | Q(role=Role.DISTRICT_ADMIN))
            .order_by("-is_superuser", "pk")
            .first()
        )
        if user is None:
            raise CommandError("没有可用的超级用户或区残联管理员，请用 --user 指定导入用户")
        return user
