"""Repeated first pages of search results from Django's cache.

The key is the query as normalized (case and spacing), the filters, the page size, whether
facets were asked for, the code's version (code_version) and the content version the
page cache also uses (kbapp/content.py): an import, an edit, hiding or deleting a thread
changes that version once it commits, so a cached page is never served after what it
shows has changed. Only first pages are kept: they are most of what people ask for, and
what the search log counts. For SEARCH_CACHE_SECONDS (300 by default, 0 is off); the
version is shared as far as the cache is (docs/deploy.md).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

from kbapp.content import content_version
from kbapp.search.types import SearchFilters, SearchResults


def code_version() -> str:
    """The search code and the models it pickles: a deploy that changes either never reads
    results a former version kept (their shape, or the schema behind them, may differ)."""
    global _CODE
    if _CODE is None:
        here = Path(__file__).resolve().parent
        files = sorted(here.glob("*.py")) + [here.parent / "models.py"]
        _CODE = hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()[:16]
    return _CODE


_CODE: str | None = None


def normalized(text: str) -> str:
    return " ".join(text.lower().split())


def result_key(text: str, filters: SearchFilters, per_page: int, facets: bool, vendor: str) -> str:
    parts = [normalized(text), repr(filters), str(per_page), str(facets), vendor]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"kb:search:{code_version()}:{content_version()}:{digest}"


def cached_search(
    run, text: str, *, filters: SearchFilters, page: int, per_page: int, facets: bool, vendor: str
) -> SearchResults:
    """run() on a miss; a first page is kept for SEARCH_CACHE_SECONDS."""
    seconds = settings.SEARCH_CACHE_SECONDS
    if page != 1 or seconds <= 0:
        return run()
    key = result_key(text, filters, per_page, facets, vendor)
    results = cache.get(key)
    if results is None:
        results = run()
        cache.set(key, results, seconds)
    results.query = text
    return results
