"""The FilterSet and the search SQL mean the same thing by every filter.

ThreadFilter (django-filter, used by the thread lists and to read every search's query
string) and kbapp/search/sql.py's filter_sql (the same filters written in SQL, so a search
can filter inside its own query) are two engines with one meaning. This runs both over a
spread of threads for each value of each filter alone and for every combination of a
representative few, on whichever database the suite runs on, and compares thread ids.
"""

from __future__ import annotations

import itertools

import pytest

from kbapp.filters import STAGE_CHOICES, ThreadFilter
from kbapp.models import Remedy, TagStatus, Thread
from kbapp.search.sql import BROWSE, fetch, matching
from kbapp.taxonomy import Taxonomy
from tests.factories import make_thread

pytestmark = pytest.mark.django_db

PLACES = ["back", "upper-back", "between-the-shoulder-blades", "lower-back", "knees", "shins"]
REMEDIES = ["relax-shoulders", "core-strength", "yoga", "swimming", "rest", "physio"]


@pytest.fixture
def threads() -> list[Thread]:
    """Threads with confirmed and suggested tags, stages, no stage, and hidden ones."""
    made = []
    for n in range(36):
        status = TagStatus.SUGGESTED if n % 7 == 3 else TagStatus.CONFIRMED
        made.append(
            make_thread(
                f"Thread {n}",
                f"Question {n}.",
                locations=[PLACES[n % len(PLACES)], *([PLACES[(n + 2) % 6]] if n % 4 == 0 else [])],
                remedies=[REMEDIES[n % len(REMEDIES)], *([REMEDIES[(n + 3) % 6]] if n % 5 else [])],
                status=status,
                stage=None if n % 9 == 0 else n % 10 + 1,
                is_hidden=n % 11 == 5,
            )
        )
    make_thread("Untagged", "No tags at all.", stage=5)
    return made


def by_filterset(data: dict, taxonomy: Taxonomy) -> tuple[list[int], ThreadFilter]:
    filterset = ThreadFilter(data, queryset=Thread.objects.visible(), taxonomy=taxonomy)
    assert filterset.is_valid(), filterset.errors
    return sorted(filterset.qs.values_list("pk", flat=True)), filterset


def by_search_sql(filterset: ThreadFilter) -> list[int]:
    sql, params = matching(BROWSE, filterset.search_filters(), "m.thread_id")
    return sorted(pk for (pk,) in fetch(sql, params))


def combinations(taxonomy: Taxonomy):
    """Each value of each filter alone, then every combination of a representative few."""
    every = {
        "location": [row.slug for row in taxonomy.locations],
        "remedy": [row.slug for row in taxonomy.remedies],
        "category": [value for value, _ in Remedy.Category.choices],
        "stage": [value for value, _ in STAGE_CHOICES],
    }
    for name, values in every.items():
        for value in values:
            yield {name: value}
    few = {
        "location": ["", "back", "between-the-shoulder-blades", "knees"],
        "remedy": ["", "yoga", "rest"],
        "category": ["", "strength", "rest", "professional"],
        "stage": ["", "2", "5", "10"],
    }
    for values in itertools.product(*few.values()):
        yield {name: value for name, value in zip(few, values, strict=True) if value}


def test_search_sql_and_filterset_agree_on_every_filter(threads):
    taxonomy = Taxonomy()
    compared = nonempty = 0
    for data in combinations(taxonomy):
        expected, filterset = by_filterset(data, taxonomy)
        assert by_search_sql(filterset) == expected, data
        compared += 1
        nonempty += bool(expected)
    # The data must make the comparison mean something: most single filters find threads.
    assert compared > 200 and nonempty > 100


def test_no_filter_means_every_visible_thread(threads):
    expected, filterset = by_filterset({}, Taxonomy())
    assert by_search_sql(filterset) == expected
    assert len(expected) == Thread.objects.filter(is_hidden=False).count() > 30
