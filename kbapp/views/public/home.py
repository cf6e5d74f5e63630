"""The home page: where does it hurt, and what helped most runners."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kbapp.filters import NEWEST_FIRST
from kbapp.models import AdviceEntry
from kbapp.pagecache import page_params
from kbapp.selectors import advice_queryset, attach_tags, places_with_content
from kbapp.taxonomy import Taxonomy

TOP_ADVICE = 5
LATEST_ADVICE = 5


@page_params()
def home(request: HttpRequest) -> HttpResponse:
    taxonomy = Taxonomy()
    context = {
        "taxonomy": taxonomy,
        "places": taxonomy.grouped(),
        "top_advice": attach_tags(advice_queryset()[:TOP_ADVICE], taxonomy),
        "filled": places_with_content(taxonomy),
        # One small query: titles and dates only, so the page's cost barely moves.
        "latest_advice": AdviceEntry.objects.published()
        .order_by(*NEWEST_FIRST)
        .only("title", "slug", "published_at")[:LATEST_ADVICE],
    }
    return render(request, "kbapp/home.html", context)
