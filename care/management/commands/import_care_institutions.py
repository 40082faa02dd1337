"""`python manage.py import_care_institutions FILE.xlsx [--user NAME] [--rejected OUT.xlsx]`"""

from canlian.import_command import ImporterCommand
from care.imports import InstitutionImporter


class Command(ImporterCommand):
    importer = InstitutionImporter
    help = (
        "导入托养机构（列：机构编号、机构名称、类型、镇街、地址、核定人数），按机构编号新增或更新。"
        "文件可读即退出码为 0，即使有行被拒绝；文件被拒绝时退出码非 0。"
    )
