"""The management command of every import (`manage.py import_persons`, `import_awards`, ...):
`FILE.xlsx [--user USERNAME] [--rejected OUT.xlsx]`, a progress bar, the row report."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.db.models import Q

from accounts.models import User
from accounts.roles import Role
from canlian.importing import Importer, ImportRefused, ImportResult

BAR_WIDTH = 30


class ImporterCommand(BaseCommand):
    """Subclass as `Command` with `importer = SomeImporter` and a `help` in Chinese."""

    importer: type[Importer]

    def add_arguments(self, parser):
        parser.add_argument("file", help="要导入的 Excel 文件")
        parser.add_argument(
            "--user",
            help="以哪个用户的身份导入（决定管辖范围，记入历史）；默认为第一个有效的超级用户或区残联管理员",
        )
        parser.add_argument("--rejected", metavar="OUT.xlsx", help="把被拒绝的行写入此工作簿")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        user = self._user(options["user"])
        bar = ProgressBar(self.stderr)
        try:
            result = self.run_import(user=user, path=path, progress=bar.update)
        except ImportRefused as exc:
            bar.finish()
            raise CommandError(f"文件未导入：{exc}") from exc
        bar.finish()

        self.stdout.write(f"{path.name}：{result.summary()}")
        for row in result.rejected:
            self.stdout.write(f"  第 {row.row} 行：{row.reason_text}")
        if result.warnings:
            self.stdout.write(f"提示 {len(result.warnings)} 条：")
            for warning in result.warnings:
                self.stdout.write(f"  第 {warning.row} 行 {warning.column}：{warning.message}")
        if options["rejected"]:
            out = Path(options["rejected"])
            result.rejected_write(str(out))
            self.stdout.write(f"被拒绝的 {result.rejected_count} 行已写入 {out}")

    def run_import(self, *, user: User, path: Path, progress) -> ImportResult:
        return self.importer(user=user, source_name=path.name).run(path, progress)

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


class ProgressBar:
    """A text bar redrawn in place on a terminal; elsewhere (a log) a line every 10%."""

    def __init__(self, stream: OutputWrapper) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.last_tenth = -1
        self.drawn = False

    def update(self, processed: int, total: int) -> None:
        fraction = processed / total if total else 1.0
        if self.tty:
            filled = int(BAR_WIDTH * fraction)
            bar = "#" * filled + "." * (BAR_WIDTH - filled)
            self.stream.write(f"\r检查 [{bar}] {fraction:4.0%} {processed}/{total}", ending="", style_func=str)
            self.stream.flush()
            self.drawn = True
            return
        tenth = int(fraction * 10)
        if tenth > self.last_tenth:
            self.last_tenth = tenth
            self.stream.write(f"已检查 {processed}/{total} 行（{tenth * 10}%）", style_func=str)

    def finish(self) -> None:
        if self.drawn:
            self.stream.write("", style_func=str)
            self.stream.flush()
            self.drawn = False
