"""Answers first: advice entries in search, kept in sync by the index triggers, and red
flags where runners land (search, thread pages, symptom pages). Both databases."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.core.management import call_command

from kbapp.models import AdviceEntry, PainLocation, RedFlag, Thread
from kbapp.search import get_backend
from tests.factories import make_advice, make_thread
from tests.test_search_corpus import search_corpus_fixture  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

SNEEZE_ADVICE = "Pain under your shoulder blade when you sneeze or breathe: get it checked"


def advice_found(text: str) -> list[int]:
    return [pk for pk, _ in get_backend().search(text).advice_ids]


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


class TestTheIndexFollowsTheEntries:
    def test_a_published_entry_is_found_by_title_summary_body_and_tags(self):
        entry = make_advice(
            "Zanzibar drills",
            summary="Quokka steps for the arms.",
            body="Do the **wombat** swing.",
            locations=["between-the-shoulder-blades"],
            remedies=["pilates"],
        )
        for words in ("zanzibar", "quokka", "wombat", "scapula", "pilates", "drill"):
            assert advice_found(words) == [entry.pk], words

    def test_drafts_and_entries_in_review_never_appear(self):
        draft = make_advice("Zanzibar draft", status=AdviceEntry.Status.DRAFT)
        make_advice("Zanzibar review", status=AdviceEntry.Status.IN_REVIEW)
        assert advice_found("zanzibar") == []
        AdviceEntry.objects.filter(pk=draft.pk).update(status=AdviceEntry.Status.PUBLISHED)
        assert advice_found("zanzibar") == [draft.pk]
        AdviceEntry.objects.filter(pk=draft.pk).update(status=AdviceEntry.Status.DRAFT)
        assert advice_found("zanzibar") == []

    def test_edits_tags_and_deletes_are_followed(self):
        entry = make_advice("Zanzibar drills", summary="Drills.", locations=["knees"], remedies=[])
        entry.title = "Quokka drills"
        entry.save()
        assert (advice_found("zanzibar"), advice_found("quokka")) == ([], [entry.pk])
        assert advice_found("scapula") == []
        entry.locations.add(PainLocation.objects.get(slug="between-the-shoulder-blades"))
        assert advice_found("scapula") == [entry.pk]
        entry.locations.remove(PainLocation.objects.get(slug="between-the-shoulder-blades"))
        assert advice_found("scapula") == []
        entry.delete()
        assert advice_found("quokka") == []

    def test_a_renamed_place_renames_it_in_the_index(self):
        entry = make_advice("Zanzibar drills", locations=["knees"], remedies=[])
        PainLocation.objects.filter(slug="knees").update(synonyms="patella, wobblebone")
        assert advice_found("wobblebone") == [entry.pk]

    def test_rebuild_restores_the_advice_index(self):
        entry = make_advice("Zanzibar drills")
        call_command("rebuild_search_index", verbosity=0)
        assert advice_found("zanzibar") == [entry.pk]

    def test_the_title_weighs_more_than_the_body(self):
        in_body = make_advice("Drills", summary="Drills.", body="Try the quokka swing.")
        in_title = make_advice("Quokka drills", summary="Drills.", body="Swing.")
        assert advice_found("quokka") == [in_title.pk, in_body.pk]


class TestOnTheDemo:
    def test_hurts_when_i_sneeze_offers_the_get_it_checked_entry_first(self, search_corpus):
        first = AdviceEntry.objects.get(pk=advice_found("hurts when I sneeze")[0])
        assert first.title == SNEEZE_ADVICE
        assert SNEEZE_ADVICE in [
            AdviceEntry.objects.get(pk=pk).title for pk in advice_found("should I stop running")
        ]

    def test_the_page_shows_the_red_flag_then_advice_then_threads(self, client, search_corpus):
        html = unescape(client.get("/search/", {"q": "hurts when I sneeze"}).content.decode())
        flag = html.index("Pain when breathing, coughing or sneezing")
        advice = html.index(SNEEZE_ADVICE)
        thread = html.index(search_corpus["mid-upper"].title, advice)
        assert flag < advice < thread
        assert html.count('class="card search-advice__item"') <= 3

    def test_a_filter_narrows_the_advice_like_it_does_on_advice_pages(self, client, search_corpus):
        html = client.get("/search/", {"q": "shoulder", "location": "knees"}).content.decode()
        assert "search-advice__item" not in html
        html = client.get("/search/", {"q": "shoulder", "remedy": "swimming"}).content.decode()
        assert "Swim on your rest days" in html and "Relax your shoulders" not in html

    def test_no_red_flag_for_words_that_raise_none(self, client, search_corpus):
        html = client.get("/search/", {"q": "swimming"}).content.decode()
        assert "data-red-flags" not in html

    def test_the_api_lists_advice_and_red_flags(self, client, search_corpus):
        body = client.get("/api/search", {"q": "hurts when I sneeze"}).json()
        first = body["advice"][0]
        entry = AdviceEntry.objects.get(title=SNEEZE_ADVICE)
        assert {"title", "url", "summary", "locations", "remedies",
                "see_a_professional_if"} <= set(first)  # fmt: skip
        assert set(first) - {"see_a_professional_if"} == set(
            client.get("/api/advice").json()["results"][0]
        )  # listed as /api/advice lists it
        assert first["url"] == f"http://testserver/advice/{entry.slug}/"
        assert "between-the-shoulder-blades" in first["locations"]
        assert first["see_a_professional_if"] == entry.red_flag_lines
        assert len(body["advice"]) <= 3
        assert [f["name"] for f in body["red_flags"]] == [
            "Pain when breathing, coughing or sneezing"
        ]
        assert body["red_flags"][0]["emergency"] is False

    def test_later_pages_repeat_no_advice(self, client, search_corpus):
        for n in range(25):
            make_thread(f"Shoulder {n}", "Sore shoulder.")
        body = client.get("/api/search", {"q": "shoulder", "page": "2"}).json()
        assert body["advice"] == [] and body["results"]
        assert client.get("/api/search", {"q": "shoulder"}).json()["advice"]


class TestRedFlags:
    def test_emergencies_are_set_by_the_migration(self):
        urgent = set(RedFlag.objects.filter(emergency=True).values_list("slug", flat=True))
        assert urgent == {"chest-pain", "bladder-bowel", "spreading-numbness"}
        assert RedFlag.objects.first().emergency  # emergencies come first

    def test_an_emergency_in_the_query_is_shown_urgent(self, client):
        html = client.get("/search/", {"q": "chest pain on my run"}).content.decode()
        box = html[html.index("data-red-flags") :]
        assert "red-flag--urgent" in box and "Chest pain, dizziness or fainting" in box
        assert "<details" not in box.split("</section>")[0]

    def test_a_flagged_thread_shows_its_flag_near_the_top(self, client):
        thread = make_thread("Upper back", "It catches when I sneeze.", ["Get it checked."])
        thread.red_flags.set(RedFlag.objects.filter(slug__in=["breathing", "chest-pain"]))
        html = client.get(thread.get_absolute_url()).content.decode()
        box = html.index("data-red-flags")
        assert box < html.index('class="post"')
        assert html.index("Chest pain, dizziness") < html.index("Pain when breathing")
        assert "red-flag--urgent" in html
        api = client.get(f"/api/threads/{thread.slug}").json()
        assert [f["emergency"] for f in api["red_flags"]] == [True, False]

    def test_an_unflagged_thread_has_no_box(self, client):
        thread = make_thread("Knees", "Sore knees.")
        assert "data-red-flags" not in client.get(thread.get_absolute_url()).content.decode()

    def test_symptom_pages_never_fold_an_emergency(self, client):
        html = client.get("/symptoms/lower-back/").content.decode()
        box = html[html.index("data-red-flags") :].split("</section>")[0]
        urgent = re.findall(r'<li class="red-flag red-flag--urgent">(.*?)</li>', box, re.S)
        assert len(urgent) == 3  # chest pain and spreading numbness everywhere, bladder here
        folded = box[box.index("<details") :]
        assert all(item not in folded for item in urgent)
        assert "Numbness, tingling or pins and needles" in folded  # the others still fold
        assert "5 more signs to get checked" in folded


def test_the_demo_thread_flagged_for_sneezing_shows_it(client, search_corpus):
    thread = Thread.objects.get(slug="help-mid-to-upper-back-pain")
    assert thread.red_flags.filter(slug="breathing").exists()
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "This thread mentions a sign to get checked" in text_of(html)
