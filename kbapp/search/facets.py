"""Facet counts: for each option of each filter, the matching threads under the other filters.

One query whatever the number of matches: the match is computed once, as a materialized
CTE, and each facet is a GROUP BY over it. A location counts the threads tagged with it
or with any place under it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kbapp.models import Remedy, TagStatus
from kbapp.search.sql import LOCATION_TAG, REMEDY, REMEDY_TAG, Match, fetch, filter_sql
from kbapp.search.types import SearchFilters

if TYPE_CHECKING:
    from kbapp.taxonomy import Taxonomy


def stage_branch(matched: str, filters: SearchFilters) -> tuple[str, list]:
    where, params = filter_sql(filters.without("stage"))
    sql = (
        f"SELECT 'stage', t.stage, COUNT(*) {matched} "
        f"WHERE {where} AND t.stage IS NOT NULL GROUP BY t.stage"
    )
    return sql, params


def remedy_branch(matched: str, filters: SearchFilters) -> tuple[str, list]:
    where, params = filter_sql(filters.without("remedy"))
    sql = (
        f"SELECT 'remedy', tr.remedy_id, COUNT(*) {matched} "
        f"JOIN {REMEDY_TAG} tr ON tr.thread_id = t.id AND tr.status = %s "
        f"WHERE {where} GROUP BY tr.remedy_id"
    )
    return sql, [TagStatus.CONFIRMED, *params]


CATEGORIES = Remedy.Category.values


def category_branch(matched: str, filters: SearchFilters) -> tuple[str, list]:
    """Keyed by the category's place in CATEGORIES: the other branches' keys are numbers."""
    where, params = filter_sql(filters.without("category"))
    key = "CASE r.category " + "WHEN %s THEN %s " * len(CATEGORIES) + "END"
    sql = (
        f"SELECT 'category', {key}, COUNT(DISTINCT t.id) {matched} "
        f"JOIN {REMEDY_TAG} tr ON tr.thread_id = t.id AND tr.status = %s "
        f"JOIN {REMEDY} r ON r.id = tr.remedy_id WHERE {where} GROUP BY r.category"
    )
    numbered = [p for n, category in enumerate(CATEGORIES) for p in (category, n)]
    return sql, [*numbered, TagStatus.CONFIRMED, *params]


def location_branch(matched: str, filters: SearchFilters, taxonomy: Taxonomy) -> tuple[str, list]:
    """Through the tree's closure (each place with itself and everything under it)."""
    pairs = [(loc.pk, pk) for loc in taxonomy.locations for pk in taxonomy.descendant_ids(loc)]
    closure = " UNION ALL ".join(["SELECT %s AS ancestor, %s AS place"] * len(pairs))
    where, params = filter_sql(filters.without("location"))
    sql = (
        f"SELECT 'location', c.ancestor, COUNT(DISTINCT t.id) {matched} "
        f"JOIN {LOCATION_TAG} tl ON tl.thread_id = t.id AND tl.status = %s "
        f"JOIN ({closure}) c ON c.place = tl.location_id WHERE {where} GROUP BY c.ancestor"
    )
    return sql, [TagStatus.CONFIRMED, *(pk for pair in pairs for pk in pair), *params]


def facet_counts(
    match: Match, filters: SearchFilters, taxonomy: Taxonomy
) -> dict[str, dict[str, int]]:
    matched = f"FROM m JOIN {match.meta} t ON t.id = m.thread_id"
    branches = [
        stage_branch(matched, filters),
        remedy_branch(matched, filters),
        location_branch(matched, filters, taxonomy),
        category_branch(matched, filters),
    ]
    sql = f"WITH m AS MATERIALIZED ({match.sql}) " + " UNION ALL ".join(b for b, _ in branches)
    params = [*match.params, *(p for _, ps in branches for p in ps)]
    slugs = {
        "remedy": {remedy.pk: remedy.slug for remedy in taxonomy.remedies},
        "location": {location.pk: location.slug for location in taxonomy.locations},
        "category": dict(enumerate(CATEGORIES)),
    }
    counts: dict[str, dict[str, int]] = {"location": {}, "remedy": {}, "stage": {}, "category": {}}
    for facet, key, n in fetch(sql, params):
        label = str(key) if facet == "stage" else slugs[facet].get(key)
        if label:
            counts[facet][label] = n
    return counts
