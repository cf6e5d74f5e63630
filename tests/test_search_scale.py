"""Search at scale: the candidate window, "about N" counts and the first-page cache.

Run on SQLite and on PostgreSQL (DATABASE_URL). The window is made small here so that a
few threads stand for tens of thousands.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection

from kbapp.models import Reply, Thread
from kbapp.search import SearchFilters, base, get_backend, search
from kbapp.search.base import SearchBackend
from kbapp.services import curation
from kbapp.services.importing import ImportSource, import_files
from tests.dumps import SEEDS_DIR
from tests.factories import make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_window(monkeypatch):
    monkeypatch.setattr(SearchBackend, "window", 5)
    # PostgreSQL's estimate comes from statistics that earlier tests' rows left behind, so
    # here the window is always counted; the estimate's own path has its test below.
    monkeypatch.setattr(base, "BROAD", 10**9)


def knee_threads(n: int) -> list[Thread]:
    return [
        make_thread(f"Run {i} went fine", "Easy pace today.", [f"My knee ached on run {i}."])
        for i in range(n)
    ]


def test_up_to_the_window_counts_are_exact_and_everything_is_ranked(small_window):
    knee_threads(4)
    best = make_thread("Knee pain on every run", "My knee hurts going down stairs.")
    results = search("knee", per_page=2)
    assert (results.count, results.count_exact, results.num_pages) == (5, True, 3)
    assert results.hits[0].thread == best


def test_beyond_the_window_the_count_is_about_and_only_the_window_is_paged(small_window):
    knee_threads(12)
    results = search("knee", per_page=2)
    assert not results.count_exact
    assert results.count >= 6
    assert (results.paged_count, results.num_pages, len(results.hits)) == (5, 3, 2)
    last = search("knee", per_page=2, page=3)
    assert len(last.hits) == 1
    assert search("knee", per_page=2, page=4).out_of_range
    pages = [h.thread.pk for p in (1, 2, 3) for h in search("knee", per_page=2, page=p).hits]
    assert len(set(pages)) == 5


def test_facets_beyond_the_window_count_the_window(small_window):
    for thread in knee_threads(12):
        thread.stage = 3
        thread.save()
    results = search("knee", facets=True)
    assert not results.count_exact
    assert results.facets["stage"] == {"3": 5}


def test_filters_choose_the_window_among_the_threads_they_allow(small_window):
    knee_threads(12)
    staged = make_thread("Run 99", "Week 6 run 2 done.", ["My knee ached a bit."], stage=6)
    results = search("knee", filters=SearchFilters(stage=6))
    assert (results.count, results.count_exact) == (1, True)
    assert [h.thread for h in results.hits] == [staged]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL window's tiers")
def test_postgresql_window_takes_the_typed_words_up_front_first(small_window):
    first = make_thread("Knee pain going downhill", "My knee hurts on hills.")
    knee_threads(12)
    results = search("knee")
    assert not results.count_exact
    assert results.hits[0].thread == first


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite window")
def test_sqlite_window_is_the_newest_matches(small_window):
    threads = knee_threads(12)
    results = search("knee", per_page=20)
    assert {h.thread.pk for h in results.hits} == {t.pk for t in threads[-5:]}


def test_the_api_says_when_the_count_is_an_estimate(client, small_window):
    knee_threads(12)
    answer = client.get("/api/search", {"q": "knee"}).json()
    assert answer["count_exact"] is False
    assert answer["count"] >= 6
    assert answer["num_pages"] == 1
    assert client.get("/api/search", {"q": "ached"}).json()["count_exact"] is False
    assert client.get("/api/search", {"q": "nothing-like-it"}).json()["count_exact"] is True


def test_the_page_says_about(client, small_window, monkeypatch):
    knee_threads(12)
    backend = type(get_backend())
    monkeypatch.setattr(backend, "estimate", lambda self, match, filters, found, scanned: 60_000)
    page = client.get("/search/", {"q": "knee"}).content.decode()
    assert "about 60,000 past threads" in page.split('class="result-count"')[1].split("</p>")[0]


def test_a_count_no_better_than_the_window_says_more_than(client, small_window, monkeypatch):
    knee_threads(12)
    backend = type(get_backend())
    # No estimate above what was found: the planner's, from earlier tests' rows, aside too.
    monkeypatch.setattr(backend, "estimate", lambda self, match, filters, found, scanned: found)
    monkeypatch.setattr(backend, "guess", lambda self, match, filters: 0)
    results = search("knee")
    assert (results.count, results.count_exact, results.more_than_window) == (6, False, True)
    page = client.get("/search/", {"q": "knee"}).content.decode()
    assert "more than 5 past threads" in page


# --- The first-page cache -----------------------------------------------------------------


@pytest.fixture
def cached(settings, django_capture_on_commit_callbacks):
    settings.SEARCH_CACHE_SECONDS = 300
    cache.clear()

    def committed(write):
        with django_capture_on_commit_callbacks(execute=True):
            return write()

    return committed


def titles(text: str) -> list[str]:
    return [hit.title for hit in search(text).hits]


def test_a_repeated_first_page_comes_from_the_cache(cached, django_assert_max_num_queries):
    cached(lambda: make_thread("Knee pain on hills", "Downhill hurts."))
    assert titles("knee") == ["Knee pain on hills"]
    with django_assert_max_num_queries(0):
        assert titles("  KNEE ") == ["Knee pain on hills"]
    assert search("knee", page=2, per_page=1).hits == []  # later pages are not kept


def test_an_import_retires_cached_pages(cached):
    assert titles("swimming") == []
    data = (SEEDS_DIR / "w7r1-upper-back-pain.txt").read_bytes()
    cached(lambda: import_files([ImportSource("w7r1-upper-back-pain.txt", data)]))
    assert titles("swimming") != []


def test_an_edit_retires_cached_pages(cached):
    thread = cached(lambda: make_thread("Sore calves", "Tight.", ["Try a foam roller."]))
    assert titles("massage") == []
    reply = Reply.objects.get(thread=thread)
    reply.body = "A massage gun helped."
    cached(reply.save)
    assert titles("massage") == ["Sore calves"]


def test_hiding_and_deleting_retire_cached_pages(cached, admin_user):
    hidden = cached(lambda: make_thread("Knee pain on hills", "Downhill hurts."))
    gone = cached(lambda: make_thread("Knee pain on stairs", "Stairs hurt."))
    assert len(titles("knee")) == 2
    cached(lambda: curation.set_hidden(thread_ids=[hidden.pk], hidden=True, user=admin_user))
    assert titles("knee") == ["Knee pain on stairs"]
    cached(gone.delete)
    assert titles("knee") == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's head document")
def test_the_head_document_holds_the_title_and_question_and_follows_edits():
    def heads(word: str) -> set[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT thread_id FROM kbapp_search_thread "
                "WHERE head @@ plainto_tsquery('english', %s)",
                [word],
            )
            return {pk for (pk,) in cursor.fetchall()}

    up_front = make_thread("Knee pain downhill", "Hills hurt.", ["Try shorter strides."])
    in_replies = make_thread("Run 3 went fine", "Easy pace.", ["My knee ached after."])
    assert heads("knee") == {up_front.pk}
    in_replies.body = "My knee clicks on the stairs."
    in_replies.save()
    assert heads("knee") == {up_front.pk, in_replies.pk}
    assert heads("strides") == set()


def test_a_guess_of_many_matches_skips_counting_and_a_short_window_is_counted_exactly(
    small_window, monkeypatch
):
    monkeypatch.setattr(base, "BROAD", 1)
    backend = type(get_backend())
    monkeypatch.setattr(backend, "guess", lambda self, match, filters: 1_000_000)
    counted = []
    upto = backend.upto
    monkeypatch.setattr(backend, "upto", lambda *args: counted.append(args) or upto(*args))
    knee_threads(12)
    many = search("knee")
    assert (many.count, many.count_exact, len(many.hits)) == (1_000_000, False, 5)
    # The guess was wrong: the window came back with room to spare, so it holds them all.
    few = search("ached on run 3")
    assert (few.count, few.count_exact, len(few.hits)) == (1, True, 1)
    nothing = search("swimming")
    assert (nothing.count, nothing.count_exact, nothing.hits) == (0, True, [])
    assert counted == []


def test_a_full_window_holds_as_many_threads_as_it_can(small_window):
    """However the candidates overlap (a thread with the words in its title matches every
    tier), the window holds `window` distinct threads: paging reaches all of them."""
    for i in range(8):
        make_thread(f"Knee pain {i}", "My knee hurts.", ["Knee again.", "Still the knee."])
    knee_threads(8)
    pages = [search("knee", per_page=2, page=p) for p in (1, 2, 3)]
    assert not pages[0].count_exact
    ids = [h.thread.pk for p in pages for h in p.hits]
    assert len(ids) == len(set(ids)) == 5
