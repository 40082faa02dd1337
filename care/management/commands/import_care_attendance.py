"""`python manage.py import_care_attendance FILE.xlsx [--user NAME] [--rejected OUT.xlsx]`"""

from canlian.import_command import ImporterCommand
from care.imports import AttendanceImporter


class Command(ImporterCommand):
    importer = AttendanceImporter
    help = (
        "导入日间照料机构的考勤（列：公民身份号码、机构编号、日期、出勤（是/否）、缺勤原因）。"
        "文件可读即退出码为 0，即使有行被拒绝；文件被拒绝时退出码非 0。"
    )
