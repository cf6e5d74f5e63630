"""The Couch to 5K stage a thread is about: "W7R1", "Week 5 Run 3", "wk3", "graduated"."""

from __future__ import annotations

import re

GRADUATE = 10

WEEK_AND_RUN = re.compile(r"\bw(?:ee)?k?\s?([1-9])\s?,?\s?r(?:un)?\s?([1-3])\b", re.IGNORECASE)
WEEK = re.compile(r"\b(?:week|wk|w)\s?([1-9])(?!\d)", re.IGNORECASE)
GRADUATED = re.compile(
    r"\b(?:graduated|c25k graduate|(?:finished|completed|done) (?:my |the )?"
    r"(?:c25k|couch to 5k)|post[- ]?c25k)\b",
    re.IGNORECASE,
)


def _stage_in(text: str) -> tuple[int, int | None] | None:
    """The furthest week mentioned: people look back on earlier weeks, not ahead."""
    found: list[tuple[int, int]] = [(int(w), int(r)) for w, r in WEEK_AND_RUN.findall(text)]
    found += [(int(w), 0) for w in WEEK.findall(text)]
    if not found:
        return None
    week, run = max(found)
    return week, run or None


def parse_stage(title: str, body: str = "") -> tuple[int | None, int | None]:
    """(week 1–9 or GRADUATE, run or None); the title wins over the body."""
    in_title = _stage_in(title)
    if in_title:
        return in_title
    if GRADUATED.search(title) or GRADUATED.search(body):
        return GRADUATE, None
    return _stage_in(body) or (None, None)


# In a search box runners also write the bare word: "graduate", "graduation".
GRADUATE_WORD = re.compile(r"\bgraduat(?:e|ed|es|ing|ion)\b", re.IGNORECASE)


def stage_mention(text: str) -> tuple[int, int | None, int, int] | None:
    """The first stage a query names: (week or GRADUATE, run or None, start, end)."""
    found = []
    for pattern in (WEEK_AND_RUN, WEEK):
        if match := pattern.search(text):
            run = int(match[2]) if pattern is WEEK_AND_RUN else None
            found.append((match.start(), -match.end(), int(match[1]), run))
    for pattern in (GRADUATED, GRADUATE_WORD):
        if match := pattern.search(text):
            found.append((match.start(), -match.end(), GRADUATE, None))
    if not found:
        return None
    start, end, week, run = min(found)
    return week, run, start, -end
