"""DATABASE_REPLICA_URL: reads from the replica, writes and read-your-writes on the primary.

Two databases on one PostgreSQL server stand for the primary and its streaming replica;
each is migrated on its own, then rows written to only one of them show where a read went.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.scratch_db import scratch_database
from tests.test_hardening import production_env

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


@pytest.fixture
def two_databases(tmp_path):
    with (
        scratch_database("postgresql", tmp_path, "primary") as primary,
        scratch_database("postgresql", tmp_path, "replica") as replica,
    ):
        for url in (primary, replica):
            env = production_env(tmp_path, DATABASE_URL=url)
            subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], env=env, check=True)
        yield primary, replica


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
