"""Demo outreach work (`make demo`): filled in below, step by step."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "生成演示用的慰问关爱数据"

    def handle(self, *args, **options):
        self.stdout.write("慰问关爱：暂无演示数据。")
