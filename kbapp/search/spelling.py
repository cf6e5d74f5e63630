"""Typo tolerance: the closest known word to one that finds nothing.

The backends fetch candidates from their indexed vocabulary (pg_trgm neighbours on
PostgreSQL, the FTS5 vocabulary by first letter on SQLite); the choice is made here, the
same way for both.
"""

from __future__ import annotations

from collections.abc import Iterable


def allowed_typos(word: str) -> int:
    """Short words tolerate one slip, longer ones two; under four letters, none."""
    if len(word) < 4:
        return 0
    return 1 if len(word) <= 5 else 2


def distance(a: str, b: str, limit: int) -> int:
    """Edit distance counting a swap of neighbours as one edit; limit + 1 once past limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous, current = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        before, previous, current = previous, current, [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
    return current[-1]


def best_correction(word: str, candidates: Iterable[tuple[str, int]]) -> str | None:
    """The nearest candidate (word, how many parts hold it), the most common on a tie."""
    limit = allowed_typos(word)
    ranked = []
    for candidate, frequency in candidates:
        if candidate == word or not candidate.isalpha() or candidate[:1] != word[:1]:
            continue
        edits = distance(word, candidate, limit)
        if edits <= limit:
            ranked.append((edits, -frequency, candidate))
    return min(ranked)[2] if ranked else None
