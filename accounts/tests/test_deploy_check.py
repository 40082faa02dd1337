"""Production settings (DEBUG off): `manage.py check --deploy` is clean, and the headers
and cookies are those of an HTTPS-only site."""

import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET = "k7#Qm2!vX9pL4rT8wZ1nB6yC3hF5jD0sG-aE_uI+oP=lK%xN^cV&bM*"


@pytest.fixture
def production_env(tmp_path):
    return {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "0",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "canlian.example.gov.cn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "CANLIAN_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "canlian.settings",
    }


@pytest.fixture
def migrated_env(production_env, db):
    """The production settings on a migrated database: on PostgreSQL the suite's own test
    database (the script's writes are rolled back), else a new SQLite file it migrates."""
    from django.db import connection

    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        login = quote(settings["USER"], safe="")
        if settings["PASSWORD"]:
            login += ":" + quote(settings["PASSWORD"], safe="")
        host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
        production_env["DATABASE_URL"] = f"postgres://{login}@{host}:{port}/{quote(settings['NAME'])}"
    else:
        production_env["CANLIAN_MIGRATE"] = "1"
    return production_env


def _run(env, *args):
    return subprocess.run([sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_with_production_settings(production_env):
    result = _run(production_env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


# Everything it writes (the user, the session, the sign-in's audit) is rolled back; the
# requests keep the connection (as Django's test client does) so they stay inside.
SCRIPT = """
import os
import django
django.setup()
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
if os.environ.get("CANLIAN_MIGRATE"):
    call_command("migrate", verbosity=0)
request_started.disconnect(close_old_connections)
request_finished.disconnect(close_old_connections)
from django.test import Client
from accounts.models import User
with transaction.atomic():
    User.objects.create_user(username="deploy-check-officer", password="Kite-river-pencil-47")
    c = Client(HTTP_HOST="canlian.example.gov.cn")
    print("redirect", c.get("/login/").status_code, c.get("/login/")["Location"])
    r = c.post("/login/", {"username": "deploy-check-officer", "password": "Kite-river-pencil-47"}, secure=True)
    cookie = r.cookies["sessionid"]
    print("hsts", r["Strict-Transport-Security"])
    print("cookie", cookie["secure"], cookie["httponly"])
    print("csrf", r.cookies["csrftoken"]["secure"] if "csrftoken" in r.cookies else c.cookies["csrftoken"]["secure"])
    print("page", c.get("/account/password/", secure=True)["Cache-Control"])
    transaction.set_rollback(True)
"""


def test_outside_debug_http_is_redirected_and_cookies_are_secure(migrated_env):
    result = _run(migrated_env, "-c", SCRIPT)
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    assert lines["redirect"] == "301 https://canlian.example.gov.cn/login/"
    assert lines["hsts"] == "max-age=31536000; includeSubDomains"
    assert lines["cookie"] == "True True"
    assert lines["csrf"] == "True"
    assert "no-store" in lines["page"]
