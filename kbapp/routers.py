"""Reads from a streaming replica, writes to the primary (DATABASE_REPLICA_URL, docs/deploy.md).

A replica lags the primary by a little, so a request that has written reads from the
primary for the rest of it (read your writes), and so does the same client for a few
seconds after, through a short cookie: the page after a POST's redirect shows the edit.
Anything inside a transaction on the primary reads there too, so a service never decides
on a stale row.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PIN_COOKIE = "kb_primary"
pinned: ContextVar[bool] = ContextVar("pinned_to_primary", default=False)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        if pinned.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints) -> str:
        pinned.set(True)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        # The replica copies the primary's schema through replication, never by migrate.
        return db == DEFAULT_DB_ALIAS


class PrimaryPinMiddleware:
    """Starts each request unpinned unless its client wrote a moment ago."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = pinned.set(PIN_COOKIE in request.COOKIES)
        try:
            response = self.get_response(request)
            wrote = pinned.get()
        finally:
            pinned.reset(token)
        if wrote and PIN_COOKIE not in request.COOKIES:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
