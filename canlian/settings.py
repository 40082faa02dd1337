"""Django settings for Canlian, read from the environment (see README: Configuration)."""

import json
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from canlian.env import env_bool, env_int, env_list, env_str
from canlian.idcard import reader_setting

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("CANLIAN_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-for-debug"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

_default_db = f"sqlite:///{VAR_DIR / 'canlian.sqlite3'}"
VAR_DIR.mkdir(parents=True, exist_ok=True)
try:
    DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", _default_db))}
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo's embedded database: wait on a lock rather than failing while the
    # background worker writes an import.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles the eligibility queries (many CASE expressions) for
    # seconds to save milliseconds; an OLTP system of this shape is faster without it.
    # A server-side cursor (Django's `iterator()`: the exports stream their rows) is read to
    # the end here, so plan it for all its rows, not the first 10%: an eligibility export of
    # 525,000 persons at 10^6 walked an index in order for 3.8 s instead of sorting in 1.5 s.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off -c cursor_tuple_fraction=1")
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("TEST", {})["NAME"] = env_str("TEST_DATABASE_NAME")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "areas",
    "accounts",
    "registry",
    "benefits",
    "rehab",
    "activities",
    "outreach",
    "care",
    "workshops",
    "employment",
    "targets",
    "api",
    # ninja's bundled Swagger UI and Redoc (its static files), so /api/docs loads nothing
    # from outside: the intranet has no internet.
    "ninja",
    # The shared mechanisms every app above uses (audit log, background jobs, the apps'
    # declarations); last, so every app is ready when it reads them.
    "canlian.apps.PlatformConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "canlian.middleware.ContentSecurityPolicyMiddleware",
    "canlian.audit.ClientAddressMiddleware",
    "canlian.errors.ProjectErrorPagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.SessionIdleMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "accounts.middleware.LoginRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
    "canlian.middleware.ExportRefusedMiddleware",
    "canlian.middleware.NoStoreMiddleware",
]

ROOT_URLCONF = "canlian.urls"
WSGI_APPLICATION = "canlian.wsgi.application"
# Marks a field with errors (is-invalid, aria-invalid, aria-describedby) in every form.
FORM_RENDERER = "canlian.forms.FormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "canlian" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Passwords (OWASP ASVS 2.1): at least PASSWORD_MIN_LENGTH characters, not one of the
# 20,000 common passwords, not close to the user's own name or user name (`baisha2026` for
# the user baisha), not digits only, not the federation's or the district's name with digits
# (`canlian2026`, the demo's published password). They apply where a password is chosen:
# the change-password page and the admin; the demo's seeded users are made directly.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 12, minimum=8)},
    },
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "first_name", "last_name", "email")},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.passwords.LocalWordsValidator"},
]
LOGIN_URL = "login"
# The home page sends each role on: to the work list, or the role's own start page.
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (accounts.throttling): AXES_FAILURE_LIMIT failures for one user name,
# from whatever addresses, lock that user name out for AXES_COOLOFF_MINUTES (a distributed
# guess of one password); AXES_IP_FAILURE_LIMIT failures from one address, whatever the
# user names, lock that address out (password spraying: one password tried on many names).
# The address limit is higher: a town office's staff share one address behind its NAT.
AXES_HANDLER = "accounts.throttling.LoginThrottleHandler"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_IP_FAILURE_LIMIT = env_int("AXES_IP_FAILURE_LIMIT", 30, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Behind a reverse proxy, the client's address is the left-most of X-Forwarded-For only
# when the proxy is trusted to set it: AXES_PROXY_COUNT proxies in front of Django.
if env_str("AXES_PROXY_COUNT"):
    AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 1, minimum=1)
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# The audit log's client address (canlian.audit.client_address) is REMOTE_ADDR, or the
# first address of X-Forwarded-For when TRUSTED_PROXY=1 says a proxy in front sets it (and
# clients cannot). Set with AXES_PROXY_COUNT, it defaults on.
TRUSTED_PROXY = env_bool("TRUSTED_PROXY", bool(env_str("AXES_PROXY_COUNT")))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
# Chinese for the third-party apps the system administrator reads in the admin (django-axes'
# lockouts, the task queue), which ship no Simplified Chinese of their own.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# canlian/static is found as an app's (canlian is installed for its declarations).
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_MEGABYTES", 50, minimum=1) * 1024 * 1024
# The first sheet an import reads (canlian.sheets): calamine holds rows × columns cells of
# about 32 bytes each, so a sheet beyond these is refused before it is read. The person
# template has 21 columns; 200,000 rows is twice the district's register.
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 200_000, minimum=1)
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 200, minimum=1)
IMPORT_MAX_CELLS = env_int("IMPORT_MAX_CELLS", 10_000_000, minimum=1)
IMPORT_MAX_SHEET_BYTES = env_int("IMPORT_MAX_SHEET_MEGABYTES", 512, minimum=1) * 1024 * 1024
# A running background job (canlian.Job: an import, a payroll run, an export) whose worker
# has said nothing for this long is taken as dead. IMPORT_STALE_MINUTES is its older name,
# from when only the imports had the check; it still sets the default.
IMPORT_STALE_MINUTES = env_int("IMPORT_STALE_MINUTES", 10, minimum=1)
JOB_STALE_MINUTES = env_int("JOB_STALE_MINUTES", IMPORT_STALE_MINUTES, minimum=1)

