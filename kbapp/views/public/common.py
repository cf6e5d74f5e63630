"""What the public pages share: filter controls with facet counts, and bad-request pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kbapp.filters import TaxonomyFilterSet
from kbapp.paging import BadPage, PastTheEnd, paginate


@dataclass
class Option:
    value: str
    label: str
    selected: bool
    count: int | None = None
    depth: int = 0


@dataclass
class Control:
    """One <select> of a filter form, ready for includes/_filter_form.html."""

    name: str
    label: str
    empty_label: str | None
    options: list[Option] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def controls(
    filterset: TaxonomyFilterSet, names: list[str], facets: dict[str, dict[str, int]] | None = None
) -> list[Control]:
    """The named filters as select controls, each option with its facet count when given."""
    depth = {row.slug: row.depth for row in filterset.taxonomy.locations}
    raw = filterset.data
    found = []
    for name in names:
        spec = filterset.filters[name]
        counts = facets.get(name) if facets is not None else None
        options = [
            Option(
                value=str(value),
                label=str(label),
                selected=raw.get(name) == str(value),
                count=counts.get(str(value), 0) if counts is not None else None,
                depth=depth.get(value, 0) if name == "location" else 0,
            )
            for value, label in spec.extra["choices"]
        ]
        errors = filterset.errors.get(name, []) if filterset.is_bound else []
        found.append(
            Control(name, str(spec.label), spec.extra.get("empty_label"), options, list(errors))
        )
    return found


def bad_request(
    request: HttpRequest, template: str, context: dict, messages: list[str]
) -> HttpResponse:
    """The page itself, with what was wrong in the query string and no results: a 400."""
    return render(request, template, {**context, "errors": messages}, status=400)


def bad_page(request: HttpRequest, template: str, context: dict, error: BadPage) -> HttpResponse:
    """A page number that is not one (400), or past the last page (404): no filter error."""
    context = {**context, "errors": [str(error)], "page_error": True}
    status = 404 if isinstance(error, PastTheEnd) else 400
    return render(request, template, context, status=status)


def filtered_page(
    request: HttpRequest,
    template: str,
    filterset: TaxonomyFilterSet,
    names: list[str],
    facets: Callable[[TaxonomyFilterSet], dict[str, dict[str, int]]],
    per_page: int,
    rows: Callable[[QuerySet], QuerySet] = lambda qs: qs,
) -> tuple[dict, Page | HttpResponse]:
    """A list page's filter-then-paginate steps: the context so far, and the page of rows,
    or the 400/404 page for a bad filter or page number (which the view returns as is)."""
    context = {"filterset": filterset, "active": filterset.active}
    if not filterset.is_valid():
        context["controls"] = controls(filterset, names)
        return context, bad_request(request, template, context, filterset.error_messages())
    context["controls"] = controls(filterset, names, facets(filterset))
    try:
        return context, paginate(rows(filterset.qs), request.GET.get("page"), per_page)
    except BadPage as error:
        return context, bad_page(request, template, context, error)


@dataclass
class WayOut:
    label: str
    url: str
    count: int


NEAREST = 2


def ways_out(request: HttpRequest, controls: list[Control], unfiltered: int) -> list[WayOut]:
    """When filters leave a page empty: the nearest stages that have results, and the page
    without filters (keeping the words), each with its count."""
    found = []
    stage = next((c for c in controls if c.name == "stage"), None)
    chosen = next((o for o in stage.options if o.selected), None) if stage else None
    if chosen is not None:
        others = [o for o in stage.options if o.count and not o.selected]
        others.sort(key=lambda o: (abs(int(o.value) - int(chosen.value)), int(o.value)))
        for option in sorted(others[:NEAREST], key=lambda o: int(o.value)):
            params = request.GET.copy()
            params["stage"] = option.value
            params.pop("page", None)
            found.append(WayOut(option.label, f"{request.path}?{params.urlencode()}", option.count))
    if unfiltered:
        words = request.GET.get("q", "")
        url = f"{request.path}?{urlencode({'q': words})}" if words else request.path
        found.append(WayOut("without filters", url, unfiltered))
    return found


def without_filters(filterset: TaxonomyFilterSet) -> TaxonomyFilterSet | None:
    """The same FilterSet keeping only its words, or None when no other filter is in use."""
    if not any(name != "q" for name in filterset.active):
        return None
    words = filterset.data.get("q", "") if "q" in filterset.filters else ""
    data = {"q": words} if words else {}
    return type(filterset)(data, queryset=filterset.queryset, taxonomy=filterset.taxonomy)
