"""`python manage.py import_rehab_services FILE.xlsx [--user NAME] [--rejected OUT.xlsx]`"""

from canlian.import_command import ImporterCommand
from rehab.imports import ServiceRecordImporter


class Command(ImporterCommand):
    importer = ServiceRecordImporter
    help = (
        "导入定点康复机构的康复服务记录（列：公民身份号码、项目编号、服务机构、服务日期、次数、备注）。"
        "文件可读即退出码为 0，即使有行被拒绝；文件被拒绝时退出码非 0。"
    )