# An export of more rows than this runs as a background job (canlian.export_jobs) with a
# status page and a download link, instead of holding the request until it is written.
EXPORT_BACKGROUND_ROWS = env_int("EXPORT_BACKGROUND_ROWS", 20_000, minimum=1)
# The file of a background export is kept this long after it was written, then deleted
# (canlian.export_jobs.exports_clean: each export job, `manage.py exports_clean`).
EXPORT_RETENTION_DAYS = env_int("EXPORT_RETENTION_DAYS", 7, minimum=1)
# An uploaded workbook (an import's) is kept this long after its upload, then deleted; its
# job keeps the report (canlian.uploads: `manage.py purge_uploads`, nightly, and each
# import job as it starts).
UPLOAD_RETENTION_DAYS = env_int("UPLOAD_RETENTION_DAYS", 90, minimum=1)

# The birth certificate number (出生医学证明编号) by which child rehabilitation assistance
# (rehab) identifies a child who has no ID number yet: one letter and nine digits in the
# current national form (unverified local practice, so configurable). Compiled here, so a
# wrong pattern fails at start-up rather than at the first registration.
CHILD_BIRTH_CERTIFICATE_PATTERN = re.compile(env_str("CHILD_BIRTH_CERTIFICATE_PATTERN", r"^[A-Z]\d{9}$"))

# The work list (canlian.worklist): a certificate expiring within this many days is due for
# renewal; the town's first review of a subsidy application is due this many days after the
# application, the district's review this many days after the public notice ended. Local
# practice (unverified; 10 working days is common), so configurable.
CERTIFICATE_RENEWAL_DAYS = env_int("CERTIFICATE_RENEWAL_DAYS", 60, minimum=1)
BENEFITS_TOWN_REVIEW_DAYS = env_int("BENEFITS_TOWN_REVIEW_DAYS", 10, minimum=1)
BENEFITS_DISTRICT_REVIEW_DAYS = env_int("BENEFITS_DISTRICT_REVIEW_DAYS", 10, minimum=1)
# Days a district reviewer has to decide a change request (变更申请) of a key field (local
# practice, unverified) before the work list shows it overdue.
CHANGE_REQUEST_REVIEW_DAYS = env_int("CHANGE_REQUEST_REVIEW_DAYS", 5, minimum=1)
# A need a home visit raised (outreach) is due to be closed this many days after the visit.
# Local practice (unverified), so configurable.
OUTREACH_NEED_CLOSE_DAYS = env_int("OUTREACH_NEED_CLOSE_DAYS", 30, minimum=1)
# Employment: the quota of disabled employees an employer must reach (按比例就业), in per
# mille of its staff (Guangdong: 1.5%); a start-up support's follow-ups are due this many
# days after its approval, and shown on the work list this many days before they are due.
EMPLOYMENT_QUOTA_PERMILLE = env_int("EMPLOYMENT_QUOTA_PERMILLE", 15, minimum=1)
EMPLOYMENT_FOLLOWUP_DAYS = {
    6: env_int("EMPLOYMENT_FOLLOWUP_6_DAYS", 182, minimum=1),
    12: env_int("EMPLOYMENT_FOLLOWUP_12_DAYS", 365, minimum=1),
}
EMPLOYMENT_FOLLOWUP_NOTICE_DAYS = env_int("EMPLOYMENT_FOLLOWUP_NOTICE_DAYS", 14, minimum=0)

