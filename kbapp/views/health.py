"""Health checks for load balancers: /healthz (the process) and /readyz (what it needs)."""

from __future__ import annotations

import ipaddress
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache

from kbapp.clientip import client_ip, valid_address
from kbapp.search import schema

# Once every migration is seen applied, a process need not load the migration graph again.
migrated: set[str] = set()


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for load balancers; touches no database, so it is also the speed ceiling."""
    return HttpResponse("ok", content_type="text/plain")


def check_database() -> str:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def check_migrations() -> str:
    if DEFAULT_DB_ALIAS not in migrated:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            return f"{len(pending)} migrations not applied"
        migrated.add(DEFAULT_DB_ALIAS)
    return "ok"


def check_cache() -> str:
    key, value = "kb:readyz", uuid.uuid4().hex
    cache.set(key, value, 10)
    return "ok" if cache.get(key) == value else "the cache did not return what was stored"


def check_search_index() -> str:
    missing = schema.inspect(connections[DEFAULT_DB_ALIAS]).missing
    return "ok" if not missing else f"missing: {', '.join(missing)}"


CHECKS = {
    "database": check_database,
    "migrations": check_migrations,
    "cache": check_cache,
    "search_index": check_search_index,
}


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: 200 when every check says ok, else 503 with what failed (no traceback).

    What failed is named to everyone; the error's text (a driver's message names hosts and
    ports) only to this host itself or to a caller with READYZ_TOKEN."""
    detailed, results = may_see_detail(request), {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as exc:  # a load balancer needs an answer, never a 500
            text = str(exc).splitlines()[0][:200] if str(exc) else ""
            results[name] = f"{type(exc).__name__}: {text}" if detailed else type(exc).__name__
    ready = all(value == "ok" for value in results.values())
    return JsonResponse({"ready": ready, "checks": results}, status=200 if ready else 503)


def may_see_detail(request: HttpRequest) -> bool:
    token = settings.READYZ_TOKEN
    if token and constant_time_compare(request.headers.get("X-Readyz-Token", ""), token):
        return True
    address = valid_address(client_ip(request))
    return address is not None and ipaddress.ip_address(address).is_loopback
