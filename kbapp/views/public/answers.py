"""The community's answers: replies with confirmed evidence, filtered."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kbapp.filters import AnswerFilter
from kbapp.importing.matching import whole_sentences
from kbapp.models import Evidence
from kbapp.pagecache import page_params
from kbapp.selectors import answer_facets, answer_replies, attach_claims
from kbapp.taxonomy import Taxonomy
from kbapp.views.public.common import (
    filtered_page,
    ways_out,
    without_filters,
)

TEMPLATE = "kbapp/answer_list.html"
PER_PAGE = 20
FILTERS = ["location", "remedy", "stance", "stage"]


@page_params(*AnswerFilter.base_filters, "page")
def answer_list(request: HttpRequest) -> HttpResponse:
    taxonomy = Taxonomy()
    filterset = AnswerFilter(request.GET, queryset=Evidence.objects.public(), taxonomy=taxonomy)
    context, page = filtered_page(
        request, TEMPLATE, filterset, FILTERS, answer_facets, PER_PAGE, rows=answer_replies
    )
    if isinstance(page, HttpResponse):
        return page
    page.object_list = list(page.object_list)
    attach_claims(page.object_list, taxonomy)
    for reply in page.object_list:
        # An editor's quote may be a fragment: show the sentences it sits in.
        quote = reply.claims[0].quote if reply.claims else ""
        reply.excerpt = whole_sentences(reply.body, quote)
    context["page"] = page
    if not page.paginator.count and (everything := without_filters(filterset)):
        unfiltered = answer_replies(everything.qs).count()
        context["ways_out"] = ways_out(request, context["controls"], unfiltered)
    return render(request, TEMPLATE, context)
