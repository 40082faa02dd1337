"""python manage.py import_areas FILE.xlsx — load communities/villages from official codes."""

from django.core.management.base import BaseCommand, CommandError

from areas.services import AreasImportError, areas_import


class Command(BaseCommand):
    help = "从区划代码工作簿（列：区划代码、名称）导入或更新村(居)"

    def add_arguments(self, parser):
        parser.add_argument("file", help=".xlsx 工作簿，第一行为表头")

    def handle(self, *args, **options):
        try:
            result = areas_import(path=options["file"])
        except AreasImportError as exc:
            raise CommandError(f"文件被拒绝：{exc}") from None
        self.stdout.write(result.summary())
        for row in result.rows:
            if row.note:
                self.stdout.write(f"  第 {row.row} 行 {row.code} {row.name}：{row.note}")
        rejected = result.rejected_rows
        if rejected:
            self.stdout.write(self.style.WARNING(f"被拒绝的行（{len(rejected)}）："))
            for row in rejected:
                self.stdout.write(f"  第 {row.row} 行 {row.code or '（空）'} {row.name}：{row.reason}")
