"""Hidden means hidden: nothing of a hidden thread reaches a runner through search."""

from __future__ import annotations

import pytest

from kbapp.models import Thread
from kbapp.search import get_backend, postgres
from tests.factories import make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden_word() -> Thread:
    """A word ("quadratus") that exists only in a hidden thread's reply."""
    make_thread("Sore hips after parkrun", "My hips ache.", ["Stretch the glutes."])
    return make_thread(
        "Private", "Removed by an editor.", ["My quadratus lumborum spasms."], is_hidden=True
    )


def test_a_typo_of_a_hidden_word_is_never_suggested(hidden_word):
    results = get_backend().search("quadratis")
    assert results.suggestion is None
    assert results.count == 0 and results.hits == []


def test_nor_in_the_page_or_the_api(client, hidden_word):
    html = client.get("/search/", {"q": "quadratis"}).content.decode()
    assert "quadratus" not in html.lower()
    data = client.get("/api/search", {"q": "quadratis"}).json()
    assert data["suggestion"] is None and data["count"] == 0


def test_the_word_itself_finds_nothing_and_counts_nothing(client, hidden_word):
    results = get_backend().search("quadratus", facets=True)
    assert results.count == 0
    assert all(n == 0 for counts in results.facets.values() for n in counts.values())


def test_once_shown_the_same_typo_is_corrected(hidden_word):
    Thread.objects.filter(pk=hidden_word.pk).update(is_hidden=False)
    results = get_backend().search("quadratis")
    assert results.suggestion == "quadratus"
    assert [hit.thread.pk for hit in results.hits] == [hidden_word.pk]


def test_a_visible_word_is_still_corrected_beside_a_hidden_one(hidden_word):
    make_thread("Quadriceps tightness", "My quadriceps are tight after hills.")
    assert get_backend().search("quadricept").suggestion == "quadriceps"


def test_a_common_hidden_word_is_still_never_suggested(hidden_word, monkeypatch):
    """Words common enough are not looked up before being left as typed; a correction is
    always checked against the visible threads, however common its word."""
    monkeypatch.setattr(postgres, "COMMON_WORD", 1)
    for n in range(3):
        make_thread(f"Spam {n}", "Quadratus quadratus.", ["quadratus"], is_hidden=True)
    results = get_backend().search("quadratis")
    assert results.suggestion is None
    assert results.count == 0 and results.hits == []
    # The word itself, typed: left as typed (it is common), and still nothing is found.
    typed = get_backend().search("quadratus")
    assert typed.suggestion is None and typed.count == 0
