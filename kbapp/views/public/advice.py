"""Advice entries: the filtered, faceted list and one entry with its sources."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from kbapp.filters import NEWEST_FIRST, AdviceFilter
from kbapp.models import AdviceEntry
from kbapp.pagecache import page_params
from kbapp.selectors import (
    advice_facets,
    advice_queryset,
    advice_support,
    attach_tags,
    cited_replies,
    related_advice,
)
from kbapp.taxonomy import Taxonomy
from kbapp.views.public.common import (
    filtered_page,
    ways_out,
    without_filters,
)
from kbapp.views.public.feedback import voted_on

LIST_TEMPLATE = "kbapp/adviceentry_list.html"
DETAIL_TEMPLATE = "kbapp/adviceentry_detail.html"
PER_PAGE = 10
FACETS = ["location", "remedy", "category", "stage"]
CONTROLS = [*FACETS, "sort"]


@page_params(*AdviceFilter.base_filters, "page")
def advice_list(request: HttpRequest) -> HttpResponse:
    taxonomy = Taxonomy()
    # Editors and returning runners look for what is new: newest first unless asked otherwise.
    newest = advice_queryset().order_by(*NEWEST_FIRST)
    filterset = AdviceFilter(request.GET, queryset=newest, taxonomy=taxonomy)
    context, page = filtered_page(
        request, LIST_TEMPLATE, filterset, CONTROLS, advice_facets, PER_PAGE
    )
    if isinstance(page, HttpResponse):
        return page
    page.object_list = attach_tags(page.object_list, taxonomy)
    context |= {"page": page, "sort": filterset.form.cleaned_data.get("sort") or "recent"}
    if not page.paginator.count and (everything := without_filters(filterset)):
        context["ways_out"] = ways_out(request, context["controls"], everything.qs.count())
    return render(request, LIST_TEMPLATE, context)


def visible_entry(request: HttpRequest, slug: str) -> AdviceEntry:
    """A published entry, or any entry for those who may change advice; otherwise a 404."""
    entry = AdviceEntry.objects.annotate(support=advice_support()).filter(slug=slug).first()
    if entry is None:
        raise Http404("No such advice entry.")
    may_change = request.user.has_perm("kbapp.change_adviceentry")
    if entry.status != AdviceEntry.Status.PUBLISHED and not may_change:
        raise Http404("No such advice entry.")
    return entry


@page_params("vote")
def advice_detail(request: HttpRequest, slug: str) -> HttpResponse:
    entry = visible_entry(request, slug)
    context = {**detail_context(entry), "is_preview": entry.status != AdviceEntry.Status.PUBLISHED}
    # A browser that voted here sees so, not the form again (the page cache lets it through).
    context["voted_already"] = entry.pk in voted_on(request)
    return render(request, DETAIL_TEMPLATE, context)


def detail_context(entry: AdviceEntry) -> dict:
    """What the advice page shows; the admin preview renders the same page from it."""
    locations = list(entry.locations.all())
    return {
        "entry": entry,
        "locations": locations,
        "remedies": list(entry.remedies.all()),
        "sources": cited_replies(entry),
        "related": related_advice(entry, [loc.pk for loc in locations]),
    }
