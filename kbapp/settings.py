"""Settings, all read from the environment (see README.md, "Configuration").

Nothing lives only in a production file: the same module serves a laptop, CI and
production; the environment says which.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
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


def proxy_ssl_header(value: str) -> tuple[str, str]:
    """`X-Forwarded-Proto` or `HTTP_X_FORWARDED_PROTO,https` as Django's (META key, value)."""
    name, _, wanted = value.partition(",")
    name = name.strip().upper().replace("-", "_")
    return (name if name.startswith("HTTP_") else f"HTTP_{name}", wanted.strip() or "https")


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
TESTING = env_bool("KB_TESTING")

# A fixed key is fine for a developer's machine and the test suite; production must
# bring its own, so with DEBUG off a missing or weak key stops start-up right here.
DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and (DEBUG or TESTING):
    SECRET_KEY = DEV_SECRET_KEY
if not DEBUG and not TESTING and is_weak_secret(SECRET_KEY):
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
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "kbapp",
]

MIDDLEWARE = [
    "kbapp.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "kbapp.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions and auth: a cached anonymous page costs neither.
    "kbapp.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lock-out page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
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
if os.environ.get("DATABASE_REPLICA_URL", "").strip():
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"].strip(), conn_max_age=60, conn_health_checks=True
    )
    DATABASE_ROUTERS = ["kbapp.routers.PrimaryReplicaRouter"]
    MIDDLEWARE.insert(1, "kbapp.routers.PrimaryPinMiddleware")
# Seconds a client reads from the primary after it wrote: longer than the replica's lag.
REPLICA_PIN_SECONDS = int(os.environ.get("REPLICA_PIN_SECONDS", 10))
if env_bool("DISABLE_SERVER_SIDE_CURSORS"):
    # PgBouncer in transaction pooling mode cannot keep a named cursor between statements.
    for config in DATABASES.values():
        config["DISABLE_SERVER_SIDE_CURSORS"] = True
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
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed names need a collectstatic run, which a test run does not make.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if TESTING
        else "kbapp.storage.StaticStorage"
    },
}

# --- Hardening (docs/deploy.md). Secure by default with DEBUG off; a laptop on plain
# HTTP or a TLS-terminating proxy opts out through the environment. A test run talks plain
# HTTP to the test client, so redirects and HSTS default off there.
PRODUCTION = not DEBUG and not TESTING
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS") or (31536000 if PRODUCTION else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip():
    # Only behind a proxy that sets this header itself: otherwise a client could forge it.
    SECURE_PROXY_SSL_HEADER = proxy_ssl_header(os.environ["SECURE_PROXY_SSL_HEADER"])
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Cache, sessions, page cache (docs/performance.md) ---------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "kbapp.cache.KbRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "kb"),
        }
    }
    # N app hosts share sessions through Redis: any host can serve any request.
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    # One host, several worker processes: files under var/ are shared by all of them, so a
    # publication or a hidden thread retires every worker's cached pages at once (each
    # process's own memory would serve the old page until it expired).
    CACHES = {
        "default": {
            "BACKEND": "kbapp.cache.KbFileCache",
            "LOCATION": os.environ.get("CACHE_DIR", str(VAR_DIR / "cache")),
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }
# Seconds a page stays in the server's cache (a content change retires it at once) and
# seconds a browser or CDN may keep it before revalidating with its ETag.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", 0 if TESTING else 600))
PAGE_CACHE_MAX_AGE = int(os.environ.get("PAGE_CACHE_MAX_AGE", 60))
# After an edit, the request that claims a page's render is answered with the old copy and
# the page rendered behind it on a thread (kbapp/pagecache.py). Off under tests, whose data
# lives in a transaction that another thread's connection cannot see.
PAGE_CACHE_RENDER_BEHIND = env_bool("PAGE_CACHE_RENDER_BEHIND", not TESTING)
# Seconds a page may go on showing the text from before an edit (never a removal); 0 renders
# it again on its next request. The page's copy is the same for this long after any edit.
PAGE_CACHE_EDIT_SECONDS = int(os.environ.get("PAGE_CACHE_EDIT_SECONDS", 0 if TESTING else 5))

# --- Throttling -------------------------------------------------------------------------
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = int(os.environ.get("AXES_COOLOFF_HOURS", 1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Per client IP, in the shared cache; empty turns a limit off (the test run's default).
RATELIMIT_SEARCH = os.environ.get("RATELIMIT_SEARCH", "" if TESTING else "60/m")
RATELIMIT_API = os.environ.get("RATELIMIT_API", "" if TESTING else "120/m")
# Behind a proxy, the request header that holds the client's address (e.g. HTTP_X_REAL_IP
# or HTTP_X_FORWARDED_FOR), and how many proxies in front append to it: the address is that
# many entries from the chain's right. Unset, the connection's own address. One function,
# kbapp.clientip.client_ip, reads it for the rate limits, the vote limit and the lock-out.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "").strip()
_trusted = os.environ.get("CLIENT_IP_TRUSTED_PROXIES", "1").strip()
if not (_trusted.isascii() and _trusted.isdigit() and int(_trusted) >= 1):
    sys.exit(f"CLIENT_IP_TRUSTED_PROXIES must be a whole number from 1, not {_trusted[:20]!r}.")
CLIENT_IP_TRUSTED_PROXIES = int(_trusted)
AXES_CLIENT_IP_CALLABLE = "kbapp.clientip.client_ip"
# /readyz names what failed to everyone, but shows the error's text (hosts, ports) only to
# this host or to a caller sending this token in X-Readyz-Token.
READYZ_TOKEN = os.environ.get("READYZ_TOKEN", "").strip()
SILENCED_SYSTEM_CHECKS = [
    # Django's own RedisCache (ours extends it) increments atomically; the library's list
    # predates it.
    "django_ratelimit.W001",
]
if not REDIS_URL:
    # Without Redis the counters live in memory (tests) or the file cache, whose increments
    # are not atomic: a limit, not an exact one.
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")
SEARCH_LOG_DAYS = int(os.environ.get("SEARCH_LOG_DAYS", 90))

LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").strip().lower()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "kbapp.middleware.RequestIdFilter"}},
    "formatters": {
        # Plain messages, as before; LOG_FORMAT=json adds level, logger and request id.
        "text": {"format": "%(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "{asctime}{levelname}{name}{message}{request_id}",
            "style": "{",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

SENTRY_DSN = os.environ.get("SENTRY_DSN", "").strip()
if SENTRY_DSN:
    import sentry_sdk

    # No PII: no user names, addresses or cookies leave the site with an error report.
    sentry_sdk.init(
        dsn=SENTRY_DSN,
        send_default_pii=False,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", 0)),
    )

# Import limits, documented in README.md ("Importing threads").
KB_IMPORT_MAX_BYTES = int(os.environ.get("KB_IMPORT_MAX_BYTES", 20 * 1024 * 1024))
# Admin uploads larger than this (all files together) run as a background job, so a web
# request never waits on a long import.
KB_IMPORT_INLINE_MAX_BYTES = int(os.environ.get("KB_IMPORT_INLINE_MAX_BYTES", 256 * 1024))

# Background tasks (django-tasks): stored in the database, run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Seconds a repeated first page of search results stays in Django's cache; any change to
# the content retires it at once (kbapp/search/cache.py). The content version must be
# shared by every process that writes or serves, which the default file cache is on one
# host and Redis across hosts; 0 turns it off (the test run's default, so that every test
# searches afresh).
SEARCH_CACHE_SECONDS = int(os.environ.get("SEARCH_CACHE_SECONDS", 0 if TESTING else 300))
