"""Time bounds: parsing and tag matching stay linear on pathological and huge input.

The bounds are generous (a shared, slow machine; alone these take 0.5-1.5 s) but far below
what a quadratic pattern takes: before, one line of 40,000 spaces took 15-30 s and tag
matching about 15 s per MB.
"""

from __future__ import annotations

import importlib
import json
import time

import pytest

from kbapp.importing.files import parse_file
from kbapp.importing.matching import PhraseMatcher
from kbapp.importing.stance import claims_in
from kbapp.models import split_terms

TAXONOMY = importlib.import_module("kbapp.migrations.0002_taxonomy")


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def remedies() -> PhraseMatcher:
    terms = {slug: [name, *split_terms(syn)] for slug, name, _, syn in TAXONOMY.REMEDIES}
    return PhraseMatcher(terms, inflect=True)


@pytest.mark.parametrize(
    "line",
    [
        "a" + " " * 40_000 + "b",
        "Sam" + " " * 40_000 + "in reply to",
        "Title: " + ": " * 20_000 + "... - Community",
        "Posts: " + "1" * 40_000,
        "posted by " + " " * 40_000 + "x at 9:25 AM on May 6, 2009",
    ],
    ids=["spaces", "reply-to", "page-title", "posts", "posted-by"],
)
def test_lines_of_40000_spaces_or_separators_parse_at_once(line):
    dump = f"Knee pain\n\nMy knee hurts.\n\n\n{line}\n\n\n{line}\n".encode()
    threads, seconds = timed(parse_file, "odd.txt", dump)
    assert seconds < 5, seconds
    assert line.strip() in threads[0].replies[0].body


def test_a_5_mb_line_parses_and_matches_in_seconds():
    line = ("my shoulders ache and stretching helped, " * 130_000)[:5_000_000]
    threads, seconds = timed(parse_file, "long.txt", f"Shoulders\n\n{line}\n".encode())
    assert seconds < 15, seconds
    assert len(threads[0].body) == len(line.strip())
    claims, seconds = timed(claims_in, line, remedies())
    assert seconds < 20, seconds
    assert [(c.remedy, c.stance) for c in claims] == [("stretching", "helped")]


def test_20000_replies_parse_and_match_in_seconds():
    bullets = "".join(
        f"  • Reply {i}: foam rolling did not help, rest did.\n" for i in range(20_000)
    )
    threads, seconds = timed(parse_file, "many.txt", f"Knees\n\nMy knee.\n\n{bullets}".encode())
    assert seconds < 20, seconds
    assert len(threads[0].replies) == 20_000
    replies = [{"body": f"Reply {i}: swimming helped me."} for i in range(20_000)]
    line = json.dumps({"id": 1, "title": "Knees", "body": "My knee.", "replies": replies})
    threads, seconds = timed(parse_file, "many.jsonl", line.encode())
    assert (len(threads[0].replies), seconds < 10) == (20_000, True), seconds
    matcher, text = remedies(), "\n".join(r.body for r in threads[0].replies)
    claims, seconds = timed(lambda: [claims_in(r.body, matcher) for r in threads[0].replies])
    assert seconds < 20, seconds
    assert {(c.remedy, c.stance) for cs in claims for c in cs} == {("swimming", "helped")}
    assert len(text) > 500_000
