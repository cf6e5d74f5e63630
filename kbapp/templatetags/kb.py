"""Small template helpers for the public pages."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from kbapp.markdown import render_markdown
from kbapp.paging import BadPage, page_number

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """Editors' Markdown, rendered and sanitized."""
    return render_markdown(text or "")


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """This page's address without filters; list pages keep their page number."""
    request = context.get("request")
    if request is None:
        return ""
    url = request.build_absolute_uri(request.path)
    try:
        page = page_number(request.GET.get("page"))
    except BadPage:
        return url
    return f"{url}?page={page}" if page > 1 else url


@register.filter
def indent(depth: int) -> str:
    """Non-breaking spaces that show a location's depth inside a <select>."""
    return "\u00a0\u00a0\u00a0" * int(depth or 0)


@register.simple_tag(takes_context=True)
def without(context, name: str) -> str:
    """This page's address without one filter (and back on page 1)."""
    request = context["request"]
    params = request.GET.copy()
    for key in (name, "page"):
        params.pop(key, None)
    return f"{request.path}?{params.urlencode()}" if params else request.path


@register.filter
def chosen_count(controls) -> int:
    """How many of the filter controls have an option chosen: the n of "Filter (n)"."""
    return sum(1 for control in controls or [] if any(o.selected for o in control.options))


@register.filter
def has_errors(controls) -> bool:
    return any(control.errors for control in controls or [])


@register.filter
def urgent(flags) -> list:
    """The emergency red flags: shown in full, never folded away."""
    return [flag for flag in flags or [] if flag.emergency]


@register.filter
def not_urgent(flags) -> list:
    return [flag for flag in flags or [] if not flag.emergency]


@register.filter
def in_sentence(name: str) -> str:
    """A taxonomy name inside a sentence: "See a GP" reads "see a GP", never "see a gp";
    a name starting with an acronym ("NHS Strength & Flex") or a proper name with more than
    one capital word ("Strength & Flex") stays as it is."""
    name = str(name)
    capitalised = [w for w in name.split()[1:] if w[:1].isupper() and w[1:].islower()]
    if len(name) > 1 and name[0].isupper() and not name[1].isupper() and not capitalised:
        return name[0].lower() + name[1:]
    return name
