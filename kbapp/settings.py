"""Settings, all read from the environment (see README.md, "Configuration").

Nothing lives only in a production file: the same module serves a laptop, CI and
production; the environment says which.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def is_weak_secret(key: str) -> bool:
    """Django's own deploy check thresholds: 50+ characters, 5+ distinct, not the dev prefix."""
    return len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure-")


# A developer's local settings: `make run` writes .env with DEBUG=true, after which every
# manage.py command in the README works as written. Variables already set always win, and
# the test suite reads no .env, so a developer's file cannot change what the tests see.
ENV_FILE = Path(os.environ.get("KB_ENV_FILE") or BASE_DIR / ".env")
if not env_bool("KB_TESTING"):
    load_dotenv(ENV_FILE, override=False)

DEBUG = env_bool("DEBUG")

# A fixed key is fine for a developer's machine and the test suite; production must
# bring its own, so with DEBUG off a missing or weak key stops start-up right here.
DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and (DEBUG or env_bool("KB_TESTING")):
    SECRET_KEY = DEV_SECRET_KEY
if not DEBUG and not env_bool("KB_TESTING") and is_weak_secret(SECRET_KEY):
    sys.exit(
        "SECRET_KEY is missing or weak: with DEBUG off, set SECRET_KEY to a random string of "
        "50+ characters (python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django_filters",
    "reversion",
    "django_tasks",
    "django_tasks_db",
    "kbapp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "kbapp.urls"
WSGI_APPLICATION = "kbapp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def database_config() -> dict:
    """DATABASE_URL, or the embedded SQLite file under var/ when it is unset."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    else:
        VAR_DIR.mkdir(exist_ok=True)
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": VAR_DIR / "kb.sqlite3"}
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers run beside the one writer; IMMEDIATE transactions plus a busy
        # timeout make concurrent writers wait for the lock instead of failing at once.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    return config


DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

if env_bool("KB_TESTING"):
    # Test users guard nothing; PBKDF2 would spend most of a second on each one.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed names need a collectstatic run, which a test run does not make.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if env_bool("KB_TESTING")
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Import limits, documented in README.md ("Importing threads").
KB_IMPORT_MAX_BYTES = int(os.environ.get("KB_IMPORT_MAX_BYTES", 20 * 1024 * 1024))
# Admin uploads larger than this (all files together) run as a background job, so a web
# request never waits on a long import.
KB_IMPORT_INLINE_MAX_BYTES = int(os.environ.get("KB_IMPORT_INLINE_MAX_BYTES", 256 * 1024))

# Background tasks (django-tasks): stored in the database, run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
