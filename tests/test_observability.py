"""Readiness for load balancers, JSON logs with a request id, optional Sentry, Redis."""

from __future__ import annotations

import json
import os
import socket

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from kbapp.content import bump_content_version, content_version
from kbapp.views import health
from tests.test_hardening import manage, production_env

REDIS = "redis://127.0.0.1:6379/13"


@pytest.fixture
def redis_server() -> None:
    """Redis on loopback (.ci/run starts one); elsewhere its absence skips, in CI it fails."""
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=2).close()
    except OSError:
        reason = "no Redis on 127.0.0.1:6379"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(reason)
        pytest.skip(reason)


REDIS_CACHE = {"default": {"BACKEND": "kbapp.cache.KbRedisCache", "LOCATION": REDIS}}


@pytest.mark.django_db
def test_ready_when_database_migrations_cache_and_index_answer(
    client, django_assert_max_num_queries
):
    health.migrated.clear()
    client.get("/readyz")
    with django_assert_max_num_queries(6):  # once migrations are seen applied
        response = client.get("/readyz")
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "ready": True,
        "checks": {"database": "ok", "migrations": "ok", "cache": "ok", "search_index": "ok"},
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_not_ready_when_the_cache_is_down(client, settings):
    settings.CACHES = {
        **REDIS_CACHE,
        "default": {**REDIS_CACHE["default"], "LOCATION": "redis://127.0.0.1:1/0"},
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["ready"] is False and body["checks"]["database"] == "ok"
    assert body["checks"]["cache"].startswith("ConnectionError")


@pytest.mark.django_db
def test_only_this_host_or_a_token_sees_why_the_cache_is_down(settings):
    settings.CACHES = {
        **REDIS_CACHE,
        "default": {**REDIS_CACHE["default"], "LOCATION": "redis://127.0.0.1:1/0"},
    }
    settings.READYZ_TOKEN = "s3cret-token"
    stranger = Client(REMOTE_ADDR="203.0.113.7").get("/readyz")
    assert stranger.status_code == 503
    assert json.loads(stranger.content)["checks"]["cache"] == "ConnectionError"
    assert "127.0.0.1" not in stranger.content.decode()
    wrong = Client(REMOTE_ADDR="203.0.113.7", HTTP_X_READYZ_TOKEN="guess").get("/readyz")
    assert json.loads(wrong.content)["checks"]["cache"] == "ConnectionError"
    operator = Client(REMOTE_ADDR="203.0.113.7", HTTP_X_READYZ_TOKEN="s3cret-token")
    assert json.loads(operator.get("/readyz").content)["checks"]["cache"].startswith(
        "ConnectionError: "
    )
    local = Client(REMOTE_ADDR="::1").get("/readyz")
    assert json.loads(local.content)["checks"]["cache"].startswith("ConnectionError: ")


@pytest.mark.django_db
def test_not_ready_when_the_search_index_lost_a_trigger(client):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname, tgrelid::regclass FROM pg_trigger "
                "WHERE tgname LIKE 'kbapp_search_%%' AND NOT tgisinternal LIMIT 1"
            )
            name, table = cursor.fetchone()
            cursor.execute(f"DROP TRIGGER {name} ON {table}")
        else:
            cursor.execute("DROP TRIGGER kbapp_search_thread_inserted")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["search_index"].startswith("missing: ")


def test_json_logs_carry_the_request_id(tmp_path):
    env = production_env(tmp_path, LOG_FORMAT="json", ALLOWED_HOSTS="testserver")
    code = (
        "from django.test import Client; "
        "Client().post('/api/advice', HTTP_X_REQUEST_ID='req-12345678', secure=True)"
    )
    result = manage(env, "shell", "-v0", "-c", code)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    errors = [line for line in lines if line["logger"] == "django.request"]
    assert len(errors) == 1
    assert errors[0]["request_id"] == "req-12345678"
    assert errors[0]["level"] == "WARNING" and "Method Not Allowed" in errors[0]["message"]


def test_sentry_starts_only_with_a_dsn_and_sends_no_personal_data(tmp_path):
    code = (
        "import sentry_sdk; c = sentry_sdk.get_client(); "
        "print(c.is_active(), c.options['send_default_pii'] if c.is_active() else '-')"
    )
    without = manage(production_env(tmp_path), "shell", "-v0", "-c", code)
    assert without.stdout.strip() == "False -", without.stderr
    dsn = production_env(tmp_path, SENTRY_DSN="https://public@sentry.example.invalid/1")
    assert manage(dsn, "shell", "-v0", "-c", code).stdout.strip() == "True False"


def test_redis_url_puts_cache_and_sessions_in_redis(tmp_path, redis_server):
    code = (
        "from django.conf import settings; from django.core.cache import cache; "
        "cache.set('kb-test', 42); "
        "print(settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE, "
        "cache.get('kb-test'))"
    )
    result = manage(production_env(tmp_path, REDIS_URL=REDIS), "shell", "-v0", "-c", code)
    assert result.stdout.split() == [
        "kbapp.cache.KbRedisCache",
        "django.contrib.sessions.backends.cache",
        "42",
    ], result.stderr


@pytest.mark.django_db
def test_the_page_cache_and_its_version_work_in_redis(client, settings, redis_server):
    settings.CACHES = REDIS_CACHE
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    try:
        assert client.get("/advice/")["X-Page-Cache"] == "miss"
        assert client.get("/advice/")["X-Page-Cache"] == "hit"
        before = content_version()
        bump_content_version()
        assert content_version() == before + 1
        assert client.get("/advice/")["X-Page-Cache"] == "miss"
    finally:
        cache.clear()
