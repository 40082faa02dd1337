"""python manage.py sqlite_tests — the test files the apps declare must also pass on
SQLite, one a line (the Makefile's second pytest run reads them)."""

from django.core.management.base import BaseCommand

from canlian.declarations import sqlite_tests


class Command(BaseCommand):
    help = "列出各应用声明的需在 SQLite 上运行的测试文件"

    def handle(self, *args, **options):
        for path in sqlite_tests():
            self.stdout.write(path)
