"""The SQL both backends share: a match as a subquery, filters, and running a query."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from django.db import connection

from kbapp.models import Remedy, TagStatus, Thread, ThreadLocation, ThreadRemedy
from kbapp.search.types import SearchFilters

THREAD = Thread._meta.db_table
LOCATION_TAG = ThreadLocation._meta.db_table
REMEDY_TAG = ThreadRemedy._meta.db_table
REMEDY = Remedy._meta.db_table


@dataclass(frozen=True)
class Match:
    """A subquery of (thread_id, score, exact) and how to order what it finds.

    ``exact`` is 1 for threads matching the words as typed, not only their synonyms.
    """

    sql: str
    params: list
    order: str = "m.exact DESC, m.score DESC, m.thread_id DESC"
    materialized: str = ""
    # The match already leaves hidden threads out: without filters, no join is needed.
    visible_only: bool = False
    # Where filters find a thread's is_hidden and stage, as ``t``: the thread table itself,
    # or a narrower copy of those columns that the backend keeps.
    meta: str = THREAD
    # Without the rank: enough for counting, and cheaper.
    unranked_sql: str = ""
    unranked_params: list = field(default_factory=list)
    # The same columns for given threads only, found already: the ids are its last parameter.
    over_sql: str = ""
    over_params: list = field(default_factory=list)

    def unranked(self) -> Match:
        if not self.unranked_sql:
            return self
        return replace(self, sql=self.unranked_sql, params=self.unranked_params)

    def ranked_over(self, ids: list[int]) -> Match:
        return replace(self, sql=self.over_sql, params=[*self.over_params, ids])


BROWSE = Match(
    f"SELECT id AS thread_id, 0.0 AS score, 0 AS exact FROM {THREAD}",
    [],
    "t.posted_at DESC NULLS LAST, t.imported_at DESC, m.thread_id DESC",
)


def within_places(location_ids: Sequence[int]) -> Match:
    """Browsing one place: the match starts from the place's confirmed tags, so what is
    counted over it costs what the place's threads cost, not what every thread costs.
    The match carries the thread's own columns (no meta table to join again): the
    place's visible threads are read from the thread table once, not once a facet (on
    SQLite from the index's narrow copy of the columns: its rows hold no text)."""
    table = "kbapp_search_meta" if connection.vendor == "sqlite" else THREAD
    return replace(
        BROWSE,
        sql=(
            "SELECT t.id AS thread_id, 0.0 AS score, 0 AS exact, t.id, t.stage, t.is_hidden "
            f"FROM {table} t WHERE t.is_hidden = %s AND t.id IN (SELECT thread_id "
            f"FROM {LOCATION_TAG} WHERE status = %s AND location_id IN ({in_list(location_ids)}))"
        ),
        params=[False, TagStatus.CONFIRMED, *location_ids],
        visible_only=True,
        meta="",
    )


def fetch(sql: str, params: Sequence = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.fetchall()


def in_list(values: Sequence) -> str:
    return ", ".join(["%s"] * len(values))


def filter_sql(filters: SearchFilters) -> tuple[str, list]:
    """WHERE conditions on the thread ``t``: visible, and the confirmed tags asked for."""
    conditions, params = ["t.is_hidden = %s"], [False]
    if filters.stage:
        conditions.append("t.stage = %s")
        params.append(filters.stage)
    if filters.location_ids:
        conditions.append(
            f"t.id IN (SELECT thread_id FROM {LOCATION_TAG} WHERE status = %s "
            f"AND location_id IN ({in_list(filters.location_ids)}))"
        )
        params += [TagStatus.CONFIRMED, *filters.location_ids]
    if filters.remedy_id:
        conditions.append(
            f"t.id IN (SELECT thread_id FROM {REMEDY_TAG} WHERE status = %s AND remedy_id = %s)"
        )
        params += [TagStatus.CONFIRMED, filters.remedy_id]
    if filters.category:
        conditions.append(
            f"t.id IN (SELECT tr.thread_id FROM {REMEDY_TAG} tr JOIN {REMEDY} r "
            "ON r.id = tr.remedy_id WHERE tr.status = %s AND r.category = %s)"
        )
        params += [TagStatus.CONFIRMED, filters.category]
    return " AND ".join(conditions), params


def matching(match: Match, filters: SearchFilters, columns: str) -> tuple[str, list]:
    """SELECT columns over the matching visible threads ``t`` (``m.score`` is the rank).

    The match is a materialized CTE on PostgreSQL, so that ranking happens once, on the
    search table alone, and no sort or join above it carries the documents along.
    """
    cte = f"WITH m AS {match.materialized} ({match.sql}) SELECT {columns} FROM m"
    if match.visible_only and not filters.active:
        return cte, list(match.params)
    where, params = filter_sql(filters)
    return f"{cte} JOIN {match.meta} t ON t.id = m.thread_id WHERE {where}", [
        *match.params,
        *params,
    ]
