"""Every reply survives the import, whatever layout the dump uses (property-based).

The layouts are the ones the demo and seed files use and their near variants: a reply count
then replies a blank line apart, two blank lines apart, bullets (with or without a user name
over the text), "Name in reply to Other" headers with or without a Mentor/Graduate badge glued
on, and one paragraph a line with no blank lines at all. For each, N replies go in and N come
back, each with its author (where the layout names one) and its text word for word.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from kbapp.importing.text import parse_text_dump

PROSE = (
    "my hips ached after the long run in week six and the physio said to stretch more "
    "slowly core work helped a lot I found that relaxing my shoulders made it easier "
    "try some gentle yoga after each run as the pain eased within a fortnight"
)
WORDS = PROSE.split()
NAMES = st.from_regex(r"[A-Z][a-z]{2,8}[0-9]{0,2}", fullmatch=True)
SENTENCE = st.lists(st.sampled_from(WORDS), min_size=4, max_size=14).map(
    lambda words: " ".join(words).capitalize() + "."
)
TEXT = st.lists(SENTENCE, min_size=1, max_size=3).map(" ".join)
TITLE = "Sore hips in week 6"
QUESTION = "I am on week 6 and my hips are sore after every run. What helped you?"


@dataclass(frozen=True)
class Reply:
    author: str
    text: str


REPLIES = st.lists(st.builds(Reply, NAMES, TEXT), min_size=1, max_size=8)


def count_line(n: int) -> str:
    return f"{n} Replies" if n != 1 else "1 Reply"


def blank_lines(replies: list[Reply], gap: str) -> tuple[str, bool]:
    body = gap.join(r.text for r in replies)
    return f"{TITLE}\n\n{QUESTION}\n\n\n{count_line(len(replies))}\n\n{body}\n", False


def bullets(replies: list[Reply], named: bool) -> tuple[str, bool]:
    items = (f"  • {r.author}\n\n    {r.text}" if named else f"  • {r.text}" for r in replies)
    return f"{TITLE}\n\n{QUESTION}\n\n{count_line(len(replies))}\n\n" + "\n\n".join(items), named


def headers(replies: list[Reply], badge: str, blank: str) -> tuple[str, bool]:
    posts = (
        f"{r.author}{badge} in reply to {replies[i - 1].author if i else 'Asker'}{blank}\n{r.text}"
        for i, r in enumerate(replies)
    )
    joined = f"\n{blank}".join(posts)
    return f"{TITLE}\n\n{QUESTION}\n\n{count_line(len(replies))}\n\n{joined}\n", True


def one_a_line(replies: list[Reply]) -> tuple[str, bool]:
    lines = [f"{TITLE}: I am on week 6... - Couch to 5K", QUESTION, *(r.text for r in replies)]
    return "\n".join(lines) + "\n", False


LAYOUTS = {
    "a blank line apart": lambda rs: blank_lines(rs, "\n\n"),
    "two blank lines apart": lambda rs: blank_lines(rs, "\n\n\n"),
    "bullets": lambda rs: bullets(rs, named=False),
    "bullets with user names": lambda rs: bullets(rs, named=True),
    "in reply to": lambda rs: headers(rs, "", "\n"),
    "in reply to, no blank lines": lambda rs: headers(rs, "", ""),
    "Graduate badge": lambda rs: headers(rs, "Graduate", "\n"),
    "Mentor badge, no blank lines": lambda rs: headers(rs, "Mentor", ""),
    "one paragraph a line": one_a_line,
}


@settings(max_examples=150, deadline=None)
@given(layout=st.sampled_from(sorted(LAYOUTS)), replies=REPLIES)
def test_n_replies_in_n_replies_out(layout, replies):
    dump, named = LAYOUTS[layout](replies)
    thread = parse_text_dump(dump)
    assert [r.body for r in thread.replies] == [r.text for r in replies], dump
    if named:
        assert [r.author for r in thread.replies] == [r.author for r in replies], dump
    assert thread.body == QUESTION
