"""The anonymous page cache, retired by a content version (docs/performance.md).

Every anonymous GET of a public page is kept in Django's cache with the *content version*
it was rendered at. Whatever changes what a page shows (an import, an edit, a publication,
hiding a thread) bumps that version once its transaction commits, so every page rendered
before no longer matches and is rendered again on its next request. The version and the
page are read in one cache round trip. Requests that carry a
session (editors, staff) always reach the views. Responses say `Cache-Control: public` with
a short max-age and an ETag, so a browser or a CDN revalidates with a conditional GET.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.utils.cache import get_conditional_response, patch_cache_control

VERSION_KEY = "kb:content-version"
SKIPPED_PREFIXES = ("/admin/", "/healthz", "/readyz", "/static/")
# Cookies that make a page personal: the session (editors) and flash messages.
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary", "Cache-Control", "ETag")
# A form's CSRF token belongs to one browser: a kept page holds this marker in its place,
# and every visitor served from the cache gets a token (and cookie) of their own.
TOKEN_MARKER = b"kb-page-cache-csrf-token"
TOKEN_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # A clock start, so a flushed cache never hands out a number used before.
        cache.add(VERSION_KEY, time.time_ns() // 1_000_000, None)
        version = cache.get(VERSION_KEY)
    return version


def bump_content_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, time.time_ns() // 1_000_000, None)


# Inside one_change(): saves are one change, announced once when the block ends.
_batched: ContextVar[bool] = ContextVar("kb_batched_change", default=False)


def content_changed(**_kwargs) -> None:
    """Signal receiver: pages change when the writing transaction commits, not before."""
    if not _batched.get():
        transaction.on_commit(bump_content_version)


@contextmanager
def one_change() -> Iterator[None]:
    """Whatever is saved inside counts as one change: an import writes a thread with its
    replies and tags, a dozen rows, and a file hundreds of threads in one transaction,
    each of which would otherwise queue a bump of its own for the commit (a write to the
    shared cache each). Use it inside the transaction, so the one bump waits for it."""
    token = _batched.set(True)
    try:
        yield
    finally:
        _batched.reset(token)
    content_changed()


def page_key(request: HttpRequest) -> str:
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return f"kb:page:{hashlib.sha256(url.encode()).hexdigest()}"


def wants_cache(request: HttpRequest) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not request.path.startswith(SKIPPED_PREFIXES)
        and "Authorization" not in request.headers
        and not any(name in request.COOKIES for name in PERSONAL_COOKIES)
    )


def can_keep(request: HttpRequest, response: HttpResponse) -> bool:
    control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        # The CSRF cookie is the one a kept page may set: each visitor is given their own.
        and not set(response.cookies) - {settings.CSRF_COOKIE_NAME}
        and not any(word in control for word in ("private", "no-cache", "no-store"))
        # A nonce written into the page would be replayed to everyone: never keep those.
        and getattr(request, "_csp_nonce", None) is None
    )


def without_token(response: HttpResponse) -> bytes | None:
    """The page with its form token replaced by the marker; None when the page sets the
    CSRF cookie but shows no form field to put a visitor's own token in."""
    tokens = set(TOKEN_FIELD.findall(response.content))
    if len(tokens) > 1 or (not tokens and settings.CSRF_COOKIE_NAME in response.cookies):
        return None
    return response.content.replace(tokens.pop(), TOKEN_MARKER) if tokens else response.content


def with_own_token(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A kept page's forms given this visitor's token, the cookie set when they lack one."""
    if TOKEN_MARKER not in response.content:
        return response
    csrf = CsrfViewMiddleware(lambda _request: response)
    csrf.process_request(request)
    response.content = response.content.replace(TOKEN_MARKER, get_token(request).encode())
    return csrf.process_response(request, response)


def frozen(content: bytes, response: HttpResponse, version: int) -> dict:
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    return {"version": version, "content": content, "headers": headers}


def thawed(entry: dict) -> HttpResponse:
    response = HttpResponse(entry["content"])
    for name, value in entry["headers"].items():
        response[name] = value
    return response


class PageCacheMiddleware:
    """Serves and keeps anonymous pages; see the module docstring."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not wants_cache(request):
            return self.get_response(request)
        key = page_key(request)
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY) or content_version()
        entry = found.get(key)
        if entry is not None and entry["version"] == version:
            return self.answer(request, with_own_token(request, thawed(entry)), "hit")
        response = self.get_response(request)
        content = without_token(response) if can_keep(request, response) else None
        if content is None:
            return response
        patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_MAX_AGE)
        digest = hashlib.md5(content, usedforsecurity=False).hexdigest()[:20]
        response["ETag"] = f'"{version}-{digest}"'
        cache.set(key, frozen(content, response, version), settings.PAGE_CACHE_SECONDS)
        return self.answer(request, response, "miss")

    def answer(self, request: HttpRequest, response: HttpResponse, how: str) -> HttpResponse:
        response["X-Page-Cache"] = how
        return get_conditional_response(request, etag=response["ETag"], response=response)


class ContentChangeMiddleware:
    """An editor's successful write may touch any page: admin actions update in bulk,
    which no model signal sees, so any such request retires the cached pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        writes = request.method not in ("GET", "HEAD", "OPTIONS", "TRACE")
        if writes and response.status_code < 400 and request.user.is_authenticated:
            content_changed()
        return response
