"""A search that raises an emergency flag: urgent guidance first and alone at the top, with
no self-care advice directly under it, on the page and in the API."""

from __future__ import annotations

import pytest

from tests.factories import make_advice, make_thread

pytestmark = pytest.mark.django_db
QUERY = "chest pain when running"


@pytest.fixture
def content():
    make_thread("Chest pain when running", "Tight chest and pain when running up hills.")
    urgent = make_advice(
        "Chest pain when running: stop and get help",
        summary="Chest pain or tightness while running needs a doctor today.",
        body="Chest pain when running is never something to run through.",
    )
    calm = make_advice(
        "Stretch gently after your run",
        summary="Runners with chest and upper back pain when running found stretching helped.",
        body="Stretch your chest after running; the pain eased for many.",
    )
    return urgent, calm


def main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def test_the_page_puts_urgent_help_then_advice_about_it_then_the_rest_after_a_break(
    client, content
):
    urgent, calm = content
    html = main(client.get("/search/", {"q": QUERY}).content.decode())
    box = html.index("red-flags--urgent")
    assert box < html.index(urgent.title) < html.index('class="search-results"')
    later = html.index("Once a doctor has ruled out anything urgent")
    assert html.index('class="search-results"') < later < html.index(calm.title)


def test_without_an_emergency_the_advice_comes_first_as_ever(client, content):
    _, calm = content
    html = main(client.get("/search/", {"q": "stretch chest running"}).content.decode())
    assert "red-flags--urgent" not in html
    assert html.index(calm.title) < html.index('class="search-results"')
    assert "Once a doctor has ruled out" not in html


def test_the_api_says_emergency_and_lists_advice_about_it_first(client, content):
    urgent, calm = content
    body = client.get("/api/search", {"q": QUERY}).json()
    assert body["emergency"] is True
    assert any(flag["emergency"] for flag in body["red_flags"])
    assert [a["title"] for a in body["advice"]] == [urgent.title, calm.title]
    assert client.get("/api/search", {"q": "stretch"}).json()["emergency"] is False
