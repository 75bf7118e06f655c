"""Projectize settings, read from the environment.

With no environment at all the system runs embedded: SQLite under var/, console e-mail,
Celery tasks run eagerly. Production sets DATABASE_URL, SECRET_KEY, DEBUG=false and ALLOWED_HOSTS.
"""

import os
from pathlib import Path
from typing import Any

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
# The embedded default keeps its database and uploads here.
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()

# Off unless turned on (`make run` and the tests do), so a server that forgets it is not in debug mode.
DEBUG = env.bool("DEBUG", default=False)
# With DEBUG off a server refuses to start on the development key (projectize.core.checks).
DEVELOPMENT_SECRET_KEY = "embedded-insecure-key-change-me-in-production-0123456789"
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "treebeard",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rest_framework",
    "drf_spectacular",
    "projectize.core",
    "projectize.orgs",
    "projectize.reviews",
    "projectize.projects",
    "projectize.needs",
    "projectize.programmes",
    "projectize.claims",
    "projectize.supervision",
    "projectize.funds",
    "projectize.showcase",
    "projectize.reports",
    "projectize.portal",
    "projectize.scale",
    "projectize.install",
    "projectize.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "projectize.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "projectize.core.middleware.RefuseNullCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "projectize.orgs.sites.TownSiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "projectize.core.pagecache.PageChangesMiddleware",
    "projectize.orgs.policy.AccountPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "projectize.core.middleware.RequestContextMiddleware",
]

# Scripts and stylesheets come only from our own static files: no inline code, no CDN. Style
# attributes stay allowed (server-set progress widths, ECharts' layout); <style> elements do not.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}
# Browser features no page uses are switched off for every page.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), accelerometer=(), gyroscope=()"
SECURE_REFERRER_POLICY = "same-origin"

ROOT_URLCONF = "projectize.urls"
WSGI_APPLICATION = "projectize.wsgi.application"

TEMPLATE_LOADERS = ["django.template.loaders.filesystem.Loader", "django.template.loaders.app_directories.Loader"]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "projectize" / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "projectize.core.context_processors.navigation",
                # Django's CSRF token, noted so that a kept page gives each reader their own.
                "projectize.core.pagecache.csrf",
            ],
            # Each process compiles a template once and keeps it; in development the autoreloader empties
            # the cache when a template file changes.
            "loaders": [("django.template.loaders.cached.Loader", TEMPLATE_LOADERS)],
        },
    },
]

# Django's form renderer, with plain select boxes written in Python (fast with hundreds of options).
FORM_RENDERER = "projectize.core.renderers.FormRenderer"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'projectize.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# In production a process keeps its database connection between requests (10 minutes by default), checked
# before it is used again; development opens one per request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0 if DEBUG else 600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a concurrent writer instead of failing at once; IMMEDIATE takes the write lock when a
    # transaction begins, so two transactions never deadlock upgrading read locks to write locks.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    # Tests with real threads need a database file (one per test process): connections sharing an
    # in-memory database lock whole tables and fail at once instead of waiting.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
