"""The search log: what was typed and how many threads it found, never who typed it."""

from __future__ import annotations

import re

from kbapp.models import SearchQuery

MAX_LENGTH = SearchQuery._meta.get_field("query").max_length
EMAIL = re.compile(r"\S+@\S+")
# Eight or more digits in a row, spaces and dashes allowed: a phone or card number.
LONG_NUMBER = re.compile(r"\+?\d(?:[\s-]?\d){7,}")


def normalise_query(text: str) -> str:
    """Lower case, one space between words, no control characters, emails or phone numbers."""
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = LONG_NUMBER.sub("[number]", EMAIL.sub("[email]", text))
    return " ".join(text.lower().split())[:MAX_LENGTH]


def record_search(text: str, results: int) -> SearchQuery | None:
    query = normalise_query(text)
    if not query:
        return None
    return SearchQuery.objects.create(query=query, results=results)
