"""Django settings: every value comes from ``config/env.py``; DATABASE_URL picks the database."""

from __future__ import annotations

import secrets
from datetime import timedelta

import dj_database_url
import django_stubs_ext

from pathways.config import env

# Lets admin and other generic Django classes be subscripted (ModelAdmin[Model]) at run time.
django_stubs_ext.monkeypatch()

DEBUG = env.flag("PATHWAYS_DEBUG")
HTTPS = env.flag("PATHWAYS_HTTPS")
VAR_DIR = env.path("PATHWAYS_VAR_DIR")
SHARED_DIR = env.path("PATHWAYS_SHARED_DIR")


def _secret_key() -> str:
    configured = env.text("PATHWAYS_SECRET_KEY")
    if configured:
        return configured
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.strings("PATHWAYS_ALLOWED_HOSTS")
if DEBUG:
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "pathways.apps.accounts",
    "pathways.apps.access",
    "pathways.apps.roster",
    "pathways.apps.standards",
    "pathways.apps.activities",
    "pathways.apps.evidence",
    "pathways.apps.mastery",
    "pathways.apps.profiles",
    "pathways.apps.paths",
    "pathways.apps.innovation",
    "pathways.apps.scheduling",
    "pathways.apps.lti",
    "pathways.apps.xapi",
    "pathways.web",
]

MIDDLEWARE = [
    "pathways.config.shedding.LoadSheddingMiddleware",  # first: a 429 past capacity costs nothing
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "pathways.config.nul.DropNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pathways.apps.accounts.middleware.SessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pathways.web.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "pathways.config.urls"
WSGI_APPLICATION = "pathways.config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "web:signin"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:signin"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pathways.web.context.nav",
            ],
        },
    },
]

# Database: SQLite in WAL mode by default; PostgreSQL when DATABASE_URL says so.
_database_url = env.text("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "pathways.sqlite3"),
            "OPTIONS": {
                # WAL lets pages read while a write is in progress; IMMEDIATE avoids
                # "database is locked" upgrades inside transactions.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
# Keep each worker thread's connection between requests (SQLite as PostgreSQL): opening one per
# request cost ~2 ms of the ~9 ms of server CPU an evidence submission took.
DATABASES["default"]["CONN_MAX_AGE"] = 60
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve app static files without a collectstatic step

# Sessions: renewed at sign-in (Django's login() rotates the key), idle and absolute timeouts.
SESSION_COOKIE_AGE = int(timedelta(hours=env.number("PATHWAYS_SESSION_MAX_HOURS")).total_seconds())
SESSION_IDLE_SECONDS = env.number("PATHWAYS_SESSION_IDLE_MINUTES") * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

API_TOKEN_HOURS = env.number("PATHWAYS_TOKEN_HOURS")
# Load shedding (config/shedding.py): requests in progress per process, and the longest wait.
MAX_IN_FLIGHT = env.number("PATHWAYS_MAX_IN_FLIGHT")
QUEUE_WAIT_SECONDS = env.number("PATHWAYS_QUEUE_WAIT_MS") / 1000
SIGNIN_MAX_FAILURES = env.number("PATHWAYS_SIGNIN_MAX_FAILURES")
SIGNIN_WINDOW_SECONDS = env.number("PATHWAYS_SIGNIN_WINDOW_MINUTES") * 60

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "pathways": {"handlers": ["console"], "level": env.text("PATHWAYS_LOG_LEVEL")},
        "django.request": {"handlers": ["console"], "level": "WARNING"},
    },
}
