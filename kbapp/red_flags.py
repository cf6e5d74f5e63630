"""Which red flags a runner's words reveal: the importer's phrase matching, for queries.

A search for "hurts when I sneeze" raises the same flag as a thread that says so, because
both go through the one PhraseMatcher of kbapp/importing/matching.py.
"""

from __future__ import annotations

from functools import lru_cache

from kbapp.importing.matching import PhraseMatcher
from kbapp.models import RedFlag


@lru_cache(maxsize=4)
def _matcher(phrases: tuple[tuple[int, tuple[str, ...]], ...]) -> PhraseMatcher:
    """Compiled once per process for each version of the flags, not once per search."""
    return PhraseMatcher(dict(phrases))


def red_flags_in(text: str) -> list[RedFlag]:
    """The flags whose phrases the text contains, emergencies first: one query."""
    if not text.strip():
        return []
    flags = list(RedFlag.objects.all())
    matcher = _matcher(tuple((flag.pk, tuple(flag.phrase_list)) for flag in flags))
    found = matcher.find(text)
    return [flag for flag in flags if flag.pk in found]
