"""Facet counts: for each option of each filter, the matching threads under the other filters.

One query whatever the number of matches (for a search on SQLite, one per facet): the
match is computed once, as a materialized CTE, and each facet is a GROUP BY over it. A
location counts the threads tagged with it or with any place under it. The joins are
written as CROSS JOINs with their conditions in WHERE: the same inner joins to
PostgreSQL, and to SQLite an order to keep, so that it starts from the matches rather
than from every tag.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connection

from kbapp.models import Remedy, TagStatus
from kbapp.search.sql import LOCATION_TAG, REMEDY, REMEDY_TAG, Match, fetch, filter_sql
from kbapp.search.types import SearchFilters

if TYPE_CHECKING:
    from kbapp.taxonomy import Taxonomy


@dataclass(frozen=True)
class Matched:
    """Where every branch starts: the matches with their thread's columns as ``t``, and the
    condition that joins the two (nothing to join when the match carries the columns)."""

    source: str
    joined: str

    def __str__(self) -> str:
        return self.source

    @classmethod
    def of(cls, match: Match) -> Matched:
        if match.meta:
            return cls(f"FROM m CROSS JOIN {match.meta} t", "t.id = m.thread_id")
        return cls("FROM m t", "TRUE")


def stage_branch(matched: Matched, filters: SearchFilters) -> tuple[str, list]:
    where, params = filter_sql(filters.without("stage"))
    sql = (
        f"SELECT 'stage', t.stage, COUNT(*) {matched} "
        f"WHERE {matched.joined} AND {where} AND t.stage IS NOT NULL GROUP BY t.stage"
    )
    return sql, params


def remedy_branch(matched: Matched, filters: SearchFilters) -> tuple[str, list]:
    where, params = filter_sql(filters.without("remedy"))
    sql = (
        f"SELECT 'remedy', tr.remedy_id, COUNT(*) {matched} CROSS JOIN {REMEDY_TAG} tr "
        f"WHERE {matched.joined} AND tr.thread_id = t.id AND tr.status = %s AND {where} "
        "GROUP BY tr.remedy_id"
    )
    return sql, [TagStatus.CONFIRMED, *params]


CATEGORIES = Remedy.Category.values


def category_branch(matched: Matched, filters: SearchFilters) -> tuple[str, list]:
    """Keyed by the category's place in CATEGORIES: the other branches' keys are numbers."""
    where, params = filter_sql(filters.without("category"))
    key = "CASE r.category " + "WHEN %s THEN %s " * len(CATEGORIES) + "END"
    sql = (
        f"SELECT 'category', {key}, COUNT(DISTINCT t.id) {matched} "
        f"CROSS JOIN {REMEDY_TAG} tr CROSS JOIN {REMEDY} r WHERE {matched.joined} "
        f"AND tr.thread_id = t.id AND tr.status = %s AND r.id = tr.remedy_id AND {where} "
        "GROUP BY r.category"
    )
    numbered = [p for n, category in enumerate(CATEGORIES) for p in (category, n)]
    return sql, [*numbered, TagStatus.CONFIRMED, *params]


def location_branch(
    matched: Matched, filters: SearchFilters, taxonomy: Taxonomy
) -> tuple[str, list]:
    """Through the tree's closure (each place with itself and everything under it)."""
    pairs = [(loc.pk, pk) for loc in taxonomy.locations for pk in taxonomy.descendant_ids(loc)]
    closure = " UNION ALL ".join(["SELECT %s AS ancestor, %s AS place"] * len(pairs))
    where, params = filter_sql(filters.without("location"))
    sql = (
        f"SELECT 'location', c.ancestor, COUNT(DISTINCT t.id) {matched} "
        f"CROSS JOIN {LOCATION_TAG} tl CROSS JOIN ({closure}) c WHERE {matched.joined} "
        f"AND tl.thread_id = t.id AND tl.status = %s AND c.place = tl.location_id "
        f"AND {where} GROUP BY c.ancestor"
    )
    return sql, [*(pk for pair in pairs for pk in pair), TagStatus.CONFIRMED, *params]


FACETS = ("stage", "remedy", "location", "category")


