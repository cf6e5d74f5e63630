"""Search past threads: the /search/ page and GET /api/search (docs/api.md).

Both read the query string through the site's ThreadFilter, so location (with
everything under it), remedy, category and stage mean what they mean on every other
page; the words go to kbapp.search. Bad parameters are a 400 that says what was wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from kbapp.filters import ThreadFilter
from kbapp.models import Thread
from kbapp.search import SearchFilters, SearchHit, SearchResults, SearchTaxonomy, search
from kbapp.search.log import record_search
from kbapp.search.types import MAX_PAGE
from kbapp.selectors import BadPage, Taxonomy
from kbapp.throttle import rate_limited
from kbapp.views.api import api_view, error
from kbapp.views.public.common import controls

TEMPLATE = "kbapp/search.html"
PER_PAGE = 20
FILTERS = ["location", "remedy", "stage"]
API_PARAMS = {"q", "location", "remedy", "category", "stage", "page"}
EXAMPLES = [
    "hurts when I sneeze",
    "pain between my shoulder blades",
    "thoracic",
    "S&F",
    '"run bra"',
    "shin splints -shoes",
]


@dataclass
class SearchRequest:
    """A search as the query string asked for it, or the reasons it cannot be run."""

    text: str
    taxonomy: Taxonomy
    filterset: ThreadFilter
    page: int = 1
    errors: list[str] = field(default_factory=list)

    @property
    def filters(self) -> SearchFilters:
        data, taxonomy = self.filterset.form.cleaned_data, self.taxonomy
        location = taxonomy.location(data["location"]) if data.get("location") else None
        remedy = taxonomy.remedy(data["remedy"]) if data.get("remedy") else None
        return SearchFilters(
            location_ids=tuple(taxonomy.descendant_ids(location)) if location else (),
            remedy_id=remedy.pk if remedy else None,
            category=data.get("category") or None,
            stage=int(data["stage"]) if data.get("stage") else None,
        )


def page_number(raw: str | None) -> int:
    """A whole number from 1, or BadPage saying why not."""
    raw = (raw or "1").strip()
    if raw.startswith("-") and raw[1:].isascii() and raw[1:].isdigit():
        raise BadPage("Page numbers start at 1.")
    if not (raw.isascii() and raw.isdigit()):
        raise BadPage(f"“{raw[:20]}” is not a page number.")
    if int(raw) < 1:
        raise BadPage("Page numbers start at 1.")
    if int(raw) > MAX_PAGE:
        raise BadPage(f"Page {raw[:20]} is past the last page.")
    return int(raw)


def read_request(request: HttpRequest) -> SearchRequest:
    taxonomy = Taxonomy()
    filterset = ThreadFilter(request.GET, queryset=Thread.objects.none(), taxonomy=taxonomy)
    wanted = SearchRequest(request.GET.get("q", ""), taxonomy, filterset)
    if not filterset.is_valid():
        wanted.errors += filterset.error_messages()
    try:
        wanted.page = page_number(request.GET.get("page"))
    except BadPage as bad:
        wanted.errors.append(str(bad))
    return wanted


def run_search(wanted: SearchRequest, *, facets: bool) -> SearchResults:
    """Search, and log the first page of anything typed (no user, no address)."""
    taxonomy = SearchTaxonomy(wanted.taxonomy.locations, wanted.taxonomy.remedies)
    results = search(
        wanted.text,
        filters=wanted.filters,
        page=wanted.page,
        per_page=PER_PAGE,
        facets=facets,
        taxonomy=taxonomy,
    )
    if wanted.page == 1:
        record_search(wanted.text, results.count)
    return results


def past_the_end(results: SearchResults) -> str:
    pages = "1 page" if results.num_pages == 1 else f"{results.num_pages} pages"
    return f"Page {results.page} is past the end: these results have {pages}."


# --- The page -------------------------------------------------------------------------------


@rate_limited("search", "RATELIMIT_SEARCH")
def search_page(request: HttpRequest) -> HttpResponse:
    wanted = read_request(request)
    context = {
        "q": wanted.text,
        "examples": EXAMPLES,
        "places": wanted.taxonomy.top_level(),
        "active": wanted.filterset.active,
    }
    if wanted.errors:
        context["controls"] = controls(wanted.filterset, FILTERS)
        return render(request, TEMPLATE, {**context, "errors": wanted.errors}, status=400)
    results = run_search(wanted, facets=True)
    context["controls"] = controls(wanted.filterset, FILTERS, results.facets)
    if results.out_of_range:
        context["errors"] = [past_the_end(results)]
        return render(request, TEMPLATE, context, status=404)
    return render(request, TEMPLATE, {**context, "results": results})


# --- The API --------------------------------------------------------------------------------


@api_view
def api_search(request: HttpRequest) -> JsonResponse:
    unknown = sorted(set(request.GET) - API_PARAMS)
    if unknown:
        known = ", ".join(sorted(API_PARAMS))
        return error(f"Unknown parameter “{unknown[0][:40]}”; use {known}.", 400)
    wanted = read_request(request)
    if wanted.errors:
        fields = {name: list(messages) for name, messages in wanted.filterset.errors.items()}
        return error(" ".join(wanted.errors), 400, **({"fields": fields} if fields else {}))
    results = run_search(wanted, facets=False)
    if results.out_of_range:
        return error(past_the_end(results), 400)
    return JsonResponse(
        {
            "count": results.count,
            "page": results.page,
            "num_pages": results.num_pages,
            "next": page_url(request, results.page + 1) if results.has_next else None,
            "previous": page_url(request, results.page - 1) if results.has_previous else None,
            "suggestion": results.suggestion,
            "results": [hit_json(request, hit) for hit in results.hits],
        }
    )


def hit_json(request: HttpRequest, hit: SearchHit) -> dict:
    thread = hit.thread
    return {
        "title": thread.title,
        "slug": thread.slug,
        "url": request.build_absolute_uri(hit.url),
        "api_url": request.build_absolute_uri(reverse("api_thread_detail", args=[thread.slug])),
        "snippet": str(hit.snippet),
        "score": hit.score,
        "locations": [loc.slug for loc in hit.locations],
        "remedies": [remedy.slug for remedy in hit.remedies],
        "stage": thread.stage,
        "stage_label": thread.stage_label,
        "reply_count": hit.reply_count,
    }


def page_url(request: HttpRequest, number: int) -> str:
    query = request.GET.copy()
    query["page"] = str(number)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
