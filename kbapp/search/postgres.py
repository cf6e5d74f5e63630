"""PostgreSQL full text: a weighted tsvector per thread, websearch_to_tsquery, ts_rank,
ts_headline, and pg_trgm neighbours for typos. Schema: kbapp/search/schema/postgresql.py."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

from django.db import connection, transaction

from kbapp.search.base import Progress, SearchBackend
from kbapp.search.query import Clause, Phrase, Query, StageHint
from kbapp.search.sql import THREAD, Match, fetch

CONFIG = "english"
# One excerpt around the best cover of the query, like FTS5's snippet(): about 30 words.
HEADLINE = "StartSel=\x02, StopSel=\x03, MaxWords=30, MinWords=12, ShortWord=2"
NEIGHBOURS = 25


def phrase_sql(phrase: Phrase) -> tuple[str, list]:
    """websearch_to_tsquery never raises, and the words reaching it are letters and digits."""
    text = phrase[0] if len(phrase) == 1 else '"' + " ".join(phrase) + '"'
    return f"websearch_to_tsquery('{CONFIG}', %s)", [text]


def any_of(phrases: list[Phrase]) -> tuple[str, list]:
    parts = [phrase_sql(p) for p in phrases]
    return "(" + " || ".join(sql for sql, _ in parts) + ")", [p for _, ps in parts for p in ps]


def clause_sql(clause: Clause) -> tuple[str, list]:
    """One of the phrases, or (unquoted, so every word anywhere) all_of."""
    parts = [phrase_sql(p) for p in clause.alternatives]
    if clause.all_of:
        parts.append((f"websearch_to_tsquery('{CONFIG}', %s)", [" ".join(clause.all_of)]))
    return "(" + " || ".join(sql for sql, _ in parts) + ")", [p for _, ps in parts for p in ps]


def combine(clauses: tuple[Clause, ...], operator: str) -> tuple[str, list]:
    parts = [clause_sql(c) for c in clauses]
    return f" {operator} ".join(sql for sql, _ in parts), [p for _, ps in parts for p in ps]


def tsquery(query: Query, *, relaxed: bool) -> tuple[str, list]:
    sql, params = combine(query.clauses, "||" if relaxed else "&&")
    if query.exclusions:
        excluded, more = combine(query.exclusions, "||")
        sql, params = f"({sql}) && !!({excluded})", params + more
    return f"({sql})", params


def stage_sql(stage: StageHint) -> tuple[str, str, list]:
    """A thread of the stage, or one that spells it: the condition, its rank bonus (two,
    so it outranks the words as typed, worth one) and the condition's parameters."""
    spelt, params = clause_sql(stage.clause)
    staged = f"s.thread_id = ANY(ARRAY(SELECT id FROM {THREAD} WHERE stage = %s))"
    return f"(s.document @@ {spelt} OR {staged})", f"2 * ({staged})::int", [*params, stage.stage]


@contextmanager
def planner_settings(name: str, value: str) -> Iterator[None]:
    """A setting for this transaction only; inside someone else's, put back afterwards."""
    nested = connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s), set_config(%s, %s, true)", [name, name, value])
        previous = cursor.fetchone()[0]
        yield
        if nested:
            cursor.execute("SELECT set_config(%s, %s, true)", [name, previous])


