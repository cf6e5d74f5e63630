"""The search log: what was typed and how many threads it found, never who typed it."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import TypeVar

from django.db import DatabaseError, connection, transaction

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


def record_search(text: str, results: int) -> SearchQuery | None:
    query = normalise_query(text)
    if not query:
        return None
    return without_waiting(lambda: SearchQuery.objects.create(query=query, results=results))
