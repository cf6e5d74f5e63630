"""The home page: where does it hurt, and what helped most runners."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kbapp.pagecache import page_params
from kbapp.selectors import advice_queryset, attach_tags, places_with_content
from kbapp.taxonomy import Taxonomy

TOP_ADVICE = 5


@page_params()
def home(request: HttpRequest) -> HttpResponse:
    taxonomy = Taxonomy()
    context = {
        "taxonomy": taxonomy,
        "places": taxonomy.grouped(),
        "top_advice": attach_tags(advice_queryset()[:TOP_ADVICE], taxonomy),
        "filled": places_with_content(taxonomy),
    }
    return render(request, "kbapp/home.html", context)
