"""The read-only JSON API for advice and threads (docs/api.md).

Same FilterSets and selectors as the HTML pages, so a query string means the same thing
in both. Bad parameters are a 400 with {"error": ...}; unknown slugs a JSON 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt

from kbapp.filters import AdviceFilter
from kbapp.markdown import render_markdown
from kbapp.models import AdviceEntry, RedFlag, Thread
from kbapp.paging import BadPage, page_url, paginate
from kbapp.selectors import advice_queryset, attach_tags, cited_replies, related_advice, thread_page
from kbapp.taxonomy import Taxonomy
from kbapp.throttle import rate_limited

PER_PAGE = 20
ADVICE_PARAMS = {"location", "remedy", "category", "stage", "q", "sort", "page"}


def error(message: str, status: int, **extra) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


def unknown_parameter(request: HttpRequest, allowed: set[str]) -> JsonResponse | None:
    """A 400 naming the first parameter the endpoint does not take, or None."""
    unknown = sorted(set(request.GET) - allowed)
    if not unknown:
        return None
    return error(f"Unknown parameter “{unknown[0][:40]}”; use {', '.join(sorted(allowed))}.", 400)


def api_view(view: Callable[..., JsonResponse]) -> Callable[..., JsonResponse]:
    """GET and HEAD only, answered in JSON, cacheable for a minute by anyone, rate limited.

    Exempt from CSRF so that a POST gets this 405, not the CSRF failure page: the API
    reads only, and every other method is refused before the view runs.
    """

    @csrf_exempt
    @rate_limited("api", "RATELIMIT_API", api=True)
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> JsonResponse:
        if request.method not in ("GET", "HEAD"):
            response = error(f"{request.method} is not allowed here; use GET.", 405)
            response["Allow"] = "GET, HEAD"
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=60)
        return response

    return wrapper


@api_view
def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """Any other /api/ URL, with DEBUG on too (Django's debug 404 page is HTML)."""
    return error(
        f"No API endpoint at “{request.path[:80]}”; see /api/search, /api/advice, "
        "/api/advice/<slug>, /api/threads/<slug> and /api/check.",
        404,
    )


@api_view
def advice_list(request: HttpRequest) -> JsonResponse:
    if refused := unknown_parameter(request, ADVICE_PARAMS):
        return refused
    taxonomy = Taxonomy()
    filterset = AdviceFilter(request.GET, queryset=advice_queryset(), taxonomy=taxonomy)
    if not filterset.is_valid():
        fields = {name: list(messages) for name, messages in filterset.errors.items()}
        return error(" ".join(filterset.error_messages()), 400, fields=fields)
    try:
        page = paginate(filterset.qs, request.GET.get("page"), PER_PAGE)
    except BadPage as bad:
        return error(str(bad), 400)
    page.object_list = attach_tags(page.object_list, taxonomy)
    return JsonResponse(
        {
            "count": page.paginator.count,
            "page": page.number,
            "num_pages": page.paginator.num_pages,
            "next": page_url(request, page.next_page_number()) if page.has_next() else None,
            "previous": (
                page_url(request, page.previous_page_number()) if page.has_previous() else None
            ),
            "results": [advice_summary(request, entry) for entry in page],
        }
    )


@api_view
def advice_detail(request: HttpRequest, slug: str) -> JsonResponse:
    entry = advice_queryset().filter(slug=slug).first()
    if entry is None:
        return error(f"No published advice entry “{slug}”.", 404)
    entry.places = list(entry.locations.all())
    entry.remedy_tags = list(entry.remedies.all())
    return JsonResponse(
        {
            **advice_summary(request, entry),
            "body_html": str(render_markdown(entry.body)),
            "see_a_professional_if": entry.red_flag_lines,
            "sources": [
                {
                    "url": request.build_absolute_uri(reply.get_absolute_url()),
                    "author": reply.author,
                    "posted_at": _iso(reply.posted_at),
                    "body": reply.body,
                    "thread": _thread_link(request, reply.thread),
                }
                for reply in cited_replies(entry)
            ],
            "related": [
                _advice_link(request, other)
                for other in related_advice(entry, [loc.pk for loc in entry.places])
            ],
        }
    )


@api_view
def thread_detail(request: HttpRequest, slug: str) -> JsonResponse:
    thread = Thread.objects.visible().filter(slug=slug).first()
    if thread is None:
        return error(f"No thread “{slug}”.", 404)
    if refused := unknown_parameter(request, {"page"}):
        return refused
    try:
        view = thread_page(thread, request.GET.get("page"))
    except BadPage as bad:
        return error(str(bad), 400)
    page = view.page
    return JsonResponse(
        {
            **_thread_link(request, thread),
            "body": thread.body,
            "author": thread.author,
            "community": thread.community,
            "source_url": thread.source_url,
            "posted_at": _iso(thread.posted_at),
            "stage": thread.stage,
            "stage_label": thread.stage_label,
            "locations": [loc.slug for loc in view.locations],
            "remedies": [remedy.slug for remedy in view.remedies],
            "reply_count": view.reply_count,
            "page": page.number,
            "num_pages": page.paginator.num_pages,
            "next": page_url(request, page.next_page_number()) if page.has_next() else None,
            "previous": (
                page_url(request, page.previous_page_number()) if page.has_previous() else None
            ),
            "replies": [_reply(request, reply) for reply in view.replies],
            "advice": [_advice_link(request, entry) for entry in view.advice],
            "red_flags": [red_flag_json(flag) for flag in view.red_flags],
        }
    )


def red_flag_json(flag: RedFlag) -> dict:
    return {"name": flag.name, "advice": flag.advice, "emergency": flag.emergency}


def advice_summary(request: HttpRequest, entry: AdviceEntry) -> dict:
    """An entry as listed: its links, summary, tags (see attach_tags) and support."""
    return {
        **_advice_link(request, entry),
        "summary": entry.summary,
        "locations": [loc.slug for loc in entry.places],
        "remedies": [remedy.slug for remedy in entry.remedy_tags],
        "support": entry.support,
        "published_at": _iso(entry.published_at),
        "review_due": _iso(entry.review_due),
    }


def _link(request: HttpRequest, item: AdviceEntry | Thread, api_name: str) -> dict:
    return {
        "title": item.title,
        "slug": item.slug,
        "url": request.build_absolute_uri(item.get_absolute_url()),
        "api_url": request.build_absolute_uri(reverse(api_name, args=[item.slug])),
    }


def _advice_link(request: HttpRequest, entry: AdviceEntry) -> dict:
    return _link(request, entry, "api_advice_detail")


def _thread_link(request: HttpRequest, thread: Thread) -> dict:
    return _link(request, thread, "api_thread_detail")


def _reply(request: HttpRequest, reply) -> dict:
    return {
        "id": reply.pk,
        "anchor": reply.anchor,
        "url": request.build_absolute_uri(reply.get_absolute_url()),
        "position": reply.position,
        "author": reply.author,
        "in_reply_to": reply.in_reply_to,
        "posted_at": _iso(reply.posted_at),
        "body": reply.body,
        "claims": [
            {"remedy": c.remedy.slug, "location": c.location.slug, "stance": c.stance}
            for c in reply.claims
        ],
    }


def _iso(value) -> str | None:
    return value.isoformat() if value else None
