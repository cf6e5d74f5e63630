"""Whatever a runner types, search answers: arbitrary text never raises and never 500s.

Property-based (hypothesis), run on the database of the suite, so once on SQLite and
once on PostgreSQL. Examples mix random Unicode with the pieces of FTS5, tsquery and
websearch syntax most likely to break a naive query builder.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kbapp.search import get_backend
from tests.factories import make_thread

pytestmark = pytest.mark.django_db

SYNTAX = [
    '"', "'", "-", "*", ":", "^", "(", ")", "{", "}", "[", "]", "NEAR(", "NEAR/2", "AND",
    "OR", "NOT", "|", "&", "!", "<->", "<2>", "\\", "%", "%s", ";", "--", "\x00", "\u200b",
    "title:", "body:", "back", "shoulder", "blade", "sholder", "calves", "S&F", "é",
]  # fmt: skip
typed = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(SYNTAX) | st.text(max_size=8), max_size=25).map(" ".join),
    st.lists(st.sampled_from(SYNTAX), max_size=40).map("".join),
)
SETTINGS = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def threads():
    make_thread("Shoulder blade pain", "Under my shoulder blade.", ["Relax your shoulders."])
    make_thread("Tight calves", "Both calves are tight.", ["Stretch them."], stage=4)


@SETTINGS
@given(text=typed, page=st.integers(min_value=1, max_value=3))
def test_the_search_function_never_raises(threads, text, page):
    results = get_backend().search(text, page=page, per_page=1, facets=True)
    assert results.count >= len(results.hits)
    for hit in results.hits:
        assert "<script" not in hit.snippet


@SETTINGS
@given(text=typed, stage=st.sampled_from(["", "4", "11", "x"]), page=st.text(max_size=4))
def test_the_api_never_answers_500(client, threads, text, stage, page):
    response = client.get("/api/search", {"q": text, "stage": stage, "page": page})
    assert response.status_code in (200, 400)
    assert (
        "error" in response.json() if response.status_code == 400 else "results" in response.json()
    )
