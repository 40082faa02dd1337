"""Shared by `bench/generate.py` and `bench/run.py`: the database of a size, Django set-up
against it, the benchmark's users and months.

Not a test module (pytest collects only test_*.py): benchmarks never assert times.
"""

import datetime
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# The server; each size gets its own database on it.
SERVER_URL = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
ADMIN_USER = "bench_admin"  # district administrator: imports, prepares the payroll, searches
REVIEWER_USER = "bench_reviewer"  # district reviewer: approves the payroll
PASSWORD = "bench-only-2026"
# Months of payroll already approved before the measured month (the system "went live" then).
PAID_MONTHS = 12


def db_name(size: int) -> str:
    """`canlian_bench_<N>`, or `$BENCH_DB_PREFIX_<N>`: a second copy on a shared server."""
    return f"{os.environ.get('BENCH_DB_PREFIX', 'canlian_bench')}_{size}"


def db_url(size: int) -> str:
    return f"{SERVER_URL}/{db_name(size)}"


def setup_django(size: int) -> None:
    """Point Django at the size's database, with DEBUG off (no query log in memory)."""
    os.environ["DATABASE_URL"] = db_url(size)
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["TASK_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    os.environ.setdefault("CANLIAN_VAR_DIR", str(ROOT / "var" / "bench"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canlian.settings")
    import django

    django.setup()


def bench_month(today: datetime.date | None = None) -> datetime.date:
    """The month whose payroll is measured: the current one (the payroll refuses future months)."""
    return (today or datetime.date.today()).replace(day=1)


def add_months(month: datetime.date, n: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)
