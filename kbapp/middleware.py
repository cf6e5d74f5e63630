"""Small response middleware: a request id for the logs, and the Permissions-Policy header."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# A proxy's id is kept when it looks like one, so one id follows a request through the hops.
VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
request_id: ContextVar[str] = ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    """Adds the id of the request being served (or "-") to every log record.

    Django logs a failed request after the middleware has returned, with the request
    attached to the record, so that one is asked first."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "id", None) or request_id.get()
        return True


class RequestIdMiddleware:
    """Takes X-Request-ID from the proxy or makes one; logs carry it, the response echoes it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request.id = given if VALID_ID.match(given) else uuid.uuid4().hex
        token = request_id.set(request.id)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = request.id
        return response


class PermissionsPolicyMiddleware:
    """Django sets the other security headers itself; this one has no setting of its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
