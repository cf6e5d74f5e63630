"""Site-wide responses: robots.txt and the error pages (JSON under /api/)."""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.defaults import page_not_found

API_PREFIX = "/api/"
logger = logging.getLogger("kbapp.errors")
# Raised when the database cannot be reached (down, restarting, locked): a wait, not a bug.
UNAVAILABLE = (OperationalError, InterfaceError)


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        # Search results are endless combinations of the same threads.
        "Disallow: /search/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: send them to the icon."""
    return redirect(static("kbapp/favicon.svg"), permanent=True)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The site's 404 page, or a JSON error for the API."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"error": "Not found."}, status=404)
    return page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """A 500 that needs no database and no request context, so it renders when all else fails."""
    failure = sys.exc_info()[1]
    if isinstance(failure, UNAVAILABLE):
        return database_unavailable(request, failure)
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"error": "Something went wrong on our side."}, status=500)
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def database_unavailable(request: HttpRequest, failure: Exception) -> HttpResponse:
    """A 503 with Retry-After, logged as one line instead of a traceback per request."""
    reason = str(failure).strip().splitlines()[0] if str(failure).strip() else type(failure)
    logger.error(
        "Database unavailable: %s %s answered 503 (%s)", request.method, request.path, reason
    )
    if request.path.startswith(API_PREFIX):
        response = JsonResponse(
            {"error": "The service is unavailable; try again shortly."}, status=503
        )
    else:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = "30"
    # Django logs every 5xx with its traceback unless the response says it was logged.
    response._has_been_logged = True
    return response
