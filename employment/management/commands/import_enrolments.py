"""`python manage.py import_enrolments FILE.xlsx [--user NAME] [--rejected OUT.xlsx]`"""

from canlian.import_command import ImporterCommand
from employment.imports import EnrolmentImporter


class Command(ImporterCommand):
    importer = EnrolmentImporter
    help = (
        "导入职业技能培训报名（列：公民身份号码、课程编号、报名日期、结业（是/否）、结业日期、结业证书编号）。"
        "文件可读即退出码为 0，即使有行被拒绝；文件被拒绝时退出码非 0。"
    )
