"""What the phone layout needs from the HTML: folded filters that count, the query once."""

from __future__ import annotations

import re

import pytest

from tests.factories import make_thread

pytestmark = pytest.mark.django_db


def html_of(client, url: str, **params) -> str:
    return client.get(url, params).content.decode()


def test_the_search_page_shows_the_words_once(client):
    make_thread("Knee", "Sore knee.")
    html = html_of(client, "/search/", q="knee niggle")
    assert html.count('value="knee niggle"') == 1
    body = html[html.index("<body") :]
    assert body.count("knee niggle") == 1  # in the search box only
    assert 'id="site-search"' not in html  # the header box would say it again
    assert 'id="site-search"' in html_of(client, "/advice/")


@pytest.mark.parametrize(
    ("url", "params", "chosen"),
    [
        ("/search/", {"q": "knee"}, 0),
        ("/search/", {"q": "knee", "stage": "5", "remedy": "rest"}, 2),
        ("/advice/", {"location": "back"}, 1),
        ("/answers/", {"stance": "helped", "stage": "3"}, 2),
        ("/symptoms/knees/", {"category": "rest"}, 1),
    ],
)
def test_filters_fold_behind_a_button_that_counts_them(client, url, params, chosen):
    html = html_of(client, url, **params)
    summary = re.search(r'<summary class="filters__toggle">(.*?)</summary>', html).group(1)
    assert summary == (f"Filter ({chosen})" if chosen else "Filter")
    assert '<details class="filters__fold">' in html  # folded until opened


def test_filters_with_an_error_are_open(client):
    html = html_of(client, "/advice/", stage="abc")
    assert '<details class="filters__fold" open>' in html


def test_the_favicon(client):
    assert 'rel="icon"' in html_of(client, "/")
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")