# The JSON API (api): a token is valid for at most API_TOKEN_MAX_DAYS, a user holds at most
# API_TOKENS_PER_USER usable tokens, a token makes at most API_RATE_PER_MINUTE requests a
# minute (counted in the cache: set a shared cache when running several processes), and a
# request body is at most API_MAX_BODY_KILOBYTES.
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 365, minimum=1)
API_TOKENS_PER_USER = env_int("API_TOKENS_PER_USER", 10, minimum=1)
API_RATE_PER_MINUTE = env_int("API_RATE_PER_MINUTE", 120, minimum=1)
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_KILOBYTES", 64, minimum=1) * 1024

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work (imports) goes through Django tasks. The demo runs a database worker
# beside the web server; tests and a plain `runserver` may run tasks in the request.
TASKS = {
    "default": {
        "BACKEND": env_str("TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Sessions end after SESSION_IDLE_MINUTES without a request and when the browser closes. The
# expiry moves on with the requests, at most once a SESSION_RENEW_SECONDS
# (accounts.middleware.SessionIdleMiddleware), not by writing the session on every request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
# A tenth of the idle time for a short one, so a working user is never signed out.
SESSION_RENEW_SECONDS = min(60, SESSION_COOKIE_AGE // 10)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Pages send the CSRF token in their forms and htmx headers; no script reads the cookie.
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (canlian.middleware): everything from the site itself, no inline
# script or style, nothing framed, no plug-ins; `data:` images for Bootstrap's SVG icons
# and the empty favicon. Everything is vendored, so no other origin is needed.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
CSP_REPORT_ONLY = env_bool("CSP_REPORT_ONLY", False)

# The counters' ID-card reader (canlian.idcard): off unless IDCARD_READER_URL names the
# vendor's service on the officers' PCs (e.g. http://127.0.0.1:8989/api/readcard);
# IDCARD_READER_FIELDS maps our fields to the service's, as JSON ({"id_number": "certNo"}).
# When on, connect-src allows exactly that URL's origin.
IDCARD_READER = None
if _reader_url := env_str("IDCARD_READER_URL"):
    try:
        _reader_fields = json.loads(env_str("IDCARD_READER_FIELDS") or "{}")
    except ValueError:
        raise ImproperlyConfigured("IDCARD_READER_FIELDS must be a JSON object") from None
    IDCARD_READER = reader_setting({"url": _reader_url, "fields": _reader_fields})

# Outside DEBUG the site is served over HTTPS only: secure cookies, a redirect from http and
# HSTS. Behind a proxy that ends TLS, SECURE_PROXY_SSL_HEADER=1 trusts its
# X-Forwarded-Proto header (only when the proxy sets it and clients cannot).
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# An intranet host is in no browser's HSTS preload list, and cannot be: the preload
# directive is a choice of the deployment (SECURE_HSTS_PRELOAD), not a default.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# SQLite (the demo) has no INCLUDE columns: a covering index (benefits.PaymentMonth's) is a
# plain one there, which is all the demo's size needs.
SILENCED_SYSTEM_CHECKS.append("models.W040")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
