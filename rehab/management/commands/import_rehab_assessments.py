"""`python manage.py import_rehab_assessments FILE.xlsx [--user NAME] [--rejected OUT.xlsx]`"""

from canlian.import_command import ImporterCommand
from rehab.imports import NeedAssessmentImporter


class Command(ImporterCommand):
    importer = NeedAssessmentImporter
    help = (
        "导入康复需求评估（列：公民身份号码、评估日期、评估人、需求项目；需求项目为项目编号，用“、”或“,”分隔，或填“无需求”）。"
        "文件可读即退出码为 0，即使有行被拒绝；文件被拒绝时退出码非 0。"
    )
