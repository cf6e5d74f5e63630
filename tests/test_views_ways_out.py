"""Filters that guide: counts beside every option, and a way out of an emptied page."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.factories import make_advice, make_evidence, make_thread
from tests.test_search_views import option

pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def ways_out(html: str) -> list[tuple[str, str]]:
    box = re.search(r"<p class=\"ways-out\" data-ways-out>(.*?)</p>", html, re.S)
    assert box, "no way out offered"
    return [
        (unescape(href), text)
        for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', box.group(1))
    ]


@pytest.fixture
def knees():
    """Knee threads at weeks 2, 3 (two) and 7, each reply with a confirmed claim."""
    made = []
    for stage in (2, 3, 3, 7):
        thread = make_thread(f"Knee week {stage}", "Sore knee.", ["Rest helped."],
                             locations=["knees"], remedies=["rest"], stage=stage)  # fmt: skip
        make_evidence(thread.replies.get(), "rest", "knees")
        made.append(thread)
    make_advice("Knee rest", locations=["knees"], remedies=["rest"],
                sources=[made[1].replies.get()])  # fmt: skip
    return made


class TestCounts:
    def test_symptom_filters_count_threads(self, client, knees):
        html = client.get("/symptoms/knees/").content.decode()
        assert option(html, "stage", "3") == "Week 3 (2)"
        assert option(html, "stage", "5") == "Week 5 (0)"
        assert option(html, "category", "rest") == "Rest (4)"
        assert option(html, "remedy", "rest") == "Rest (4)"

    def test_answer_filters_count_replies(self, client, knees):
        html = client.get("/answers/", {"stage": "3"}).content.decode()
        assert option(html, "stage", "7") == "Week 7 (1)"
        assert option(html, "stance", "helped") == "Tried it and it helped (2)"
        assert option(html, "location", "knees") == "Knees (2)"


class TestWaysOut:
    def test_an_empty_stage_offers_the_nearest_ones_and_no_filters(self, client, knees):
        html = client.get("/symptoms/knees/", {"stage": "5"}).content.decode()
        assert ways_out(html) == [
            ("/symptoms/knees/?stage=3", "Week 3 (2)"),
            ("/symptoms/knees/?stage=7", "Week 7 (1)"),
            ("/symptoms/knees/", "without filters (4)"),
        ]

    def test_search_keeps_the_words(self, client, knees):
        html = client.get("/search/", {"q": "knee", "stage": "4"}).content.decode()
        assert ways_out(html) == [
            ("/search/?q=knee&stage=2", "Week 2 (1)"),
            ("/search/?q=knee&stage=3", "Week 3 (2)"),
            ("/search/?q=knee", "without filters (4)"),
        ]

    def test_advice_and_answers(self, client, knees):
        html = client.get("/advice/", {"stage": "2"}).content.decode()
        assert ("/advice/?stage=3", "Week 3 (1)") in ways_out(html)
        assert ways_out(html)[-1] == ("/advice/", "without filters (1)")
        html = client.get("/answers/", {"stage": "5", "stance": "helped"}).content.decode()
        assert ways_out(html)[-1] == ("/answers/", "without filters (4)")
        assert "Nothing here" not in text_of(html)

    def test_a_page_with_results_offers_nothing(self, client, knees):
        assert (
            "data-ways-out" not in client.get("/symptoms/knees/", {"stage": "3"}).content.decode()
        )
