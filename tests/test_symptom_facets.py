"""The symptom page's facet counts, counted from the place's tags, agree with the filters:
each option's count is the number of threads the page would list with that option chosen."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from kbapp.filters import ThreadFilter
from kbapp.models import Remedy, Stage, Thread
from kbapp.search.facets import facet_counts
from kbapp.search.sql import within_places
from kbapp.taxonomy import Taxonomy
from kbapp.views.public.symptoms import FACET_NAMES

pytestmark = pytest.mark.django_db


def listed(taxonomy: Taxonomy, data: dict) -> int:
    threads = ThreadFilter(data, queryset=Thread.objects.visible(), taxonomy=taxonomy)
    assert threads.is_valid(), threads.errors
    return threads.qs.count()


def expected(taxonomy: Taxonomy, place: str, chosen: dict) -> dict[str, dict[str, int]]:
    """Every option of every facet, counted by listing the threads it would show."""
    base = {"location": place, **chosen}
    options = {
        "stage": ([str(s) for s in Stage.values], ["stage"]),
        "remedy": ([r.slug for r in taxonomy.remedies], ["remedy", "category"]),
        "category": (Remedy.Category.values, ["category"]),
    }
    counts = {}
    for facet, (values, dropped) in options.items():
        other = {k: v for k, v in base.items() if k not in dropped}
        found = {value: listed(taxonomy, {**other, facet: value}) for value in values}
        counts[facet] = {value: n for value, n in found.items() if n}
    return counts


@pytest.mark.parametrize(
    "chosen",
    [{}, {"stage": "3"}, {"remedy": "foam-rolling"}, {"category": "strength"}, {"stage": "9"}],
)
def test_symptom_facets_count_what_each_option_would_list(chosen):
    call_command("generate_corpus", "--threads", "150", "--seed", "11", stdout=io.StringIO())
    Thread.objects.filter(pk__in=Thread.objects.order_by("pk")[:10]).update(is_hidden=True)
    taxonomy = Taxonomy()
    for place in ("back", "upper-back", "knees"):
        threads = ThreadFilter(
            {"location": place, **chosen}, queryset=Thread.objects.visible(), taxonomy=taxonomy
        )
        assert threads.is_valid()
        filters = threads.search_filters()
        counts = facet_counts(
            within_places(filters.location_ids),
            filters.without("location"),
            taxonomy,
            only=FACET_NAMES,
        )
        want = expected(taxonomy, place, chosen)
        assert {k: counts[k] for k in ("stage", "remedy", "category")} == want, place
        if place == "back" and not chosen:
            assert want["stage"] and want["remedy"] and want["category"]
