"""The search log: what was typed, how often a day and what it found, never who typed it."""

from __future__ import annotations

import re
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from kbapp.models import SearchQuery

MAX_LENGTH = SearchQuery._meta.get_field("query").max_length
EMAIL = re.compile(r"\S+@\S+")
# Eight or more digits in a row, spaces and dashes allowed: a phone or card number.
LONG_NUMBER = re.compile(r"\+?\d(?:[\s-]?\d){7,}")
TABLE = SearchQuery._meta.db_table
# One statement on both vendors (PostgreSQL and SQLite 3.24+ share the upsert syntax), so
# concurrent searches for the same words add up instead of racing to insert.
UPSERT = (
    f"INSERT INTO {TABLE} (query, day, count, results) VALUES (%s, %s, 1, %s) "
    f"ON CONFLICT (query, day) DO UPDATE SET count = {TABLE}.count + 1, results = %s"
)


def normalise_query(text: str) -> str:
    """Lower case, one space between words, no control characters, emails or phone numbers."""
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = LONG_NUMBER.sub("[number]", EMAIL.sub("[email]", text))
    return " ".join(text.lower().split())[:MAX_LENGTH]


def record_search(text: str, results: int) -> str | None:
    """Count one search for today; returns the query as logged, or None if nothing was typed."""
    query = normalise_query(text)
    if not query:
        return None
    with connection.cursor() as cursor:
        cursor.execute(UPSERT, [query, timezone.localdate(), results, results])
    return query


def prune_search_log(*, days: int | None = None) -> int:
    """Delete days older than `days` (settings.SEARCH_LOG_DAYS); returns rows deleted."""
    keep = settings.SEARCH_LOG_DAYS if days is None else days
    oldest = timezone.localdate() - timedelta(days=keep)
    deleted, _ = SearchQuery.objects.filter(day__lt=oldest).delete()
    return deleted
