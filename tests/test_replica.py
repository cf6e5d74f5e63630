"""DATABASE_REPLICA_URL: reads from the replica, writes and read-your-writes on the primary.

Two databases on one PostgreSQL server stand for the primary and its streaming replica;
each is migrated on its own, then rows written to only one of them show where a read went.
"""

from __future__ import annotations

import subprocess
import sys

import psycopg2
import pytest
from django.conf import settings

from tests.test_hardening import production_env

pytestmark = pytest.mark.postgres

SCRIPT = r"""
from django.db import transaction
from django.test import Client
from kbapp.models import SearchQuery
from kbapp.routers import pinned

def seen():
    return sorted(SearchQuery.objects.values_list("query", flat=True))

SearchQuery.objects.using("default").create(query="on the primary", results=0)
SearchQuery.objects.using("replica").create(query="on the replica", results=0)
pinned.set(False)
print("read", seen())
with transaction.atomic():
    print("in a transaction", seen())
SearchQuery.objects.create(query="written", results=0)
print("after a write", seen())
pinned.set(False)

client = Client()
print("request", client.get("/api/advice").status_code, pinned.get())
response = client.post("/admin/login/", {"username": "nobody", "password": "x"})
print("pin cookie after a write", response.cookies.get("kb_primary") is not None)
"""


def postgres(database: str, sql: str) -> None:
    db = settings.DATABASES["default"]
    conn = psycopg2.connect(
        dbname=database, user=db["USER"], host=db["HOST"], port=db["PORT"], password=db["PASSWORD"]
    )
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(sql)
    conn.close()


@pytest.fixture
def two_databases(tmp_path):
    db = settings.DATABASES["default"]
    base = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}"
    names = [f"{db['NAME']}_primary", f"{db['NAME']}_replica"]
    for name in names:
        postgres("postgres", f'DROP DATABASE IF EXISTS "{name}"')
        postgres("postgres", f'CREATE DATABASE "{name}"')
    urls = [f"{base}/{name}" for name in names]
    try:
        for url in urls:
            env = production_env(tmp_path, DATABASE_URL=url)
            subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], env=env, check=True)
        yield urls
    finally:
        for name in names:
            postgres("postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_reads_go_to_the_replica_until_the_request_writes(two_databases, tmp_path):
    primary, replica = two_databases
    env = production_env(
        tmp_path,
        DATABASE_URL=primary,
        DATABASE_REPLICA_URL=replica,
        KB_TESTING="1",  # plain static file names: nothing was collected here
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", SCRIPT],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "read ['on the replica']",
        "in a transaction ['on the primary']",
        "after a write ['on the primary', 'written']",
        "request 200 False",
        "pin cookie after a write True",
    ]