elif DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # An unreachable database answers "service unavailable" within seconds, not after a TCP timeout.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int("DATABASE_CONNECT_TIMEOUT", default=3)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "projectize.orgs.backends.UsernameOrMobileBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
# Where `/` sends visitors who are not signed in: the residents' site.
PUBLIC_HOME_URL = "portal:home"
# Towns' public sites by host, e.g. TOWN_HOSTS="xinqiao.example.org=xinqiao,sijing.example.org=sijing" (the
# slug of each town's profile); every town's site is also at /t/<slug>/ (projectize.orgs.sites).
TOWN_HOSTS = {host.lower(): slug for host, slug in env.dict("TOWN_HOSTS", default={}).items()}
LOGOUT_REDIRECT_URL = "login"
# Account policy (等保 2.0 level 3 asks for complex passwords changed regularly, a session that ends when
# idle, and two factors for administrators); the README says how to tighten each value.
PASSWORD_MIN_LENGTH = env.int("PASSWORD_MIN_LENGTH", default=8)
# Of four classes: capital letters, small letters, digits, symbols.
PASSWORD_MIN_CHARACTER_CLASSES = env.int("PASSWORD_MIN_CHARACTER_CLASSES", default=3)
# A new password may not be any of the last N (the current one included); 0 allows reuse.
PASSWORD_HISTORY = env.int("PASSWORD_HISTORY", default=3)
# Days after which a password must be changed before anything else; 0 never expires.
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=180)
# Minutes without a request after which a signed-in person must sign in again.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
# Roles whose holders must use an authenticator app's code (TOTP) at every sign-in, e.g.
# "town_admin,finance"; anyone may turn it on for themselves.
OTP_REQUIRED_ROLES = env.list("OTP_REQUIRED_ROLES", default=[])
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Projectize")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "projectize.orgs.policy.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "projectize.orgs.policy.CharacterClassesValidator"},
    {"NAME": "projectize.orgs.policy.PasswordHistoryValidator"},
]
# Failed logins before an account (or an unknown login name) is locked, and for how long.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", default=15)
# `manage.py archive_activity` moves activity log entries older than this (at least 180 days,
# 等保 2.0) into gzip files with SHA-256 checksums in this folder.
ACTIVITY_RETENTION_DAYS = env.int("ACTIVITY_RETENTION_DAYS", default=365)
ACTIVITY_ARCHIVE_DIR = env.path("ACTIVITY_ARCHIVE_DIR", default=str(VAR_DIR / "archive"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "projectize" / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True
# Years and form values must not be grouped (2,026); counters and money group explicitly
# (the intcomma and money filters).
USE_THOUSAND_SEPARATOR = False
# Chinese groups by thousands with commas in money and statistics (Django's zh-hans does not group).
FORMAT_MODULE_PATH = ["projectize.formats"]

# The API under /api/v1/ (projectize/api): its authentication, errors, paging and limits live in that app.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "projectize.api.auth.TokenAuthentication",
        "projectize.api.auth.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["projectize.api.permissions.TokenAllows"],
    "DEFAULT_THROTTLE_CLASSES": ["projectize.api.throttling.SharedRateThrottle"],
    # Per token, per signed-in person, per address without either; counted across every server process.
    "DEFAULT_THROTTLE_RATES": {
        "token": env.str("API_RATE_TOKEN", default="600/minute"),
        "user": env.str("API_RATE_USER", default="600/minute"),
        "anonymous": env.str("API_RATE_ANONYMOUS", default="120/minute"),
    },
    "DEFAULT_PAGINATION_CLASS": "projectize.api.pagination.Cursor",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "projectize.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "projectize.api.problems.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "COERCE_DECIMAL_TO_STRING": True,
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "iso-8601",
    "UNICODE_JSON": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Projectize API",
    "DESCRIPTION": "党建项目化管理平台 · Party-building project management: data for the systems a district runs.",
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Each status has its own name in the schema (they share the field name "status").
    "ENUM_NAME_OVERRIDES": {
        "NeedStatusEnum": "projectize.needs.models.NeedStatus",
        "ProjectStatusEnum": "projectize.projects.models.ProjectStatus",
        "MilestoneStatusEnum": "projectize.projects.models.MilestoneStatus",
        "ReportStatusEnum": "projectize.projects.models.ReportStatus",
        "TargetStatusEnum": "projectize.programmes.models.TargetStatus",
        "ClaimStatusEnum": "projectize.claims.models.ClaimStatus",
        "LetterStatusEnum": "projectize.supervision.models.LetterStatus",
        "DisbursementStatusEnum": "projectize.funds.models.DisbursementStatus",
        "ShowcaseStatusEnum": "projectize.showcase.models.ShowcaseStatus",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "projectize.api.schema.add_problem_responses",
        "projectize.api.schema.drop_backend_bounds",
    ],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
}

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "projectize" / "static"]
# In development static files are found where they are written, without collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded files are private: they are served only through views that check permission.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
# Where `manage.py backup` writes its archives (keep it outside the checkout, like MEDIA_ROOT).
BACKUP_DIR = env.path("BACKUP_DIR", default=str(VAR_DIR / "backups"))
# Behind nginx: the internal location that serves MEDIA_ROOT (deploy/nginx/projectize.conf), so that
# nginx, not a gunicorn worker, sends a file once Django has checked permission. Empty: Django sends it.
MEDIA_ACCEL_REDIRECT = env.str("MEDIA_ACCEL_REDIRECT", default="")
if env.str("S3_BUCKET", default=""):
    # Uploads in an S3-compatible object store (pip install -r requirements-s3.txt); never public.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("S3_BUCKET"),
            "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
            "access_key": env.str("S3_ACCESS_KEY", default="") or None,
            "secret_key": env.str("S3_SECRET_KEY", default="") or None,
            "region_name": env.str("S3_REGION", default="") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
