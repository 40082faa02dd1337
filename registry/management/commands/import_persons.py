"""`python manage.py import_persons FILE.xlsx [--user USERNAME] [--rejected OUT.xlsx]`"""

from canlian.import_command import ImporterCommand
from registry.imports import PersonImporter


class Command(ImporterCommand):
    importer = PersonImporter
    help = (
        "导入持证残疾人名单（.xlsx/.xls，导入模板的列）。文件可读即退出码为 0，即使有行被拒绝；文件被拒绝时退出码非 0。"
    )
