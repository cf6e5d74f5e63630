"""Throwaway databases of either vendor for tests that run manage.py in another process."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import psycopg2
import pytest
from django.conf import settings

# Where a SQLite test run finds a PostgreSQL server for the vendor-crossing tests.
SERVER_URL = os.environ.get("KB_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def server() -> dict:
    """Connection parameters of the PostgreSQL server (the test database's, when it is one)."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.postgresql":
        return {
            "user": db["USER"],
            "host": db["HOST"],
            "port": db["PORT"],
            "password": db["PASSWORD"],
        }
    url = urlsplit(SERVER_URL)
    return {
        "user": url.username,
        "host": url.hostname,
        "port": url.port or 5432,
        "password": url.password,
    }


def run_sql(sql: str) -> None:
    conn = psycopg2.connect(dbname="postgres", connect_timeout=5, **server())
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
    finally:
        conn.close()


def postgres_url(name: str) -> str:
    s = server()
    auth = s["user"] + (f":{s['password']}" if s["password"] else "")
    return f"postgres://{auth}@{s['host']}:{s['port']}/{name}"


@contextmanager
def scratch_database(vendor: str, tmp_path: Path, name: str = "") -> Iterator[str]:
    """A new, empty database's URL; dropped afterwards. Skips (fails in CI) without a server."""
    if vendor == "sqlite":
        yield f"sqlite:///{tmp_path / f'{name or uuid.uuid4().hex[:8]}.sqlite3'}"
        return
    name = f"test_kb_scratch_{name or uuid.uuid4().hex[:8]}"
    try:
        run_sql(f'DROP DATABASE IF EXISTS "{name}"')
        run_sql(f'CREATE DATABASE "{name}"')
    except psycopg2.OperationalError as error:
        reason = f"no PostgreSQL server for a scratch database: {str(error).strip()[:120]}"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(reason)
        pytest.skip(reason)
    try:
        yield postgres_url(name)
    finally:
        run_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
