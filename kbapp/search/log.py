"""The search log: what was typed, how often a day and what it found, never who typed it."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from kbapp.models import SearchQuery

logger = logging.getLogger(__name__)
T = TypeVar("T")

MAX_LENGTH = SearchQuery._meta.get_field("query").max_length
# No "@" before the "@": a run of 100,000 letters is scanned once, not once per letter.
EMAIL = re.compile(r"[^\s@]+@\S+")
# SQLite has one writer: while an import holds the lock, the log waits this long at most.
LOG_WAIT_MS = 100
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
    text = "".join(ch if ch.isprintable() else " " for ch in text[: 4 * MAX_LENGTH])
    text = LONG_NUMBER.sub("[number]", EMAIL.sub("[email]", text))
    return " ".join(text.lower().split())[:MAX_LENGTH]


def without_waiting(write: Callable[[], T]) -> T | None:
    """Run a write that no runner waits for, or skip it if the database is busy.

    A search must not queue behind an import for the log's sake: on SQLite the busy
    timeout is cut short for this one write, on any database a refusal is logged, not raised.
    """
    sqlite = connection.vendor == "sqlite" and not connection.in_atomic_block
    try:
        if not sqlite:
            return write()  # no single-writer queue to skip, and no savepoint to pay for
        connection.ensure_connection()
        connection.connection.execute(f"PRAGMA busy_timeout = {LOG_WAIT_MS}")
        with transaction.atomic():
            return write()
    except DatabaseError as exc:
        logger.warning("search log skipped: %s", exc)
        return None
    finally:
        if sqlite and connection.connection is not None:
            timeout_ms = int(connection.settings_dict["OPTIONS"].get("timeout", 5) * 1000)
            connection.connection.execute(f"PRAGMA busy_timeout = {timeout_ms}")


def record_search(text: str, results: int) -> str | None:
    """Count one search for today; returns the query as logged, or None if nothing was typed."""
    query = normalise_query(text)
    if not query:
        return None
    return without_waiting(lambda: upsert(query, results))


def upsert(query: str, results: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(UPSERT, [query, timezone.localdate(), results, results])
    return query


def prune_search_log(*, days: int | None = None) -> int:
    """Delete days older than `days` (settings.SEARCH_LOG_DAYS); returns rows deleted."""
    keep = settings.SEARCH_LOG_DAYS if days is None else days
    oldest = timezone.localdate() - timedelta(days=keep)
    deleted, _ = SearchQuery.objects.filter(day__lt=oldest).delete()
    return deleted
