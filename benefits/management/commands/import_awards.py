"""`python manage.py import_awards FILE.xlsx [--user NAME] [--rejected OUT.xlsx]`"""

from pathlib import Path

from accounts.models import User
from benefits.award_import import awards_import
from registry.imports import ImportResult
from registry.management.commands.import_persons import Command as PersonImportCommand


class Command(PersonImportCommand):
    """The options, user, progress and report of `import_persons`; the rows are awards."""

    help = (
        "导入旧系统的补贴享受名单（列：公民身份号码、补贴项目、起始月份、终止月份）。"
        "文件可读即退出码为 0，即使有行被拒绝；文件被拒绝时退出码非 0。"
    )

    def run_import(self, *, user: User, path: Path, progress) -> ImportResult:
        # An award file is read and written in one pass without progress steps: no bar is
        # drawn, the report follows when it is done.
        return awards_import(user=user, path_or_file=path, source_name=path.name)
