"""The anonymous page cache (docs/performance.md).

Every anonymous GET of a public page is kept in Django's cache with the content versions it
was rendered at (kbapp/content.py). A copy at the current content version is served as it
is. A copy from before a removal (a hidden thread, unpublished advice, a rejected note, a
deletion) is never served: one request renders the page while the others wait for it (or
render themselves if it takes too long). A copy from before an ordinary edit stands in:
while it is younger than PAGE_CACHE_EDIT_SECONDS it is served as it is (with edits landing
every second, every page would otherwise be rendered every second, and the CPU is the
readers'); after that, one request claims the render (the renders of one URL are
coalesced), and even that request is answered with the old copy while the page is rendered
behind it on the worker's render thread, through the whole middleware stack
(PAGE_CACHE_RENDER_BEHIND). So an edit a second costs readers no queue. Pages that fill the
cache are read from the primary database, so a lagging replica is never stored as current.

The key is the path and only the query parameters the view accepts, in a canonical order,
so that junk parameters cannot fill the cache. The page is kept with every header the
response had, so a hit answers as the miss did; its ETag is the digest of its content, so an
unchanged page revalidates with a 304 after unrelated changes. A cache that cannot be read
or written is logged and the page served uncached. Requests that carry a live session
(editors, staff) always reach the views; a session cookie that names no session does not.
"""

from __future__ import annotations

import hashlib
import io
import logging
import queue
import threading
import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.db import connections
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.module_loading import import_string

from kbapp import routers
from kbapp.content import REMOVAL_KEY, VERSION_KEY, Versions, read_versions

SKIPPED_PREFIXES = ("/admin/", "/healthz", "/readyz", "/static/")
# Cookies that make pages under a path one browser's own: a flash message anywhere, and the
# "Was this helpful?" votes (kbapp/views/public/feedback.py), which the advice pages answer.
PERSONAL_COOKIES = {"messages": "/", "kb_helpful": "/advice/"}
# Headers that belong to one response, never to a kept page.
OWN_HEADERS = {"set-cookie", "x-page-cache", "x-request-id", "etag"}
# How long one request may hold a URL's render before others stop waiting for it.
RENDER_SECONDS = 10
WAIT_STEP = 0.02
log = logging.getLogger(__name__)


def page_params(*names: str):
    """Declares the query parameters a view reads: only they form its pages' cache key."""

    def declare(view):
        view.page_params = frozenset(names)
        return view

    return declare


def canonical_query(request: HttpRequest) -> str | None:
    """The query string as the key sees it; None when the view declares nothing (every
    parameter then counts, in sorted order)."""
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return None
    accepted = getattr(view, "page_params", None)
    pairs = sorted(
        (name, value)
        for name, values in request.GET.lists()
        for value in values
        if accepted is None or name in accepted
    )
    return urlencode(pairs)


def page_key(request: HttpRequest) -> str:
    query = canonical_query(request)
    if query is None:
        query = urlencode(sorted(request.GET.items()))
    url = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return f"kb:page:{hashlib.sha256(url.encode()).hexdigest()}"


def has_live_session(request: HttpRequest) -> bool:
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return False
    store: SessionBase = import_string(f"{settings.SESSION_ENGINE}.SessionStore")(key)
    return not store.is_empty() and bool(store.load())


def wants_cache(request: HttpRequest) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not request.path.startswith(SKIPPED_PREFIXES)
        and "Authorization" not in request.headers
        and not any(
            name in request.COOKIES and request.path.startswith(prefix)
            for name, prefix in PERSONAL_COOKIES.items()
        )
        and not has_live_session(request)
    )


def can_keep(request: HttpRequest, response: HttpResponse) -> bool:
    control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not any(word in control for word in ("private", "no-cache", "no-store"))
        # A nonce written into the page would be replayed to everyone: never keep those.
        and getattr(request, "_csp_nonce", None) is None
    )


def frozen(response: HttpResponse, versions: Versions) -> dict:
    headers = {k: v for k, v in response.headers.items() if k.lower() not in OWN_HEADERS}
    return {
        "version": versions.content,
        "removal": versions.removal,
        "at": time.time(),
        "content": response.content,
        "headers": headers,
    }


def thawed(entry: dict) -> HttpResponse:
    response = HttpResponse(entry["content"])
    for name, value in entry["headers"].items():
        response[name] = value
    response["ETag"] = content_etag(entry["content"])
    return response


