"""The read-only JSON API for advice and threads."""

import json

import pytest

from kbapp.models import Stage
from tests.factories import make_advice, make_evidence, make_thread

pytestmark = pytest.mark.django_db


def get(client, url: str, status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


@pytest.fixture
def entries():
    thread = make_thread(
        "Week 7 thread", replies=[("Ann", "Relax!"), ("Bob", "Planks.")], stage=Stage.WEEK_7
    )
    ann, bob = thread.replies.all()
    make_evidence(ann, "relax-shoulders", "upper-back")
    return {
        "relax": make_advice(
            "Relax your shoulders",
            locations=["between-the-shoulder-blades"],
            remedies=["relax-shoulders"],
            sources=[ann, bob],
        ),
        "core": make_advice("Core", locations=["lower-back"], remedies=["core-strength"]),
        "draft": make_advice("Draft", status="draft"),
        "thread": thread,
    }


def test_list_has_counts_links_and_results_by_support(client, entries):
    body = get(client, "/api/advice")
    assert body["count"] == 2 and body["page"] == 1 and body["num_pages"] == 1
    assert body["next"] is None and body["previous"] is None
    first = body["results"][0]
    assert first["title"] == "Relax your shoulders" and first["support"] == 2
    assert first["url"] == f"http://testserver{entries['relax'].get_absolute_url()}"
    assert first["api_url"] == f"http://testserver/api/advice/{entries['relax'].slug}"
    assert first["locations"] == ["between-the-shoulder-blades"]
    assert first["remedies"] == ["relax-shoulders"]
    assert [r["title"] for r in body["results"]] == ["Relax your shoulders", "Core"]


def test_list_filters_like_the_html_page(client, entries):
    titles = lambda url: [r["title"] for r in get(client, url)["results"]]  # noqa: E731
    assert titles("/api/advice?location=back") == ["Relax your shoulders", "Core"]
    assert titles("/api/advice?location=upper-back") == ["Relax your shoulders"]
    assert titles("/api/advice?remedy=core-strength") == ["Core"]
    assert titles("/api/advice?category=technique") == ["Relax your shoulders"]
    assert titles("/api/advice?stage=7") == ["Relax your shoulders"]
    assert titles("/api/advice?q=core") == ["Core"]
    assert titles("/api/advice?sort=recent") == ["Core", "Relax your shoulders"]


def test_list_pages(client):
    for n in range(45):
        make_advice(f"Entry {n}")
    body = get(client, "/api/advice?page=2&location=upper-back")
    assert body["count"] == 45 and body["num_pages"] == 3 and len(body["results"]) == 20
    assert body["next"] == "http://testserver/api/advice?page=3&location=upper-back"
    assert body["previous"] == "http://testserver/api/advice?page=1&location=upper-back"


@pytest.mark.parametrize(
    "query, words",
    [
        ("stage=abc", "“abc” is not a Couch to 5K week"),
        ("location=nope", "“nope” is not a body region we know"),
        ("remedy=", None),
        ("sort=bogus", "“bogus” is not a way to sort"),
        ("page=999", "There is no page 999"),
        ("page=-1", "Page numbers start at 1."),
        ("page=1.5", "is not a page number"),
        ("q=%00", "Null characters are not allowed"),
        ("locaton=back", "Unknown parameter “locaton”"),
    ],
)
def test_bad_parameters_are_a_400_with_a_json_error(client, entries, query, words):
    if words is None:  # an empty value means "no filter", not an error
        assert get(client, f"/api/advice?{query}")["count"] == 2
        return
    body = get(client, f"/api/advice?{query}", status=400)
    assert words in body["error"]


def test_field_errors_name_the_parameter(client):
    body = get(client, "/api/advice?stage=0&category=x", status=400)
    assert set(body["fields"]) == {"stage", "category"}


def test_detail_has_body_red_flags_sources_and_related(client, entries):
    entry = entries["relax"]
    related = make_advice("Also shoulders", locations=["between-the-shoulder-blades"])
    body = get(client, f"/api/advice/{entry.slug}")
    assert body["title"] == entry.title and body["summary"] == entry.summary
    assert "<strong>relaxed</strong>" in body["body_html"]
    assert body["see_a_professional_if"] == ["Numbness or pins and needles"]
    ann = entries["thread"].replies.get(author="Ann")
    assert (
        body["sources"][0]["url"] == f"http://testserver/threads/{ann.thread.slug}/#reply-{ann.pk}"
    )
    assert body["sources"][0]["author"] == "Ann" and body["sources"][0]["body"] == "Relax!"
    assert body["sources"][0]["thread"]["title"] == "Week 7 thread"
    assert [r["slug"] for r in body["related"]] == [related.slug]


def test_drafts_and_unknown_slugs_are_a_json_404(client, entries):
    assert "error" in get(client, f"/api/advice/{entries['draft'].slug}", status=404)
    assert "error" in get(client, "/api/advice/no-such-thing", status=404)
    assert "error" in get(client, "/api/advice/not a slug", status=404)
    assert "error" in get(client, "/api/threads/no-such-thread", status=404)


def test_thread_detail(client, entries):
    thread = entries["thread"]
    body = get(client, f"/api/threads/{thread.slug}")
    assert body["title"] == "Week 7 thread" and body["stage"] == 7
    assert body["stage_label"] == "Week 7"
    assert [r["author"] for r in body["replies"]] == ["Ann", "Bob"]
    ann = body["replies"][0]
    assert ann["anchor"] == f"reply-{ann['id']}"
    assert ann["url"].endswith(f"#reply-{ann['id']}")
    assert ann["claims"] == [
        {"remedy": "relax-shoulders", "location": "upper-back", "stance": "helped"}
    ]
    assert [a["title"] for a in body["advice"]] == ["Relax your shoulders"]


def test_hidden_threads_are_a_json_404(client):
    hidden = make_thread("Hidden", is_hidden=True)
    assert "error" in get(client, f"/api/threads/{hidden.slug}", status=404)


def test_only_get_is_allowed(client, entries):
    response = client.post("/api/advice", {})
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
    assert "error" in json.loads(response.content)
    assert client.head("/api/advice").status_code == 200


def test_responses_are_publicly_cacheable(client, entries):
    assert "max-age=60" in client.get("/api/advice")["Cache-Control"]
