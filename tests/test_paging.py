"""Page numbers: one strict parser for every page and the API, and never a 500."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kbapp.paging import MAX_PAGE, BadPage, page_number, past_the_end
from tests.factories import make_advice, make_thread

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "raw, number", [(None, 1), ("", 1), ("1", 1), (" 2 ", 2), ("+3", 3), ("007", 7)]
)
def test_whole_numbers_in_ascii_digits_are_pages(raw, number):
    assert page_number(raw) == number


@pytest.mark.parametrize(
    "raw, message",
    [
        ("²", "“²” is not a page number."),
        ("٣", "“٣” is not a page number."),
        ("１", "“１” is not a page number."),
        ("1.5", "“1.5” is not a page number."),
        ("1e3", "“1e3” is not a page number."),
        ("--1", "“--1” is not a page number."),
        ("0", "Page numbers start at 1."),
        ("-1", "Page numbers start at 1."),
        (str(MAX_PAGE + 1), "is past the last page."),
        ("9" * 5000, "is past the last page."),
    ],
)
def test_anything_else_says_why_not(raw, message):
    with pytest.raises(BadPage, match=message.replace(".", r"\.")):
        page_number(raw)


def test_past_the_end_reads_the_same_everywhere():
    assert past_the_end(3, 1) == "There is no page 3: these results fit on 1 page."
    assert past_the_end(3, 2) == "There is no page 3: these results fit on 2 pages."


@pytest.fixture
def site() -> list[str]:
    """Every public page and API endpoint, with something on it."""
    thread = make_thread("Knee pain in week 3", "My knee hurts.", ["Rest helped."])
    entry = make_advice("Rest your knee", locations=["knees"], remedies=["rest"])
    return [
        "/",
        "/advice/",
        f"/advice/{entry.slug}/",
        "/answers/",
        f"/threads/{thread.slug}/",
        "/symptoms/knees/",
        "/search/?q=knee",
        "/api/advice",
        f"/api/advice/{entry.slug}",
        f"/api/threads/{thread.slug}",
        "/api/search?q=knee",
        "/no-such-page/",
    ]


PAGE_VALUES = st.one_of(
    st.text(max_size=12),
    st.text(alphabet=st.characters(categories=["Nd", "No", "Zs", "Pd", "Sm"]), max_size=8),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["²", "٣", "+1", " 1", "1 ", "", "0", "-0", "1" * 400, "\x00"]),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(values=st.lists(PAGE_VALUES, min_size=1, max_size=3))
def test_no_page_parameter_ever_gives_a_500(client, site, values):
    """Unicode digits, signs, spaces, huge values, repeated and empty parameters."""
    query = urlencode([("page", value) for value in values])
    for url in site:
        response = client.get(f"{url}{'&' if '?' in url else '?'}{query}")
        assert response.status_code in {200, 400, 404}, (url, values, response.status_code)
