"""The forum text parser, on strings: no database here."""

import re

import pytest

from kbapp.importing.lines import BULLET
from kbapp.importing.text import parse_text_dump
from kbapp.importing.types import ParseError
from tests.dumps import SEED_CASES, VARIATION_CASES, DumpCase

ALL_CASES = SEED_CASES + VARIATION_CASES


def dump_lines(text: str) -> list[str]:
    """The dump's lines as a reader sees them: no bullets, no indentation, no blanks."""
    return [BULLET.sub("", line).strip() for line in text.splitlines() if line.strip()]


def stored_lines(thread) -> set[str]:
    texts = [thread.title, thread.body, *(r.body for r in thread.replies)]
    return {line for text in texts for line in text.splitlines() if line}


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c.name)
def test_nothing_is_lost(case: DumpCase):
    thread = parse_text_dump(case.text)
    kept = stored_lines(thread)
    lost = [
        line for line in dump_lines(case.text) if line not in case.furniture and line not in kept
    ]
    assert lost == []


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c.name)
def test_no_furniture_in_any_body(case: DumpCase):
    thread = parse_text_dump(case.text)
    bodies = [thread.body, *(r.body for r in thread.replies)]
    body_lines = {line.strip() for body in bodies for line in body.splitlines()}
    assert body_lines.isdisjoint(case.furniture)
    everything = "\n".join(bodies)
    for marker in ("members", "Replies", "profile image", "in reply to", "You may also like"):
        assert marker not in everything


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c.name)
def test_title_replies_and_authors(case: DumpCase):
    thread = parse_text_dump(case.text)
    assert thread.title == case.title
    assert len(thread.replies) == case.replies
    assert thread.community == case.community
    assert thread.author == case.question_author
    for number, author in case.authors.items():
        assert thread.replies[number - 1].author == author
    for number, other in case.in_reply_to.items():
        assert thread.replies[number - 1].in_reply_to == other
    named = set(case.authors)
    assert all(not r.author for i, r in enumerate(thread.replies, 1) if i not in named)


def test_seed_replies_keep_their_paragraphs_and_order():
    thread = parse_text_dump(SEED_CASES[0].text)
    assert thread.replies[0].body.startswith("First thing I look at")
    assert thread.replies[4].body.splitlines()[-1].startswith("- reverse child pose")
    assert thread.replies[-1].body == "oo when I move to NZ ill be sure to look at that :)"
    assert "\n\n" in thread.replies[1].body  # the indented second paragraph stayed with it


def test_help_thread_splits_replies_where_the_dump_lost_the_breaks():
    thread = parse_text_dump(SEED_CASES[1].text)
    openings = [r.body.split("\n")[0][:30] for r in thread.replies]
    assert openings == [
        "Probably a core strength probl",
        "Hi Deano, the running interval",
        "Thanks for your replies!",
        "Oh dear, sorry to hear this...",
    ]


def test_posted_by_footer_gives_a_date():
    thread = parse_text_dump(VARIATION_CASES[3].text)
    assert thread.replies[2].posted_at.isoformat() == "2009-05-06T22:02:00+00:00"


def test_missing_title_is_derived_from_the_first_sentence():
    thread = parse_text_dump("Why do my shins hurt so much after running on pavements? Help.\n")
    assert thread.title_derived
    assert thread.title == "Why do my shins hurt so much after running on pavements?"
    assert thread.body.startswith("Why do my shins")


def test_long_first_sentence_gives_a_short_title():
    sentence = "word " * 40
    thread = parse_text_dump(sentence)
    assert len(thread.title) <= 81
    assert thread.title.endswith("…")


def test_prose_that_looks_like_a_page_title_later_is_kept():
    text = "Knee pain\n\nMy knee hurts.\nUpdate: ran today... - felt fine\n"
    thread = parse_text_dump(text)
    assert "Update: ran today... - felt fine" in thread.body


def test_only_furniture_is_refused():
    with pytest.raises(ParseError, match="no thread text"):
        parse_text_dump("Couch to 5K\n117,129 members148,449 posts\n\n4 Replies\n")


@pytest.mark.parametrize(
    "line",
    ["Reply", "Options", "12 points", "3 likes", "2 years ago", "Graduate", "level 2", "▲ 12"],
)
def test_furniture_lines_never_reach_a_reply(line):
    thread = parse_text_dump(f"Sore hips\n\nMy hips hurt.\n\n1 Replies\n\n{line}\nStretch them.\n")
    assert [r.body for r in thread.replies] == ["Stretch them."]


def test_carriage_returns_are_normalised():
    thread = parse_text_dump(
        "Neck ache\r\n\r\nMy neck is stiff.\r\n\r\n1 Replies\r\n\r\nRelax.\r\n"
    )
    assert (thread.title, thread.body, thread.replies[0].body) == (
        "Neck ache",
        "My neck is stiff.",
        "Relax.",
    )
    assert not re.search(r"\r", thread.body)
