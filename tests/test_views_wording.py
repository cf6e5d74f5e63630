"""Running text reads right: names keep their capitals, quotes start at a sentence."""

from __future__ import annotations

import re
from html import unescape

import pytest

from kbapp.importing.matching import whole_sentences
from kbapp.templatetags.kb import in_sentence
from tests.factories import make_evidence, make_thread

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "written"),
    [("See a GP", "see a GP"), ("NHS Strength & Flex", "NHS Strength & Flex"),
     ("Relax the shoulders", "relax the shoulders"), ("Physiotherapy", "physiotherapy"),
     ("Strength & Flex", "Strength & Flex"), ("Week 3", "week 3"),
     ("New shoes or gait analysis", "new shoes or gait analysis")],
)  # fmt: skip
def test_a_name_inside_a_sentence(name, written):
    assert in_sentence(name) == written


@pytest.mark.parametrize(
    ("quote", "shown"),
    [
        ("after yoga", "my knees felt better after yoga, honestly."),
        ("Bye", "Bye."),
        ("Hello there.", "Hello there."),
        ("not in the reply", "not in the reply"),
    ],
)
def test_a_quote_is_widened_to_its_sentences(quote, shown):
    body = "Hello there. my knees felt better after yoga, honestly. Bye."
    assert whole_sentences(body, quote) == shown


def test_answers_quote_whole_sentences_and_keep_capitals(client):
    thread = make_thread(replies=["Hello there. my knee felt better after a GP visit, honestly."])
    make_evidence(thread.replies.get(), "gp", "knees", quote="after a GP visit")
    html = unescape(client.get("/answers/").content.decode())
    quote = re.search(r"<blockquote>(.*?)</blockquote>", html, re.S).group(1)
    assert quote.strip() == "my knee felt better after a GP visit, honestly."
    assert "see a GP for knees" in html and "see a gp" not in html
    thread_html = unescape(client.get(thread.get_absolute_url()).content.decode())
    assert "see a GP for knees" in thread_html


def test_a_remedy_named_like_its_category_is_not_said_twice(client):
    thread = make_thread(replies=["Rest sorted it."], locations=["knees"])
    make_evidence(thread.replies.get(), "rest", "knees")
    html = client.get("/symptoms/knees/").content.decode()
    heading = re.search(r"<h3>Rest(.*?)</h3>", html).group(1)
    assert 'class="category"' not in heading
