"""python manage.py import_areas FILE.xlsx — load communities/villages from official codes;
python manage.py import_areas --geojson FILE [--approximate] — load their boundaries."""

from django.core.management.base import BaseCommand, CommandError

from areas.boundaries import BoundaryFileError, boundaries_import
from areas.services import AreasImportError, areas_import


class Command(BaseCommand):
    help = "从区划代码工作簿（列：区划代码、名称）导入或更新村(居)；或用 --geojson 导入区划边界"

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help=".xlsx 工作簿，第一行为表头")
        parser.add_argument(
            "--geojson", help="区划边界 GeoJSON 文件（FeatureCollection，要素按 code 或 name 匹配区划）"
        )
        parser.add_argument("--approximate", action="store_true", help="边界为示意（非精确边界），地图页面会注明")

    def handle(self, *args, **options):
        if options["geojson"]:
            self.boundaries(options["geojson"], options["approximate"])
        if options["file"]:
            self.codes(options["file"])
        if not options["geojson"] and not options["file"]:
            raise CommandError("请指定区划代码工作簿，或用 --geojson 指定边界文件")

    def boundaries(self, path: str, approximate: bool) -> None:
        try:
            result = boundaries_import(path=path, approximate=approximate)
        except BoundaryFileError as exc:
            raise CommandError(f"边界文件被拒绝，未写入任何数据：{exc}") from None
        self.stdout.write(result.summary())
        for described in result.unmatched:
            self.stdout.write(self.style.WARNING(f"  未匹配到区划：{described}"))
        if result.missing:
            # The first ten by name; a district's communities are a hundred or more.
            shown = "、".join(f"{name}（{code}）" for code, name in result.missing[:10])
            more = f" 等 {len(result.missing)} 个" if len(result.missing) > 10 else ""
            self.stdout.write(f"尚无边界的现行区划：{shown}{more}")

    def codes(self, path: str) -> None:
        try:
            result = areas_import(path=path)
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