class PostgresSearchBackend(SearchBackend):
    vendor = "postgresql"

    def match(self, query: Query, *, relaxed: bool) -> Match:
        conditions, params = [], []
        if query.clauses:
            q, params = tsquery(query, relaxed=relaxed)
            conditions.append(f"s.document @@ {q}")
        rank, rank_params = tsquery(query.scored, relaxed=relaxed)
        exact, exact_params = "1", []
        if query.literal is not None:
            literal, exact_params = tsquery(query.literal, relaxed=relaxed)
            exact = f"(s.document @@ {literal})::int"
        if query.stage is not None:
            condition, staged, more = stage_sql(query.stage)
            conditions.append(condition)
            params = [*params, *more]
            exact, exact_params = f"{staged} + {exact}", [query.stage.stage, *exact_params]
        where = f"FROM kbapp_search_thread s WHERE {' AND '.join(conditions)} AND NOT s.hidden"
        score = f"ts_rank(s.document, {rank}, 1)"
        return Match(
            f"SELECT s.thread_id, {score} AS score, {exact} AS exact {where}",
            [*rank_params, *exact_params, *params],
            materialized="MATERIALIZED",
            visible_only=True,
            unranked_sql=f"SELECT s.thread_id, 0 AS score, 0 AS exact {where}",
            unranked_params=params,
        )

    def advice_match(self, query: Query, limit: int) -> list[tuple[int, float]]:
        q, params = tsquery(query, relaxed=False)
        exact, exact_params = "1", []
        if query.literal is not None:
            literal, exact_params = tsquery(query.literal, relaxed=False)
            exact = f"(document @@ {literal})::int"
        sql = (
            f"SELECT advice_id, ts_rank(document, {q}, 1) AS score FROM kbapp_search_advice "
            f"WHERE document @@ {q} ORDER BY {exact} DESC, score DESC, advice_id DESC LIMIT %s"
        )
        return fetch(sql, [*params, *params, *exact_params, limit])

    def planned(self) -> AbstractContextManager:
        """The GIN index, always: the planner prices @@ like an addition, so with many
        matches it picks a scan that evaluates every document (200 ms instead of 40)."""
        return planner_settings("enable_seqscan", "off")

    def clause_hits(self, query: Query, thread_ids: list[int]) -> list[tuple[int, int, int]]:
        q, params = any_of(query.phrases())
        clauses = [clause_sql(c) for c in query.clauses]
        columns = ", ".join(f"p.document @@ {sql}" for sql, _ in clauses)
        sql = (
            f"SELECT p.thread_id, p.part_id, {columns} FROM kbapp_search_part p "
            f"WHERE p.thread_id = ANY(%s) AND p.document @@ {q}"
        )
        clause_params = [p for _, ps in clauses for p in ps]
        rows = fetch(sql, [*clause_params, thread_ids, *params])
        return [(row[0], row[1], i) for row in rows for i, hit in enumerate(row[2:]) if hit]

    def marked_snippets(self, query: Query, part_ids: list[int]) -> dict[int, tuple[str, int]]:
        q, params = any_of(query.phrases())
        sql = f"""
            SELECT ids.part_id, ts_headline('{CONFIG}', coalesce(r.body, t.body, ''), {q}, %s),
                   coalesce(r.position, 0)
            FROM unnest(%s::bigint[]) AS ids(part_id)
            LEFT JOIN kbapp_reply r ON r.id = ids.part_id
            LEFT JOIN kbapp_thread t ON t.id = -ids.part_id
        """
        rows = fetch(sql, [*params, HEADLINE, part_ids])
        return {part_id: (snippet, position) for part_id, snippet, position in rows}

    def known_words(self, words: list[str]) -> set[str]:
        # One EXISTS per word with the word as a constant, so each can use the GIN index.
        # Only visible threads count: a word known from a hidden one must not leak.
        one = (
            "SELECT %s WHERE EXISTS (SELECT 1 FROM kbapp_search_thread "
            f"WHERE document @@ plainto_tsquery('{CONFIG}', %s) AND NOT hidden)"
        )
        params = [p for w in words for p in (w, w)]
        return {w for (w,) in fetch(" UNION ALL ".join([one] * len(words)), params)}

    def word_frequencies(self, words: list[str]) -> dict[str, int]:
        sql = "SELECT word, ndoc FROM kbapp_search_word WHERE word = ANY(%s) AND ndoc > 0"
        return dict(fetch(sql, [words]))

    def spelling_candidates(self, words: list[str]) -> dict[str, list[tuple[str, int]]]:
        sql = """
            SELECT q.w, c.word, c.ndoc FROM unnest(%s::text[]) AS q(w)
            CROSS JOIN LATERAL (
                SELECT word, ndoc FROM kbapp_search_word
                WHERE word %% q.w AND ndoc > 0
                ORDER BY similarity(word, q.w) DESC, ndoc DESC LIMIT %s
            ) c
        """
        found: dict[str, list[tuple[str, int]]] = {}
        for word, candidate, ndoc in fetch(sql, [words, NEIGHBOURS]):
            found.setdefault(word, []).append((candidate, ndoc))
        return found

    def rebuild(self, *, batch_size: int, progress: Progress) -> int:
        """Empty the index and refill it thread by thread, in one transaction."""
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("TRUNCATE kbapp_search_thread, kbapp_search_part, kbapp_search_word")
            cursor.execute("SELECT id FROM kbapp_thread ORDER BY id")
            ids = [pk for (pk,) in cursor.fetchall()]
            for start in range(0, len(ids), batch_size):
                batch = ids[start : start + batch_size]
                cursor.execute("SELECT kbapp_search_index_threads(%s::bigint[])", [batch])
                progress(start + len(batch), len(ids))
            cursor.execute("TRUNCATE kbapp_search_advice")
            cursor.execute(
                "SELECT kbapp_search_refresh_advice(ARRAY(SELECT id FROM kbapp_adviceentry))"
            )
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE kbapp_search_thread, kbapp_search_part, kbapp_search_word, "
                "kbapp_search_advice"
            )
        return len(ids)
