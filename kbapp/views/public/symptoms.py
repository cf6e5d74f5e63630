"""A symptom page: red flags first, then advice, the community's answers, related threads."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from kbapp.filters import AdviceFilter, AnswerFilter, SymptomFilter, ThreadFilter
from kbapp.models import Evidence, Thread
from kbapp.pagecache import page_params
from kbapp.search.facets import facet_counts
from kbapp.search.sql import within_places
from kbapp.selectors import (
    RemedySupport,
    advice_queryset,
    red_flags_for,
    remedy_support,
    threads_with_counts,
)
from kbapp.taxonomy import Taxonomy
from kbapp.views.public.common import bad_request, controls, ways_out

TEMPLATE = "kbapp/symptom_detail.html"
MAX_ADVICE = 6
MAX_THREADS = 10
FILTERS = ["stage", "category", "remedy"]
FACET_NAMES = tuple(FILTERS)


@page_params(*SymptomFilter.base_filters)
def symptom_detail(request: HttpRequest, slug: str) -> HttpResponse:
    taxonomy = Taxonomy()
    location = taxonomy.location(slug)
    if location is None:
        raise Http404("No such place on the body map.")
    form = SymptomFilter(request.GET, queryset=Thread.objects.none(), taxonomy=taxonomy)
    context = {
        "location": location,
        "ancestors": taxonomy.ancestors(location)[::-1],
        "children": taxonomy.children(location),
        "red_flags": red_flags_for(location, taxonomy),
        "active": form.active,
    }
    if not form.is_valid():
        context["controls"] = controls(form, FILTERS)
        return bad_request(request, TEMPLATE, context, form.error_messages())
    data = {"location": slug, **form.active}
    threads = ThreadFilter(data, queryset=Thread.objects.visible(), taxonomy=taxonomy)
    threads.is_valid()
    # The filters count threads about the place, as search counts them: one query that
    # starts from the place's tags (the place's filter is then the match itself).
    filters = threads.search_filters()
    place = within_places(filters.location_ids)
    facets = facet_counts(place, filters.without("location"), taxonomy, only=FACET_NAMES)
    context["controls"] = controls(form, FILTERS, facets)
    context |= listings(data, threads.qs, taxonomy)
    if form.active and not context["threads"]:
        everything = ThreadFilter({"location": slug}, queryset=threads.queryset, taxonomy=taxonomy)
        context["ways_out"] = ways_out(request, context["controls"], everything.qs.count())
    return render(request, TEMPLATE, context)


def listings(data: dict, threads, taxonomy: Taxonomy) -> dict:
    """The page's advice, the community's answers and the threads, under the filters."""
    evidence = AnswerFilter(data, queryset=Evidence.objects.public(), taxonomy=taxonomy).qs
    advice = AdviceFilter(data, queryset=advice_queryset(), taxonomy=taxonomy).qs
    return {
        "advice": list(advice[: MAX_ADVICE + 1]),
        "max_advice": MAX_ADVICE,
        "support": with_answer_links(remedy_support(evidence, taxonomy), data),
        "threads": list(threads_with_counts(threads)[: MAX_THREADS + 1]),
        "max_threads": MAX_THREADS,
    }


def with_answer_links(rows: list[RemedySupport], data: dict) -> list[RemedySupport]:
    """Each count links to the replies behind it on /answers/, under the same filters."""
    answers = reverse("answer_list")
    for row in rows:
        query = {**data, "remedy": row.remedy.slug}
        query.pop("category", None)  # implied by the remedy
        row.links = {
            name: f"{answers}?{urlencode(query | stance)}"
            for name, stance in (
                ("all", {}),
                ("helped", {"stance": Evidence.Stance.HELPED}),
                ("did_not_help", {"stance": Evidence.Stance.DID_NOT_HELP}),
            )
        }
    return rows
