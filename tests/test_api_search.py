"""GET /api/search: the shape of an answer, its pages, and a 400 for every bad parameter."""

from __future__ import annotations

import pytest
from django.db import connection

from kbapp.models import SearchQuery
from tests.factories import make_thread
from tests.test_search_corpus import search_corpus_fixture  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

URL = "/api/search"
# The search function's queries (tests/test_search.py) without facets, the log entry, the
# red flags, and the advice entries with their tags.
MAX_QUERIES = 24


def get(client, **params):
    return client.get(URL, params)


class TestOnTheDemoThreads:
    def test_the_answer_has_the_documented_shape(self, client, search_corpus):
        response = get(client, q="hurts when I sneeze")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        body = response.json()
        assert set(body) == {"count", "count_exact", "page", "num_pages", "next", "previous",
                             "results", "suggestion", "advice", "red_flags",
                             "emergency"}  # fmt: skip
        assert (body["count"], body["count_exact"], body["page"]) == (1, True, 1)
        assert body["suggestion"] is None
        hit = body["results"][0]
        thread = search_corpus["mid-upper"]
        reply = thread.replies.get(body__contains="when I sneezed")
        assert hit["title"] == thread.title
        assert hit["url"] == f"http://testserver{reply.get_absolute_url()}"
        assert hit["url"].endswith(f"#reply-{reply.pk}")
        assert hit["api_url"] == f"http://testserver/api/threads/{thread.slug}"
        assert "<mark>sneezed</mark>" in hit["snippet"]
        assert isinstance(hit["score"], float)
        assert hit["locations"] == ["between-the-shoulder-blades", "upper-back", "mid-back"]
        assert "core-strength" in hit["remedies"]
        assert (hit["stage"], hit["reply_count"]) == (thread.stage, 4)

    def test_filters_narrow_the_results(self, client, search_corpus):
        everywhere = get(client, q="pain").json()["count"]
        upper = get(client, q="pain", location="upper-back").json()
        assert 0 < upper["count"] < everywhere
        assert all("upper-back" in hit["locations"] or "between-the-shoulder-blades"
                   in hit["locations"] for hit in upper["results"])  # fmt: skip
        staged = get(client, q="pain", stage="7").json()["results"]
        assert search_corpus["w7r1"].title in [hit["title"] for hit in staged]
        assert {hit["stage"] for hit in staged} == {7}
        assert len(staged) < get(client, q="pain").json()["count"]
        pilates = get(client, q="back", remedy="pilates").json()["results"]
        assert all("pilates" in hit["remedies"] for hit in pilates) and pilates

    def test_a_typo_gets_a_suggestion_and_results(self, client, search_corpus):
        body = get(client, q="sholder blade").json()
        assert body["suggestion"] == "shoulder blade"
        assert search_corpus["mid-upper"].title in [hit["title"] for hit in body["results"]]

    def test_hidden_threads_never_appear(self, client, search_corpus):
        for q in ["scapula sneezing mystery", "hidden editor"]:
            titles = [hit["title"] for hit in get(client, q=q).json()["results"]]
            assert search_corpus["hidden"].title not in titles


