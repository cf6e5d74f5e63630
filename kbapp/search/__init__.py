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

from kbapp.search.base import SearchBackend
from kbapp.search.postgres import PostgresSearchBackend
from kbapp.search.sqlite import SqliteSearchBackend
from kbapp.search.types import SearchFilters, SearchHit, SearchResults

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
    """See SearchBackend.search for the options: filters, page, per_page, facets, taxonomy."""
    return get_backend().search(text, **options)
