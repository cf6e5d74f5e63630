"""Per-IP rate limits on search and the API, counted in the shared cache (django-ratelimit).

Generous on purpose: a person reading and searching never meets them; a script hammering
the expensive paths gets 429 with Retry-After. Cached pages never reach these views, so a
limit counts the work the server actually does.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage

from kbapp.clientip import ratelimit_key


def too_many_requests(request: HttpRequest, retry_after: int, *, api: bool) -> HttpResponse:
    message = f"Too many requests from your address; try again in {retry_after} seconds."
    if api:
        response = JsonResponse({"error": message, "retry_after": retry_after}, status=429)
    else:
        response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def retry_after(request: HttpRequest, group: str, rate: str) -> int | None:
    """Count this request against the client's rate ("20/h"); seconds to wait if over it.

    The client is its address as settings say to read it (behind a proxy, its header).
    """
    usage = get_usage(request, group=group, key=ratelimit_key, rate=rate, increment=True)
    if usage and usage["should_limit"]:
        return max(1, math.ceil(usage["time_left"]))
    return None


def rate_limited(group: str, setting: str, *, api: bool = False) -> Callable:
    """Limit a view to settings.<setting> (e.g. "60/m") requests per client IP; "" is no limit."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            rate = getattr(settings, setting)
            if rate and (wait := retry_after(request, group, rate)):
                return too_many_requests(request, wait, api=api)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
