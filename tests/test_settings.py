"""Settings come from the environment; production refuses to start on a weak secret."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from kbapp.settings import is_weak_secret

STRONG = "x7Gq2LmP9vR4tY8wZ1aB3cD5eF6hJ0kN-sU_iO2pQ9rS4tV7wX1yZ3aB5cD7eF9g"


def check(**env: str) -> subprocess.CompletedProcess:
    """`manage.py check` in a fresh process with exactly these settings variables."""
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "KB_TESTING"}}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        env={**clean, "ALLOWED_HOSTS": "kb.example.org", **env},
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(
    "key", [None, "", "short", "django-insecure-" + "a1b2c3d4e5" * 6, "a" * 60]
)
def test_production_refuses_a_missing_or_weak_secret_key(key):
    result = check(**({"SECRET_KEY": key} if key is not None else {}), DEBUG="false")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "SECRET_KEY is missing or weak: with DEBUG off, set SECRET_KEY to a random string of "
        "50+ characters (python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    ]


def test_production_starts_with_a_strong_key():
    result = check(SECRET_KEY=STRONG, DEBUG="false")
    assert result.returncode == 0, result.stderr


def test_development_needs_no_key():
    assert check(DEBUG="true").returncode == 0


def test_weak_secret_rules():
    assert is_weak_secret("")
    assert not is_weak_secret(STRONG)


@pytest.mark.sqlite
@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20000
    # The test database lives in memory, where WAL cannot apply; the option is what we set.
    assert "journal_mode=WAL" in settings.DATABASES["default"]["OPTIONS"]["init_command"]


def test_sqlite_file_database_is_in_wal_mode(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'wal.sqlite3'}", "DEBUG": "1"}
    code = (
        "from django.db import connection; c = connection.cursor(); "
        "print(c.execute('PRAGMA journal_mode').fetchone()[0])"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "wal"


@pytest.mark.postgres
def test_database_url_selects_postgresql():
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def outside_tests(*names: str) -> list[str]:
    """These settings as a development process outside the test run reads them."""
    env = {k: v for k, v in os.environ.items() if k not in {"KB_TESTING", "REDIS_URL"}}
    code = f"from django.conf import settings; print({', '.join(names)})"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", code],
        env={**env, "DEBUG": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split()


def test_outside_tests_static_files_are_hashed_and_compressed():
    backend = outside_tests("settings.STORAGES['staticfiles']['BACKEND']")
    assert backend == ["kbapp.storage.StaticStorage"]


def test_outside_tests_first_pages_of_search_are_cached_in_the_shared_file_cache():
    found = outside_tests("settings.SEARCH_CACHE_SECONDS", "settings.CACHES['default']['BACKEND']")
    assert found == ["300", "kbapp.cache.KbFileCache"]