class TestPages:
    @pytest.fixture
    def many(self):
        return [make_thread(f"Knee {n}", "Sore knee.") for n in range(25)]

    def test_pages_and_their_links(self, client, many):
        first = get(client, q="knee").json()
        assert (first["count"], first["num_pages"], len(first["results"])) == (25, 2, 20)
        assert first["previous"] is None
        assert first["next"] == "http://testserver/api/search?q=knee&page=2"
        second = get(client, q="knee", page="2").json()
        assert len(second["results"]) == 5 and second["next"] is None
        assert second["previous"] == "http://testserver/api/search?q=knee&page=1"
        titles = {h["title"] for h in first["results"]} | {h["title"] for h in second["results"]}
        assert len(titles) == 25

    def test_a_page_past_the_end_is_a_400(self, client, many):
        response = get(client, q="knee", page="3")
        assert response.status_code == 400
        assert response.json() == {"error": "There is no page 3: these results fit on 2 pages."}

    def test_no_results_is_a_page_of_nothing(self, client):
        body = get(client, q="xylophone").json()
        assert (body["count"], body["page"], body["results"], body["num_pages"]) == (0, 1, [], 1)

    def test_the_query_count_does_not_grow_with_the_results(
        self, client, many, django_assert_max_num_queries
    ):
        with django_assert_max_num_queries(MAX_QUERIES):
            assert len(get(client, q="knee").json()["results"]) == 20
        with django_assert_max_num_queries(MAX_QUERIES):
            assert len(get(client, q="kneee sore xylophone").json()["results"]) == 20


class TestBadParameters:
    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ({"location": "elbow"}, "“elbow” is not a body region we know"),
            ({"remedy": "leeches"}, "“leeches” is not a remedy we know"),
            ({"stage": "11"}, "“11” is not a Couch to 5K week"),
            ({"stage": "0"}, "“0” is not a Couch to 5K week"),
            ({"stage": "week 3"}, "is not a Couch to 5K week"),
            ({"page": "0"}, "Page numbers start at 1."),
            ({"page": "-2"}, "Page numbers start at 1."),
            ({"page": "two"}, "“two” is not a page number."),
            ({"page": "1.5"}, "“1.5” is not a page number."),
            ({"page": "²"}, "“²” is not a page number."),
            ({"page": "9" * 30}, "is past the last page"),
            ({"sort": "new"}, "Unknown parameter “sort”"),
        ],
    )
    def test_each_is_a_400_saying_what_was_wrong(self, client, params, message):
        response = get(client, q="knee", **params)
        assert response.status_code == 400
        assert response["Content-Type"] == "application/json"
        assert message in response.json()["error"]

    def test_a_bad_filter_names_the_field(self, client):
        body = get(client, q="knee", location="elbow").json()
        assert list(body["fields"]) == ["location"]

    def test_an_empty_filter_means_no_filter(self, client):
        make_thread("Knee", "Sore knee.")
        assert get(client, q="knee", location="", remedy="", stage="").json()["count"] == 1

    def test_only_get_and_head(self, client):
        response = client.post(URL, {"q": "knee"})
        assert response.status_code == 405
        assert response["Allow"] == "GET, HEAD"

    def test_any_words_are_fine(self, client):
        for q in ["NEAR(knee", '"', "*:*", "-", "\x00", "x" * 10_000]:
            assert get(client, q=q).status_code == 200


class TestSearchLog:
    def test_each_search_is_logged_with_its_result_count(self, client):
        make_thread("Knee", "Sore knee.")
        get(client, q="  Sore   KNEE ")
        get(client, q="xylophone")
        logged = list(SearchQuery.objects.order_by("pk").values_list("query", "results"))
        assert logged == [("sore knee", 1), ("xylophone", 0)]

    def test_later_pages_and_empty_queries_are_not_logged_again(self, client):
        for n in range(25):
            make_thread(f"Knee {n}", "Sore knee.")
        get(client, q="knee", page="2")
        get(client, q="   ")
        assert not SearchQuery.objects.exists()

    def test_no_personal_data_is_kept(self, client):
        get(client, q="knee pain jo.bloggs@example.org 07700 900123 \x00\t")
        assert SearchQuery.objects.get().query == "knee pain [email] [number]"

    def test_long_queries_are_cut_to_fit(self, client):
        get(client, q="knee " * 100)
        stored = SearchQuery.objects.get().query
        assert len(stored) == SearchQuery._meta.get_field("query").max_length
        assert stored.startswith("knee knee")


def test_the_backend_in_use_answers(client):
    make_thread("Knee", "Sore knee.")
    assert get(client, q="knees").json()["count"] == 1, connection.vendor
