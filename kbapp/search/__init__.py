"""Full-text search over the threads: one interface, one backend per database vendor.

    from kbapp.search import search
    results = search("hurts when I sneeze", filters=SearchFilters(stage=7), page=1)

The backend is chosen from ``connection.vendor`` (PostgreSQL or SQLite); both return
the same SearchResults. The index itself is kept by database triggers (their SQL is in
kbapp/search/schema/), so nothing here has to be told about writes.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from kbapp.search.base import NO_FILTERS, SearchBackend
from kbapp.search.cache import cached_search
from kbapp.search.postgres import PostgresSearchBackend
from kbapp.search.sqlite import SqliteSearchBackend
from kbapp.search.types import DEFAULT_PER_PAGE, SearchFilters, SearchHit, SearchResults

BACKENDS: dict[str, type[SearchBackend]] = {
    "postgresql": PostgresSearchBackend,
    "sqlite": SqliteSearchBackend,
}

__all__ = [
    "SearchFilters",
    "SearchHit",
    "SearchResults",
    "get_backend",
    "search",
]


def get_backend() -> SearchBackend:
    try:
        return BACKENDS[connection.vendor]()
    except KeyError:
        raise ImproperlyConfigured(
            f"Search needs PostgreSQL or SQLite; this database is {connection.vendor}."
        ) from None


def search(text: str, **options) -> SearchResults:
    """See SearchBackend.search for the options: filters, page, per_page, facets, taxonomy.

    A repeated first page comes from the cache until the content changes (search.cache).
    """
    backend = get_backend()
    return cached_search(
        lambda: backend.search(text, **options),
        text or "",
        filters=options.get("filters") or NO_FILTERS,
        page=options.get("page", 1),
        per_page=options.get("per_page", DEFAULT_PER_PAGE),
        facets=options.get("facets", False),
        vendor=backend.vendor,
    )
