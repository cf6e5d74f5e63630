"""What every /api/ URL promises (docs/api.md, Conventions): JSON, GET and HEAD only."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from tests.factories import make_advice, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls():
    entry, thread = make_advice("Relax"), make_thread("Knees")
    return [
        "/api/search?q=knees",
        "/api/advice",
        f"/api/advice/{entry.slug}",
        f"/api/threads/{thread.slug}",
        "/api/nothing-here",
        "/api/advice/",
    ]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writing_methods_are_a_json_405_even_with_csrf_checks(urls, method):
    client = Client(enforce_csrf_checks=True)
    for url in urls:
        response = getattr(client, method)(url, data="{}", content_type="application/json")
        assert response.status_code == 405, url
        assert response["Allow"] == "GET, HEAD"
        assert response["Content-Type"] == "application/json"
        assert method.upper() in response.json()["error"]


@pytest.mark.parametrize("debug", [False, True])
def test_unknown_api_urls_are_a_json_404_with_debug_on_too(client, debug):
    with override_settings(DEBUG=debug):
        for url in ["/api/", "/api/nothing", "/api/advice/a/b", "/api/search/"]:
            response = client.get(url)
            assert response.status_code == 404, url
            assert response["Content-Type"] == "application/json"
            assert "No API endpoint" in response.json()["error"]


def test_head_on_an_unknown_url_is_a_404(client):
    assert client.head("/api/nothing").status_code == 404


@pytest.mark.parametrize(
    "url", ["/api/search?q=knee&page=5", "/api/advice?page=5", "/advice/?page=5",
            "/search/?q=knee&page=5", "/answers/?page=5"],
)  # fmt: skip
def test_a_page_past_the_end_reads_the_same_everywhere(client, url):
    make_thread("Knee", "Sore knee.")
    make_advice("Relax")
    response = client.get(url)
    body = response.content.decode()
    assert "There is no page 5: these results fit on 1 page." in body, url