def remedy_pairs(matched: Matched, filters: SearchFilters) -> tuple[str, list]:
    """Each match's confirmed remedies under the filters other than remedy and category,
    once, for both remedy facets: joining the remedy tags once instead of twice was 40 of
    the 110 ms of the largest place's counts at 100,000 threads."""
    where, params = filter_sql(filters.without("remedy"))
    sql = (
        f"SELECT t.id, tr.remedy_id {matched} CROSS JOIN {REMEDY_TAG} tr "
        f"WHERE {matched.joined} AND tr.thread_id = t.id AND tr.status = %s AND {where}"
    )
    return sql, [TagStatus.CONFIRMED, *params]


def paired_branches(remedy_id: int | None) -> dict[str, tuple[str, list]]:
    """The remedy facet over the pairs, and the category facet over the pairs of the threads
    with the chosen remedy (if one is): what remedy_branch and category_branch count."""
    key = "CASE r.category " + "WHEN %s THEN %s " * len(CATEGORIES) + "END"
    numbered = [p for n, category in enumerate(CATEGORIES) for p in (category, n)]
    chosen, chosen_params = "", []
    if remedy_id is not None:
        chosen, chosen_params = (
            "AND mr.id IN (SELECT id FROM mr WHERE remedy_id = %s) ",
            [remedy_id],
        )
    return {
        "remedy": ("SELECT 'remedy', remedy_id, COUNT(*) FROM mr GROUP BY remedy_id", []),
        "category": (
            f"SELECT 'category', {key}, COUNT(DISTINCT mr.id) FROM mr CROSS JOIN {REMEDY} r "
            f"WHERE r.id = mr.remedy_id {chosen}GROUP BY r.category",
            [*numbered, *chosen_params],
        ),
    }


def facet_counts(
    match: Match,
    filters: SearchFilters,
    taxonomy: Taxonomy,
    *,
    few: bool = False,
    only: tuple[str, ...] = FACETS,
) -> dict[str, dict[str, int]]:
    """`few`: the match is a page's worth of threads (a window), not every thread.
    `only`: the facets the page shows; the others are not counted (and come back empty)."""
    matched = Matched.of(match)
    cte, params = f"WITH m AS MATERIALIZED ({match.sql}) ", list(match.params)
    make = {
        "stage": lambda: stage_branch(matched, filters),
        "remedy": lambda: remedy_branch(matched, filters),
        "location": lambda: location_branch(matched, filters, taxonomy),
        "category": lambda: category_branch(matched, filters),
    }
    if {"remedy", "category"} <= set(only):
        pairs, pair_params = remedy_pairs(matched, filters)
        cte, params = cte + f", mr AS MATERIALIZED ({pairs}) ", params + pair_params
        paired = paired_branches(filters.remedy_id)
        make |= {name: (lambda b=branch: b) for name, branch in paired.items()}
    branches = [make[name]() for name in FACETS if name in only]
    if few and connection.vendor == "sqlite":
        # SQLite plans each branch well on its own (1-2 ms over a window) and the union of
        # them badly (40 ms and more); in process, four statements cost no round trips.
        rows = [row for sql, ps in branches for row in fetch(cte + sql, [*params, *ps])]
    else:
        sql = cte + " UNION ALL ".join(b for b, _ in branches)
        rows = fetch(sql, [*params, *(p for _, ps in branches for p in ps)])
    return labelled(rows, taxonomy)


def labelled(rows: list[tuple], taxonomy: Taxonomy) -> dict[str, dict[str, int]]:
    """Rows of (facet, key, count) as counts by each option's slug."""
    slugs = {
        "remedy": {remedy.pk: remedy.slug for remedy in taxonomy.remedies},
        "location": {location.pk: location.slug for location in taxonomy.locations},
        "category": dict(enumerate(CATEGORIES)),
    }
    counts: dict[str, dict[str, int]] = {"location": {}, "remedy": {}, "stage": {}, "category": {}}
    for facet, key, n in rows:
        label = str(key) if facet == "stage" else slugs[facet].get(key)
        if label:
            counts[facet][label] = n
    return counts