# An uploaded Excel file is refused, before it is parsed, when it would expand past these.
XLSX_MAX_UNCOMPRESSED_BYTES = env.int("XLSX_MAX_UNCOMPRESSED_BYTES", default=50 * 1024 * 1024)
XLSX_MAX_ROWS = env.int("XLSX_MAX_ROWS", default=20_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024

# Every server process must see the same cache (verification codes) and counters (login lockout,
# rate limits): Redis when configured, else a database table that `migrate` creates.
REDIS_URL = env.str("REDIS_URL", default="")  # empty: no Redis


def _cache(without_redis: str, prefix: str = "") -> dict[str, Any]:
    """Redis when configured (one client per connection pool: core.rediscache), else `without_redis`."""
    if not REDIS_URL:
        return {**environ.Env.cache_url_config(without_redis), "KEY_PREFIX": prefix}
    backend = "projectize.core.rediscache.SharedClientRedisCache"
    return {**environ.Env.cache_url_config(REDIS_URL), "BACKEND": backend, "KEY_PREFIX": prefix}


CACHES = {
    "default": _cache("dbcache://projectize_cache"),
    # Short-lived copies of figures many people read (the dashboard, the public home page): in Redis when
    # there is one, else in each process's memory (a database cache would cost a query to save a few).
    "figures": _cache("locmemcache://figures", prefix="figures"),
    # Whole pages kept for their reader until something they may see changes, with the tokens that say so
    # (projectize.core.pagecache): every process must see the same tokens, so in Redis when there is one, else
    # in a table of their own (a share dropped beyond its size, never a verification code of the default cache).
    "pages": _cache("dbcache://projectize_pages?max_entries=2000", prefix="pages"),
}
# 0 seconds: pages are never kept.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=120)
# With Redis, a session is read from it (and written through to the database, which keeps it across a Redis
# restart): a kept page then costs one database query, the user's.
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CELERY_BROKER_URL = REDIS_URL or "memory://"
# Periodic tasks are declared beside their task (supervision/tasks.py); beat keeps its state under var/.
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
# Background jobs (documents, large exports, e-mail): a Celery worker runs them when Redis is
# configured; otherwise `manage.py run_jobs` (started by `make run`) works through the job table.
JOBS_USE_CELERY = bool(REDIS_URL)
JOBS_MAX_ATTEMPTS = env.int("JOBS_MAX_ATTEMPTS", default=4)
# An Excel export of more rows than this is built in the background.
EXPORT_INLINE_ROWS = env.int("EXPORT_INLINE_ROWS", default=2000)
# A job marked running for longer than this was cut off with its worker and goes back to the queue.
JOBS_STALE_AFTER_MINUTES = env.int("JOBS_STALE_AFTER_MINUTES", default=60)
# Files built by finished jobs are deleted after this many days (`manage.py purge_jobs`, daily in Celery).
JOBS_KEEP_DAYS = env.int("JOBS_KEEP_DAYS", default=7)
# The dashboard's figures are counted ahead (projectize.reports.rollup): a town's shortly after each change,
# the levels above the towns (which read whole tables) at most this often.
FIGURES_UPPER_EVERY = env.int("FIGURES_UPPER_EVERY", default=600)
# How long a page may show figures it read before (the dashboard, the public home page).
FIGURES_CACHE_SECONDS = env.int("FIGURES_CACHE_SECONDS", default=60)

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="projectize@localhost")
# Seconds an SMTP connection may wait; a failed e-mail job is tried again later (JOBS_MAX_ATTEMPTS).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# The address people open the system at; links in e-mails are made absolute with it.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# Verification codes for public voting: an HTTP SMS gateway when configured, else the console
# (development only: with DEBUG off the console backend sends nothing).
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_TOKEN = env.str("SMS_GATEWAY_TOKEN", default="")
SHOWCASE_VERIFICATION_BACKEND = env.str(
    "SHOWCASE_VERIFICATION_BACKEND",
    default="projectize.showcase.verification.HttpGatewayBackend"
    if SMS_GATEWAY_URL
    else "projectize.showcase.verification.ConsoleBackend",
)

if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Probes from the proxy or monitoring on the local network speak plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True

# One handler, on the root logger: Django's own "django" console handler is dropped so that its
# lines print once. LOG_FORMAT=json writes one JSON object per line for a log collector.
LOG_LEVEL = env.str("LOG_LEVEL", default="WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "projectize.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": env.str("LOG_FORMAT", default="text")},
    },
    "filters": {"one_line_forbidden": {"()": "projectize.core.errors.OneLineForbidden"}},
    "loggers": {
        "django": {"handlers": [], "propagate": True},
        "django.request": {"filters": ["one_line_forbidden"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}
