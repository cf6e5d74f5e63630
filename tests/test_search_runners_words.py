"""Runners' words: stage shorthand and the pain-word family, on both databases.

Each form is searched through the backend of the database in use, so the suite run on
SQLite and again on PostgreSQL (DATABASE_URL) proves both understand them alike.
"""

from __future__ import annotations

import pytest

from kbapp.importing.stage import stage_mention
from kbapp.models import Thread
from kbapp.search import get_backend
from kbapp.search.query import PAIN_WORDS, stage_hint
from tests.factories import make_thread
from tests.test_search_corpus import search_corpus_fixture  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

WEEK_5_FORMS = ["w5", "W5", "wk5", "wk 5", "week5", "week 5", "Week 5"]
WEEK_5_RUN_3_FORMS = ["W5R3", "w5r3", "week5 run 3", "Week 5 Run 3", "wk5 r3"]


def found(text: str) -> list[int]:
    return [hit.thread.pk for hit in get_backend().search(text).hits]


@pytest.mark.parametrize(
    ("typed", "stage", "run"),
    [*((form, 5, None) for form in WEEK_5_FORMS), *((f, 5, 3) for f in WEEK_5_RUN_3_FORMS),
     ("graduate", 10, None), ("graduated", 10, None), ("graduation", 10, None)],
)  # fmt: skip
def test_the_query_names_the_stage(typed, stage, run):
    assert stage_mention(f"knee {typed} pain")[:2] == (stage, run)
    hint, rest = stage_hint(f"knee {typed} pain")
    assert hint.stage == stage and rest.split() == ["knee", "pain"]


def test_words_that_only_look_like_stages_are_not():
    for text in ["sw5", "w10", "week", "w0", "aw5r3"]:
        assert stage_mention(text) is None, text


class TestStageShorthand:
    """A stage ranks, it never narrows: every thread the other words find stays."""

    @pytest.fixture
    def threads(self):
        return {
            "staged": make_thread("Knee niggle", "My knee feels odd.", stage=5),
            "staged_run": make_thread("Knee niggle again", "W5R3 today: my knee.", stage=5),
            "spelt": make_thread("Knee niggle in week 5", "On W5R3 and w5 my knee went, wk5 too."),
            "other": make_thread("Knee niggle", "My knee feels odd on this run.", stage=3),
            "graduate": make_thread("Knee since", "My knee aches now.", stage=10),
            "graduated": make_thread("Knee after I graduated", "Knee pain since then."),
        }

    def assert_ranked_not_narrowed(self, result, first, then, words="knee"):
        assert set(result) == set(found(words)), "a stage must never hide a thread"
        assert set(result[: len(first)]) == set(first)
        rest = result[len(first) :]
        assert rest[: len(then)] == then

    @pytest.mark.parametrize("form", WEEK_5_FORMS)
    def test_a_week_ranks_its_threads_first_then_the_spelling(self, threads, form):
        self.assert_ranked_not_narrowed(
            found(f"{form} knee"),
            [threads["staged"].pk, threads["staged_run"].pk],
            [threads["spelt"].pk],
        )

    @pytest.mark.parametrize("form", WEEK_5_RUN_3_FORMS)
    def test_within_the_week_the_named_run_ranks_first(self, threads, form):
        result = found(f"{form} knee")
        assert result[:2] == [threads["staged_run"].pk, threads["staged"].pk], form
        self.assert_ranked_not_narrowed(result, result[:2], [threads["spelt"].pk])

    @pytest.mark.parametrize("form", ["W5R3", "week 5", "wk5"])
    @pytest.mark.parametrize("words", ["kneee", "knee xylophone"])
    def test_the_typo_and_fewer_words_fallbacks_rank_the_stage_too(self, threads, form, words):
        result = found(f"{form} {words}")
        assert set(result) == set(found("knee"))
        assert set(result[:2]) == {threads["staged"].pk, threads["staged_run"].pk}

    @pytest.mark.parametrize("form", ["w5", "W5R3", "week 5"])
    def test_the_stage_alone_browses_it(self, threads, form):
        expected = {threads["staged"].pk, threads["staged_run"].pk, threads["spelt"].pk}
        assert set(found(form)) == expected

    @pytest.mark.parametrize("form", ["graduate", "graduated", "Graduated"])
    def test_graduates(self, threads, form):
        result = found(f"{form} knee")
        assert result[0] == threads["graduate"].pk
        self.assert_ranked_not_narrowed(result, result[:1], [threads["graduated"].pk])

    def test_a_stage_with_words_no_thread_has_finds_nothing(self, threads):
        assert found("w3 xylophone") == []
        assert found("w3 knee")[0] == threads["other"].pk

    def test_the_page_and_the_api_keep_every_thread(self, client, threads):
        page = client.get("/search/", {"q": "W5R3 knee"}).content.decode()
        assert all(thread.title in page for thread in threads.values())
        body = client.get("/api/search", {"q": "week 5 knee"}).json()
        assert body["count"] == len(threads)
        assert {r["stage"] for r in body["results"][:2]} == {5}


class TestPainWords:
    @pytest.fixture
    def threads(self):
        return {
            "tight": make_thread("Calves", "My calves feel tight."),
            "sore": make_thread("Calves", "My calves are sore."),
            "fine": make_thread("Calves", "My calves are fine."),
        }

    @pytest.mark.parametrize("word", PAIN_WORDS)
    def test_every_pain_word_finds_the_others(self, threads, word):
        result = found(f"{word} calves")
        assert {threads["tight"].pk, threads["sore"].pk} <= set(result), word
        assert threads["fine"].pk not in result

    @pytest.mark.parametrize(
        ("word", "first"),
        [("tight", "tight"), ("sore", "sore"), ("tightness", "tight"), ("soreness", "sore")],
    )
    def test_the_word_as_typed_ranks_first(self, threads, word, first):
        assert found(f"{word} calves")[0] == threads[first].pk

    def test_pain_words_are_never_corrected(self, threads):
        assert get_backend().search("achy calves").suggestion is None


class TestOnTheDemo:
    """The queries the dashboard listed as finding nothing, or the wrong thread."""

    def test_w5_and_tight_find_threads(self, search_corpus):
        # Week 5's threads first: the demo's sample "Sore knees W5R2" spells it out too.
        week5 = set(Thread.objects.filter(stage=5).values_list("pk", flat=True))
        top = found("w5")[: len(week5)]
        assert set(top) == week5 and search_corpus["calves"].pk in top
        assert found("tight")[0] == search_corpus["calves"].pk

    def test_sholder_blade_ache_finds_the_two_shoulder_blade_threads(self, search_corpus):
        top = found("sholder blade ache")[:2]
        assert set(top) == {search_corpus["mid-upper"].pk, search_corpus["w7r1"].pk}

    def test_the_page_and_the_api_take_shorthand_with_facets_and_filters(
        self, client, search_corpus
    ):
        html = client.get("/search/", {"q": "w5"}).content.decode()
        assert search_corpus["calves"].title in html
        body = client.get("/api/search", {"q": "W5R3 calves", "stage": "5"}).json()
        assert [hit["title"] for hit in body["results"]] == [search_corpus["calves"].title]

    def test_w7r1_still_finds_its_thread_first(self, search_corpus):
        assert found("W7R1")[0] == search_corpus["w7r1"].pk
        assert found("week 7 upper back")[0] == search_corpus["w7r1"].pk