def content_etag(content: bytes) -> str:
    return f'"{hashlib.sha256(content).hexdigest()[:32]}"'


# Marks the copy of a request that renders a page behind the answer given from the old copy.
BEHIND = "kb.page_cache.behind"
# One thread a process renders behind, one page after another: pages retired together by
# an edit would otherwise each take a thread, and the requests being served would wait for
# the interpreter behind all of them.
_queue: queue.SimpleQueue[dict] = queue.SimpleQueue()
_renderer: threading.Thread | None = None


def render_behind(request: HttpRequest) -> bool:
    """Renders the page again on this process's render thread, through the whole stack, as
    if asked afresh: False when this request cannot be copied so (the caller then renders
    it itself)."""
    global _renderer
    if not settings.PAGE_CACHE_RENDER_BEHIND or not isinstance(request, WSGIRequest):
        return False
    _queue.put({**request.META, BEHIND: True, "wsgi.input": io.BytesIO()})
    if _renderer is None or not _renderer.is_alive():
        _renderer = threading.Thread(target=_render_queued, daemon=True)
        _renderer.start()
    return True


def _render_queued() -> None:
    handler = WSGIHandler()
    while True:
        environ = _queue.get()
        try:
            response = handler(environ, lambda *args, **kwargs: None)
            response.close()  # what a server does: request_finished, connections returned
        except Exception:
            log.exception("A page could not be rendered behind its old copy.")
        finally:
            connections.close_all()


class PageCacheMiddleware:
    """Serves and keeps anonymous pages; see the module docstring."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not wants_cache(request):
            return self.get_response(request)
        key = page_key(request)
        try:
            found = cache.get_many([VERSION_KEY, REMOVAL_KEY, key])
            versions = read_versions(found)
        except Exception:
            log.exception("The page cache cannot be read: serving uncached.")
            return self.get_response(request)
        entry = found.get(key)
        if request.META.get(BEHIND):
            return self.render(request, key, versions)
        if entry is not None and entry.get("version") == versions.content:
            return self.answer(request, thawed(entry), "hit")
        stands_in = entry is not None and entry.get("removal") == versions.removal
        if stands_in and time.time() - entry.get("at", 0) < settings.PAGE_CACHE_EDIT_SECONDS:
            return self.answer(request, thawed(entry), "stale")
        if self.claim(key):
            if stands_in and render_behind(request):
                return self.answer(request, thawed(entry), "stale")
            return self.render(request, key, versions)
        if stands_in:
            return self.answer(request, thawed(entry), "stale")
        waited = self.wait(key, versions)
        if waited is not None:
            return self.answer(request, thawed(waited), "hit")
        return self.render(request, key, versions, claimed=False)

    def claim(self, key: str) -> bool:
        """This request renders the URL; others serve the copy they have, or wait."""
        try:
            return cache.add(f"{key}:render", 1, RENDER_SECONDS)
        except Exception:
            return True

    def wait(self, key: str, versions: Versions) -> dict | None:
        """The copy another request is rendering; None to render it here instead (it took
        too long, failed, was not kept, or the cache stopped answering)."""
        deadline = time.monotonic() + RENDER_SECONDS
        try:
            while time.monotonic() < deadline:
                time.sleep(WAIT_STEP)
                entry = cache.get(key)
                if entry is not None and entry.get("version", 0) >= versions.content:
                    return entry
                if cache.get(f"{key}:render") is None:
                    return None
        except Exception:
            log.exception("The page cache stopped answering while a page rendered.")
        return None

    def render(
        self, request: HttpRequest, key: str, versions: Versions, *, claimed: bool = True
    ) -> HttpResponse:
        # Read from the primary: a replica behind it would be stored under the new version.
        token = routers.pinned.set(True)
        try:
            response = self.get_response(request)
        finally:
            routers.pinned.reset(token)
        try:
            if can_keep(request, response):
                patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_MAX_AGE)
                cache.set(key, frozen(response, versions), settings.PAGE_CACHE_SECONDS)
            if claimed:
                cache.delete(f"{key}:render")
        except Exception:
            log.exception("The page cache cannot be written: serving uncached.")
            return response
        if not can_keep(request, response):
            return response
        response["ETag"] = content_etag(response.content)
        return self.answer(request, response, "miss")

    def answer(self, request: HttpRequest, response: HttpResponse, how: str) -> HttpResponse:
        response["X-Page-Cache"] = how
        return get_conditional_response(request, etag=response["ETag"], response=response)
