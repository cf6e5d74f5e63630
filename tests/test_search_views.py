"""The /search/ page: results, snippets, suggestions, empty and no-result states, facets."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import unquote_plus

import pytest
from django.core.cache import cache

from kbapp.content import bump_content_version
from kbapp.models import SearchQuery
from tests.factories import make_thread
from tests.test_search_corpus import search_corpus_fixture  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db
# The search function's queries (tests/test_search.py), the log entry, the red flags, and
# the advice entries with their tags.
MAX_QUERIES = 25


def page(client, status: int = 200, **params) -> str:
    response = client.get("/search/", params)
    assert response.status_code == status
    return response.content.decode()


def page_count(client, q: str) -> int:
    return client.get("/api/search", {"q": q}).json()["count"]


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def option(html: str, name: str, value: str) -> str:
    """The visible text of one <option> of the named <select>."""
    select = re.search(rf'<select id="f-{name}".*?</select>', html, re.S).group(0)
    found = re.search(rf'<option value="{re.escape(value)}"[^>]*>(.*?)</option>', select)
    return " ".join(unescape(found.group(1)).split())


class TestOnTheDemoThreads:
    def test_a_result_links_its_title_to_the_thread_and_its_snippet_to_the_reply(
        self, client, search_corpus
    ):
        html = page(client, q="hurts when I sneeze")
        thread = search_corpus["mid-upper"]
        reply = thread.replies.get(body__contains="when I sneezed")
        assert f'<a href="{thread.get_absolute_url()}">{thread.title}</a>' in unescape(html)
        assert f'<a href="{reply.get_absolute_url()}"' in html
        assert "<mark>sneezed</mark>" in html
        assert "1 past thread" in text_of(html)  # the words are in the box, shown once
        assert "From a reply" in html and "4 replies" in html
        assert 'href="/symptoms/between-the-shoulder-blades/"' in html

    def test_did_you_mean(self, client, search_corpus):
        html = page(client, q="sholder blade")
        assert 'Did you mean <a href="?q=shoulder+blade">shoulder blade</a>?' in html
        assert search_corpus["mid-upper"].title in unescape(html)

    def test_facets_count_the_results_under_the_other_filters(self, client, search_corpus):
        html = page(client, q="shoulder blade")
        assert option(html, "location", "between-the-shoulder-blades").endswith("(2)")
        assert option(html, "location", "back") == "Back (3)"
        assert option(html, "stage", "7") == "Week 7 (1)"
        narrowed = page(client, q="shoulder blade", stage="7")
        assert search_corpus["w7r1"].title in unescape(narrowed)
        assert search_corpus["mid-upper"].title not in unescape(narrowed)
        assert option(narrowed, "stage", "10") == "Graduate (1)"  # counted without the stage

    def test_hidden_threads_never_appear(self, client, search_corpus):
        hidden = search_corpus["hidden"]
        for q in ["scapula sneezing mystery", "shoulder blade sneeze"]:
            html = page(client, q=q)
            assert hidden.get_absolute_url() not in html and "Hidden by an editor" not in html


class TestStates:
    def test_the_empty_page_invites_a_search(self, client):
        make_thread("Sneezing", "It hurts when I sneeze.")
        html = page(client)
        assert "What hurts?" in html
        assert 'href="?q=hurts+when+I+sneeze"' in html
        assert "thoracic" not in html  # an example that would find nothing is not offered
        assert 'href="/symptoms/back/"' in html
        assert 'class="search-results"' not in html
        assert not SearchQuery.objects.exists()

    def test_no_results_offers_ways_forward(self, client):
        make_thread("Knee", "Sore knee.", locations=["knees"])
        make_thread("Sneezing", "It hurts when I sneeze.")
        make_thread("Shoulder blade", "My shoulder blade aches and hurts when I sneeze.")
        html = page(client, q="xylophone", location="knees")
        assert "No past thread matches “xylophone”" in unescape(html)
        assert "Search without the filters" in html
        assert 'href="?q=hurts+when+I+sneeze"' in html
        # Every suggested search finds something: the only shoulder blade thread sneezes.
        assert "shoulder blade -sneeze" not in unescape(html)
        make_thread("Blades", "A shoulder blade ache after long runs.")
        assert "shoulder blade -sneeze" in unescape(page(client, q="xylophone"))

    def test_every_suggested_search_finds_a_thread(self, client):
        for title in ["Sneezing", "Shoulder", "Bra"]:
            make_thread(title, f"{title} trouble: hurts when I sneeze, shoulder blade, run bra.")
        html = unescape(page(client, q="xylophone"))
        suggested = re.findall(r'<a href="\?q=([^"&]+)', html)
        assert suggested
        for query in suggested:
            assert page_count(client, unquote_plus(query)) > 0, query

    def test_the_working_examples_are_kept_until_the_content_changes(self, client, settings):
        settings.SEARCH_CACHE_SECONDS = 300
        cache.clear()
        assert "hurts+when+I+sneeze" not in page(client)
        make_thread("Sneezing", "It hurts when I sneeze.")
        assert "hurts+when+I+sneeze" not in page(client)  # kept: no change announced yet
        bump_content_version()
        assert 'href="?q=hurts+when+I+sneeze"' in page(client)

    def test_only_exclusions_asks_for_a_word(self, client):
        html = page(client, q="-knee")
        assert "Add a word to look for" in html

    def test_some_words_when_none_has_all(self, client):
        make_thread("Knee", "Sore knee.")
        html = page(client, q="knee xylophone")
        assert "No thread has all of your words" in html
        assert "1 past thread" in text_of(html)

    def test_filters_alone_list_threads(self, client):
        make_thread("Knee trouble", "Sore.", locations=["knees"])
        make_thread("Back trouble", "Sore.", locations=["lower-back"])
        html = page(client, location="knees")
        assert "Knee trouble" in html and "Back trouble" not in html

    def test_what_was_typed_is_escaped(self, client):
        html = page(client, q='<script>alert("x")</script>')
        assert "<script>alert" not in html
        assert "&lt;script&gt;" in html


class TestBadRequestsAndPages:
    def test_an_unknown_filter_is_a_400_that_says_so(self, client):
        html = page(client, 400, q="knee", location="elbow")
        assert "“elbow” is not a body region we know" in unescape(html)

    def test_a_bad_page_number_is_a_400(self, client):
        assert "“x” is not a page number." in unescape(page(client, 400, q="knee", page="x"))

    def test_a_page_past_the_end_is_a_404(self, client):
        make_thread("Knee", "Sore knee.")
        html = page(client, 404, q="knee", page="2")
        assert "There is no page 2: these results fit on 1 page." in html

    def test_pages_link_to_each_other_keeping_the_query(self, client):
        for n in range(25):
            make_thread(f"Knee {n}", "Sore knee.", stage=3)
        first = page(client, q="knee", stage="3")
        assert "Page 1 of 2" in first
        assert 'rel="next" href="?q=knee&amp;stage=3&amp;page=2"' in first
        second = page(client, q="knee", stage="3", page="2")
        assert 'rel="prev" href="?q=knee&amp;stage=3&amp;page=1"' in second
        assert '<ol class="search-results" start="21">' in second
        assert "25 past threads, showing 21–25" in unescape(text_of(second))

    def test_the_page_costs_the_same_queries_for_few_or_many_results(
        self, client, django_assert_max_num_queries
    ):
        make_thread("Ankle", "Rolled ankle.", ["Ice."], locations=["ankles"], remedies=["rest"])
        for n in range(30):
            make_thread(f"Knee {n}", "Sore knee.", ["Rest.", "Ice."], locations=["knees"])
        for q in ("ankle", "knee", "kneee xylophone"):
            with django_assert_max_num_queries(MAX_QUERIES):
                assert "search-result card" in page(client, q=q)

    def test_only_the_first_page_is_logged(self, client):
        for n in range(25):
            make_thread(f"Knee {n}", "Sore knee.")
        page(client, q="knee")
        page(client, q="knee", page="2")
        assert list(SearchQuery.objects.values_list("query", "results")) == [("knee", 25)]
