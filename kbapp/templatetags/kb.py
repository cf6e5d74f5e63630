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
