"""Search past threads: the /search/ page and GET /api/search (docs/api.md).

Both read the query string through the site's ThreadFilter, so location (with
everything under it), remedy, category and stage mean what they mean on every other
page; the words go to kbapp.search. Bad parameters are a 400 that says what was wrong.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from kbapp.content import content_version
from kbapp.filters import AdviceFilter, ThreadFilter
from kbapp.models import AdviceEntry, RedFlag, Thread
from kbapp.paging import BadPage, page_number, page_url, past_the_end
from kbapp.search import SearchFilters, SearchHit, SearchResults, search
from kbapp.search.log import record_search
from kbapp.selectors import advice_about, advice_queryset, attach_tags, red_flags_in
from kbapp.taxonomy import Taxonomy
from kbapp.throttle import rate_limited
from kbapp.views.api import (
    advice_summary,
    api_view,
    error,
    red_flag_json,
    unknown_parameter,
)
from kbapp.views.public.common import controls, ways_out

log = logging.getLogger(__name__)
TEMPLATE = "kbapp/search.html"
PER_PAGE = 20
FILTERS = ["location", "remedy", "stage"]
ADVICE_FILTERS = ("location", "remedy", "category", "stage")
MAX_ADVICE = 3
API_PARAMS = {"q", "location", "remedy", "category", "stage", "page"}
EXAMPLES = [
    "hurts when I sneeze",
    "pain between my shoulder blades",
    "thoracic",
    "S&F",
    '"run bra"',
    "shoulder blade -sneeze",
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
        return self.filterset.search_filters()


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
    taxonomy = wanted.taxonomy
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


def matching_advice(wanted: SearchRequest, results: SearchResults) -> list[AdviceEntry]:
    """Up to three published entries for the words, under the same filters as /advice/."""
    rank = {pk: n for n, (pk, _) in enumerate(results.advice_ids)}
    if not rank:
        return []
    data = {k: v for k, v in wanted.filterset.data.items() if k in ADVICE_FILTERS}
    filterset = AdviceFilter(
        data, queryset=advice_queryset().filter(pk__in=rank), taxonomy=wanted.taxonomy
    )
    best = sorted(filterset.qs, key=lambda entry: rank[entry.pk])[:MAX_ADVICE]
    return attach_tags(best, wanted.taxonomy)


def flags_for(wanted: SearchRequest, results: SearchResults) -> list[RedFlag]:
    """The red flags the words raise, typos corrected: "snezed" is a sneeze too."""
    return red_flags_in(f"{wanted.text}\n{results.suggestion or ''}", wanted.taxonomy)


def urgent_first(
    advice: list[AdviceEntry], flags: list[RedFlag], taxonomy: Taxonomy
) -> tuple[list[AdviceEntry], list[AdviceEntry]]:
    """With an emergency flag raised, the entries about it, and the rest kept apart: no
    self-care advice may sit directly under urgent guidance. Otherwise all, and none."""
    urgent = {flag.pk for flag in flags if flag.emergency}
    if not urgent:
        return advice, []
    about = [entry for entry in advice if advice_about(entry, urgent, taxonomy)]
    return about, [entry for entry in advice if entry not in about]


def finds_something(text: str, taxonomy: Taxonomy) -> bool:
    return search(text, per_page=1, taxonomy=taxonomy).count > 0


def working_examples(taxonomy: Taxonomy) -> list[str]:
    """The example searches that find a thread today: a suggestion that leads nowhere is
    worse than none. Kept like a first page of results (SEARCH_CACHE_SECONDS), per content
    version."""
    if not settings.SEARCH_CACHE_SECONDS:
        return [example for example in EXAMPLES if finds_something(example, taxonomy)]
    key = f"kb:search-examples:{content_version()}"
    try:
        found = cache.get(key)
    except Exception:  # an unreadable cache costs a few searches, never the page
        log.warning("search examples: cache unreadable", exc_info=True)
        found = None
    if found is None:
        found = [example for example in EXAMPLES if finds_something(example, taxonomy)]
        try:
            cache.set(key, found, settings.SEARCH_CACHE_SECONDS)
        except Exception:
            log.warning("search examples: cache unwritable", exc_info=True)
    return found


# --- The page -------------------------------------------------------------------------------


@rate_limited("search", "RATELIMIT_SEARCH")
def search_page(request: HttpRequest) -> HttpResponse:
    wanted = read_request(request)
    context = {
        "q": wanted.text,
        "places": wanted.taxonomy.top_level(),
        "active": wanted.filterset.active,
    }
    if wanted.errors:
        context["controls"] = controls(wanted.filterset, FILTERS)
        return render(request, TEMPLATE, {**context, "errors": wanted.errors}, status=400)
    results = run_search(wanted, facets=True)
    context["controls"] = controls(wanted.filterset, FILTERS, results.facets)
    context["red_flags"] = flags_for(wanted, results)
    if results.out_of_range:
        context |= {"errors": [past_the_end(results.page, results.num_pages)], "page_error": True}
        return render(request, TEMPLATE, context, status=404)
    advice = matching_advice(wanted, results)
    context["advice"], context["later_advice"] = urgent_first(
        advice, context["red_flags"], wanted.taxonomy
    )
    if not results.count or not results.searched:
        context |= suggestions(request, wanted, results, context["controls"])
    return render(request, TEMPLATE, {**context, "results": results})


def suggestions(request, wanted: SearchRequest, results: SearchResults, controls) -> dict:
    """What the no-results and empty pages suggest, each only if it finds something."""
    taxonomy, found = wanted.taxonomy, {"examples": working_examples(wanted.taxonomy)}
    if results.suggestion and finds_something(results.suggestion, taxonomy):
        found["try_instead"] = results.suggestion
    more = f"shoulder {wanted.text}"
    if wanted.text.strip() and not results.searched and finds_something(more, taxonomy):
        found["add_a_word"] = more
    if not results.count and wanted.filterset.active:
        everywhere = search(wanted.text, per_page=1, taxonomy=taxonomy).count
        found["ways_out"] = ways_out(request, controls, everywhere)
    return found


# --- The API --------------------------------------------------------------------------------


@api_view
def api_search(request: HttpRequest) -> JsonResponse:
    if refused := unknown_parameter(request, API_PARAMS):
        return refused
    wanted = read_request(request)
    if wanted.errors:
        fields = {name: list(messages) for name, messages in wanted.filterset.errors.items()}
        return error(" ".join(wanted.errors), 400, **({"fields": fields} if fields else {}))
    results = run_search(wanted, facets=False)
    if results.out_of_range:
        return error(past_the_end(results.page, results.num_pages), 400)
    flags = flags_for(wanted, results)
    first, later = urgent_first(matching_advice(wanted, results), flags, wanted.taxonomy)
    return JsonResponse(
        {
            "count": results.count,
            "count_exact": results.count_exact,
            "page": results.page,
            "num_pages": results.num_pages,
            "next": page_url(request, results.page + 1) if results.has_next else None,
            "previous": page_url(request, results.page - 1) if results.has_previous else None,
            "suggestion": results.suggestion,
            "red_flags": [red_flag_json(flag) for flag in flags],
            "emergency": any(flag.emergency for flag in flags),
            "advice": [advice_json(request, entry) for entry in [*first, *later]],
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


def advice_json(request: HttpRequest, entry: AdviceEntry) -> dict:
    """An entry as /api/advice lists it, with its "see a professional if" lines."""
    return {**advice_summary(request, entry), "see_a_professional_if": entry.red_flag_lines}
