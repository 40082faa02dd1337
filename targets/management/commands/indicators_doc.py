"""python manage.py indicators_doc [--check] — write docs/indicators.md from the apps'
indicator declarations, or (--check) fail when the file differs from them."""

from django.core.management.base import BaseCommand, CommandError

from targets.indicator_docs import PATH, document, path


class Command(BaseCommand):
    help = "根据各应用声明的指标生成 docs/indicators.md（--check 只检查是否最新）"

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="只检查文件是否与声明一致")

    def handle(self, *args, check: bool, **options):
        text = document()
        target = path()
        if check:
            current = target.read_text(encoding="utf-8") if target.exists() else ""
            if current != text:
                raise CommandError(f"{PATH} 与指标声明不一致，请运行 python manage.py indicators_doc")
            self.stdout.write(f"{PATH} 是最新的")
            return
        target.write_text(text, encoding="utf-8")
        self.stdout.write(f"已写入 {PATH}")
