"""Settings: everything that differs between machines comes from the environment (DESIGN.md §5)."""

import os
from pathlib import Path

import dj_database_url

from zhiyuan.config.env import PROJECT_DIR, VAR_DIR, flag, listing, secret

BASE_DIR = PROJECT_DIR
PACKAGE_DIR = Path(__file__).resolve().parents[1]
SECRET_KEY = secret("SECRET_KEY", "secret_key")
DEBUG = flag("DEBUG")
ALLOWED_HOSTS = listing("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = listing("CSRF_TRUSTED_ORIGINS", "http://127.0.0.1,http://localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # the API docs from its bundled static files (no CDN, no inline script: the CSP below)
    "csp",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "zhiyuan.core",
    "zhiyuan.accounts",
    "zhiyuan.organizations",
    "zhiyuan.people",
    "zhiyuan.campaigns",
    "zhiyuan.hours",
    "zhiyuan.seeds",
    "zhiyuan.reporting",
    "zhiyuan.portal",
    "zhiyuan.outreach",
    "zhiyuan.community",
    "zhiyuan.workspace",
    "zhiyuan.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # under /api/ every error is the JSON error body (unknown paths, 405, crashes): core.api_errors
    "zhiyuan.core.api_errors.ApiErrorMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhiyuan.config.urls"
WSGI_APPLICATION = "zhiyuan.config.wsgi.application"
AUTH_USER_MODEL = "core.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhiyuan.workspace.menu.menu",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite as a real default: writers queue for the lock instead of failing with "database is locked"
    # (IMMEDIATE takes the write lock at BEGIN, so a reader never has to upgrade mid-transaction), and WAL
    # lets readers go on while one transaction writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "zhiyuan.accounts.backends.LoginBackend",  # 手机号, 志愿者编号 or 用户名
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "8"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_ENABLED = flag("AXES_ENABLED", True)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/app/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every request without it
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # static files work before collectstatic too (tests, a first run)
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", str(VAR_DIR / "media"))
MEDIA_URL = "media/"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Worker leases (core.leases): a running task's worker renews its lease this often; the scheduler's sweep
# calls a task lost when its worker process is gone, or (another host) silent for ZHIYUAN_TASK_LEASE_SECONDS.
ZHIYUAN_TASK_HEARTBEAT_SECONDS = float(os.environ.get("ZHIYUAN_TASK_HEARTBEAT_SECONDS", "30"))
ZHIYUAN_TASK_LEASE_SECONDS = int(os.environ.get("ZHIYUAN_TASK_LEASE_SECONDS", "600"))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = flag("SECURE_COOKIES")
CSRF_COOKIE_SECURE = flag("SECURE_COOKIES")

# Content-Security-Policy (django-csp 4): scripts only from this site's static files — no inline <script>,
# no on*= handlers, no eval (templates bind behaviour through data attributes: static/js/app.js). Styles
# keep 'unsafe-inline' for the style="" attributes still in the templates; a style cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# The production profile (`make serve` sets ZHIYUAN_PROFILE=production): no demo data, a shared cache.
ZHIYUAN_PRODUCTION = os.environ.get("ZHIYUAN_PROFILE", "") == "production"
# TLS ends at a reverse proxy (docs/deploy.md): one switch for everything `check --deploy` asks of HTTPS.
# The proxy must set X-Forwarded-Proto itself (and drop a client's), or a client could claim https.
if flag("ZHIYUAN_BEHIND_TLS"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the proxy's own health check may speak plain HTTP
    SECURE_HSTS_SECONDS = int(os.environ.get("ZHIYUAN_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = flag("ZHIYUAN_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = flag("ZHIYUAN_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True

# Rate limits (core.ratelimit) must count across processes: Redis when REDIS_URL is set, else the
# database in the production profile (`zhiyuan createcachetable`, run by `make serve`); the demo's single
# runserver process and the tests keep a local-memory cache.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "zhiyuan",
        }
    }
elif ZHIYUAN_PRODUCTION or os.environ.get("ZHIYUAN_CACHE") == "database":
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "zhiyuan_cache"}
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Text messages (one-time codes): see zhiyuan.core.sms for the backend interface.
ZHIYUAN_SMS_BACKEND = os.environ.get("ZHIYUAN_SMS_BACKEND", "zhiyuan.core.sms.ConsoleBackend")
# The privacy notice volunteers agree to; a new text gets a new version, and consents record which one.
ZHIYUAN_PRIVACY_VERSION = "2026-11"

# Pagination sizes shared by pages and the API.
ZHIYUAN_PAGE_SIZE = 50
# API lists: bounded limit/offset (zhiyuan.core.pagination); a bare @paginate uses it too
NINJA_PAGINATION_CLASS = "zhiyuan.core.pagination.Paginated"

# Report attachments (zhiyuan.reporting): short videos are checked by content and capped at this size.
ZHIYUAN_REPORT_VIDEO_MAX_BYTES = int(os.environ.get("ZHIYUAN_REPORT_VIDEO_MAX_BYTES", 50 * 1024 * 1024))

# Notifications, reminders and the periodic scheduler (zhiyuan.notifications).
INSTALLED_APPS.append("zhiyuan.notifications")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "zhiyuan@localhost")
ZHIYUAN_SITE_URL = os.environ.get(
    "ZHIYUAN_SITE_URL", "http://127.0.0.1:8000"
)  # every absolute link: core/site.py
ZHIYUAN_NOTIFY_MAX_ATTEMPTS = 5  # a delivery failing this often is marked failed (and kept)
ZHIYUAN_NOTIFY_RETRY_SECONDS = 60  # backoff: 1, 4, 16, 64 minutes
ZHIYUAN_SHIFT_REMINDER_HOURS = [24, 2]  # before a shift starts
ZHIYUAN_UNDERSTAFFED_HOURS = [48, 24]  # before a shift below its minimum: its team's leaders are told
ZHIYUAN_REPORT_REMINDER_HOURS = [24, 2]  # before a report deadline
ZHIYUAN_ESCALATION_LOOKBACK_DAYS = 7  # overdue reports older than this are left to the scoreboard
# Community outreach (zhiyuan.community): public forms are limited per IP and per phone through the cache
# (no captcha service); (count, seconds).
ZHIYUAN_HELP_RATE_PER_IP = (10, 3600)
ZHIYUAN_HELP_RATE_PER_PHONE = (3, 3600)
ZHIYUAN_STATUS_RATE_PER_IP = (20, 600)
ZHIYUAN_SIGNUP_RATE_PER_IP = (10, 3600)
ZHIYUAN_SIGNUP_RATE_PER_PHONE = (5, 3600)
# Check-in location sanity: a scan farther than this from its station is flagged for review, never refused.
ZHIYUAN_CHECKIN_MAX_DISTANCE_M = int(os.environ.get("ZHIYUAN_CHECKIN_MAX_DISTANCE_M", "500"))
# Hours a Beijing day credits at once; up to the second figure the parent organisation approves the rest,
# above it the level above that (hours/services/daily_cap.py).
ZHIYUAN_DAILY_CAP_HOURS = (8, 12)
# The ledger's HMAC key (services/ledger_hash.py): empty = generated once into var/ledger_key for the demo.
ZHIYUAN_LEDGER_KEY = os.environ.get("ZHIYUAN_LEDGER_KEY", "")
# A TrueType CJK font the certificate PDFs embed (hours/certificate_pdf.py); empty = the known system paths.
ZHIYUAN_CJK_FONT = os.environ.get("ZHIYUAN_CJK_FONT", "")
ZHIYUAN_LEDGER_OLD_KEYS = listing("ZHIYUAN_LEDGER_OLD_KEYS", "")  # retired keys, still verified
