"""Facet counts for the advice filters: each option counted under the other filters."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, QuerySet

from kbapp.models import Evidence, Remedy
from kbapp.selectors.advice import AdviceLocation, AdviceRemedy, AdviceSource
from kbapp.taxonomy import Taxonomy


def _without(filterset, *names: str):
    """The same FilterSet minus some of its filters: the base of a disjunctive facet."""
    data = filterset.data.copy()
    for name in names:
        data.pop(name, None)
    other = type(filterset)(data, queryset=filterset.queryset, taxonomy=filterset.taxonomy)
    return other.qs.order_by().values("pk")


def advice_facets(filterset) -> dict[str, dict[str, int]]:
    """Entries per option of each filter, counted under all the *other* filters: three queries.

    A location counts the entries tagged with it or anything under it.
    """
    taxonomy: Taxonomy = filterset.taxonomy
    chosen = filterset.form.cleaned_data
    by_location: dict[str, set[int]] = defaultdict(set)
    pairs = AdviceLocation.objects.filter(adviceentry_id__in=_without(filterset, "location"))
    for entry_id, location_id in pairs.values_list("adviceentry_id", "painlocation_id"):
        location = taxonomy.location_by_id(location_id)
        for place in (location, *taxonomy.ancestors(location)):
            by_location[place.slug].add(entry_id)

    remedies: dict[int, set[Remedy]] = defaultdict(set)
    pairs = AdviceRemedy.objects.filter(
        adviceentry_id__in=_without(filterset, "remedy", "category")
    )
    for entry_id, remedy_id in pairs.values_list("adviceentry_id", "remedy_id"):
        remedies[entry_id].add(taxonomy.remedy_by_id(remedy_id))

    stages = (
        AdviceSource.objects.filter(
            adviceentry_id__in=_without(filterset, "stage"),
            reply__thread__is_hidden=False,
            reply__thread__stage__isnull=False,
        )
        .values("reply__thread__stage")
        .annotate(n=Count("adviceentry_id", distinct=True))
        .values_list("reply__thread__stage", "n")
    )
    return {
        "location": {slug: len(ids) for slug, ids in by_location.items()},
        **_remedy_facets(remedies.values(), chosen.get("remedy"), chosen.get("category")),
        "stage": {str(stage): n for stage, n in stages},
    }


def _remedy_facets(
    entries: Iterable[set[Remedy]], remedy: str | None, category: str | None
) -> dict[str, dict[str, int]]:
    """Remedy counts under the chosen category and category counts under the chosen remedy."""
    by_remedy: dict[str, int] = defaultdict(int)
    by_category: dict[str, int] = defaultdict(int)
    for tagged in entries:
        categories = {r.category for r in tagged}
        if not category or category in categories:
            for r in tagged:
                by_remedy[r.slug] += 1
        if not remedy or remedy in {r.slug for r in tagged}:
            for c in categories:
                by_category[c] += 1
    return {"remedy": dict(by_remedy), "category": dict(by_category)}


def answer_facets(filterset) -> dict[str, dict[str, int]]:
    """Answers (replies) per option of each filter, under all the *other* filters: four
    queries. A location counts the replies with a claim about it or anything under it."""
    taxonomy: Taxonomy = filterset.taxonomy

    def claims(name: str) -> QuerySet[Evidence]:
        return Evidence.objects.filter(pk__in=_without(filterset, name)).order_by()

    by_location: dict[str, set[int]] = defaultdict(set)
    for reply_id, location_id in claims("location").values_list("reply_id", "location_id"):
        location = taxonomy.location_by_id(location_id)
        for place in (location, *taxonomy.ancestors(location)):
            by_location[place.slug].add(reply_id)
    counted = {"remedy": "remedy__slug", "stance": "stance", "stage": "reply__thread__stage"}
    facets = {"location": {slug: len(ids) for slug, ids in by_location.items()}}
    for name, column in counted.items():
        rows = claims(name).exclude(**{f"{column}__isnull": True}).values(column)
        rows = rows.annotate(n=Count("reply_id", distinct=True)).values_list(column, "n")
        facets[name] = {str(key): n for key, n in rows}
    return facets
