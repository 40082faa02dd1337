"""`python manage.py import_awards FILE.xlsx [--user NAME] [--rejected OUT.xlsx]`"""

from benefits.award_import import AwardImporter
from canlian.import_command import ImporterCommand


class Command(ImporterCommand):
    """The options, user, progress and report of every import; the rows are awards."""

    importer = AwardImporter
    help = (
        "导入旧系统的补贴享受名单（列：公民身份号码、补贴项目、起始月份、终止月份）。"
        "文件可读即退出码为 0，即使有行被拒绝；文件被拒绝时退出码非 0。"
    )
