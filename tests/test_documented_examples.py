"""Every example in README.md and docs/api.md that states a result returns it, on the demo.

The "`query` finds "words"" examples are read out of docs/api.md itself, so an example
added there is checked here too.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from kbapp.models import Thread
from kbapp.services.importing import ImportSource, import_files

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
API_DOC = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")
FINDS = re.findall(r'`([^`]+)` finds\s+"([^"]+)"', API_DOC)


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def search(client, q: str) -> dict:
    response = client.get("/api/search", {"q": q})
    assert response.status_code == 200, response.content
    return response.json()


def thread_text(slug: str) -> str:
    thread = Thread.objects.get(slug=slug)
    parts = [thread.title, thread.body, *thread.replies.values_list("body", flat=True)]
    return " ".join(parts).lower().replace("&", "and")


def test_the_docs_hold_finds_examples():
    assert len(FINDS) >= 5, FINDS


@pytest.mark.parametrize(("query", "words"), FINDS, ids=[q for q, _ in FINDS])
def test_each_finds_example_finds_a_thread_with_those_words(client, demo, query, words):
    found = [hit["slug"] for hit in search(client, query)["results"]]
    assert any(words.lower() in thread_text(slug) for slug in found), (query, found)


def test_stage_words_and_titles_as_documented(client, demo):
    staged = search(client, "W5R3")["results"]
    assert staged and all(hit["stage"] == 5 or "w5" in thread_text(hit["slug"]) for hit in staged)
    assert search(client, "W5R3 knees")["count"] >= search(client, "knees")["count"]
    title = search(client, "lower back pain")["results"][0]["title"]
    assert title.lower().startswith("lower back pain")


def test_typos_pain_words_phrases_and_exclusions_as_documented(client, demo):
    assert search(client, "sholder")["suggestion"] == "shoulder"
    achy = [hit["slug"] for hit in search(client, "achy")["results"]]
    assert any("ache" in thread_text(slug) or "sore" in thread_text(slug) for slug in achy)
    assert search(client, '"run bra"')["count"] >= 1
    without = [hit["slug"] for hit in search(client, "shoulder blade -sneeze")["results"]]
    assert without and not any("sneeze" in thread_text(slug) for slug in without)


def test_the_search_response_example(client, demo):
    body = search(client, "hurts when I sneeze")
    assert body["count"] == 1 and body["emergency"] is False
    assert body["results"][0]["slug"] == "help-mid-to-upper-back-pain"
    assert body["advice"][0]["slug"] == "shoulder-blade-pain-when-you-sneeze-or-breathe"
    assert body["red_flags"][0]["name"] == "Pain when breathing, coughing or sneezing"
    documented = re.search(
        r"Response:\n\n```json\n(\{\n  \"count\": 1,.*?\n\})\n```", API_DOC, re.S
    )
    assert set(json.loads(documented.group(1).replace("…", ""))) == set(body)


def test_the_advice_list_example(client, demo):
    documented = re.search(r"## Advice entries:.*?```json\n(.*?)\n```", API_DOC, re.S).group(1)
    count = int(re.search(r'"count": (\d+)', documented).group(1))
    first = json.loads(re.search(r"\n    (\{.*?\n    \})", documented, re.S).group(1))
    body = client.get("/api/advice").json()
    assert body["count"] == count
    assert set(body["results"][0]) == set(first)
    for field in ("slug", "title", "locations", "remedies", "support", "review_due"):
        assert body["results"][0][field] == first[field], field


def test_the_error_examples(client, demo):
    body = client.get("/api/advice", {"stage": "abc"}).json()
    assert body["error"] == "Programme stage: “abc” is not a Couch to 5K week."
    assert body["fields"] == {"stage": ["“abc” is not a Couch to 5K week."]}
    check = client.get("/api/check", {"location": "elbow", "stage": "3", "flags": ""}).json()
    assert check["error"] == "“elbow” is not a place on the body map."


def test_the_check_examples(client, demo):
    body = client.get("/api/check", {"location": "knees", "stage": "3", "flags": ""}).json()
    assert body["outcome"] == "self_care" and body["advice"]
    assert body["url"].endswith("/check/?location=knees&stage=3&flags=")
    page = client.get("/check/?location=knees&stage=3&flags=").content.decode()
    assert "None of the warning signs" in page


def test_the_readme_json_lines_example_imports():
    block = re.search(r"### JSON Lines.*?```json\n(.*?)\n```", README, re.S).group(1)
    line = json.dumps(json.loads(block.replace("...", "")))
    report = import_files([ImportSource("example.jsonl", line.encode())])
    assert not report.failed
    assert Thread.objects.get().title == "Shin splints in week 3"
