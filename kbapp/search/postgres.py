"""PostgreSQL full text: a weighted tsvector per thread, websearch_to_tsquery, ts_rank,
ts_headline, and pg_trgm neighbours for typos. Schema: kbapp/search/schema/postgresql.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

from django.db import connection, transaction

from kbapp.search.base import Found, Progress, SearchBackend, about
from kbapp.search.query import Clause, Phrase, Query, StageHint
from kbapp.search.sql import THREAD, Match, fetch, filter_sql, matching
from kbapp.search.types import SearchFilters

CONFIG = "english"
# One excerpt around the best cover of the query, like FTS5's snippet(): about 30 words.
HEADLINE = "StartSel=\x02, StopSel=\x03, MaxWords=30, MinWords=12, ShortWord=2"
NEIGHBOURS = 25
# Parts holding a word as typed beyond which it needs no checking (surely_known).
COMMON_WORD = 1000


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


STAGED = f"s.thread_id = ANY(ARRAY(SELECT id FROM {THREAD} WHERE stage = %s))"


def stage_condition(stage: StageHint) -> tuple[str, list]:
    """A thread of the stage, or one that spells it: what a stage asked alone finds."""
    spelt, params = clause_sql(stage.clause)
    return f"(s.document @@ {spelt} OR {STAGED})", [*params, stage.stage]


def stage_bonus(stage: StageHint) -> tuple[str, list]:
    """The stage's threads first (8), then threads that spell it (4: the named run first
    within the week), above the words as typed (1): a stage ranks, it never narrows."""
    spelt, params = clause_sql(stage.clause)
    return f"8 * ({STAGED})::int + 4 * (s.document @@ {spelt})::int", [stage.stage, *params]


def conditions(query: Query, *, relaxed: bool) -> tuple[str, list]:
    """The WHERE of a match on the search table ``s``: the words, or a stage asked alone."""
    if query.clauses:
        q, params = tsquery(query, relaxed=relaxed)
        return f"s.document @@ {q}", params
    return stage_condition(query.stage)


def ranked_columns(query: Query, *, relaxed: bool) -> tuple[str, list]:
    """thread_id, score (the weighted ts_rank) and exact (the words as typed, a stage)."""
    rank, rank_params = tsquery(query.ranked_by, relaxed=relaxed)
    exact, exact_params = "1", []
    if query.literal is not None:
        literal, exact_params = tsquery(query.literal, relaxed=relaxed)
        exact = f"(s.document @@ {literal})::int"
    if query.stage is not None:
        bonus, bonus_params = stage_bonus(query.stage)
        exact, exact_params = f"{bonus} + {exact}", [*bonus_params, *exact_params]
    columns = f"s.thread_id, ts_rank(s.document, {rank}, 1) AS score, {exact} AS exact"
    return columns, [*rank_params, *exact_params]


def window_sql(tiers: list[tuple[str, list]], filters: SearchFilters, size: int):
    """Up to `size` thread ids, tier by tier: the first tiers' rows come first and a full
    window stops the later tiers before they start. Each tier leaves out the rows of the
    tiers before it (a check on a row already read, not another index scan), so a thread
    counts once and a window of `size` holds `size` threads."""
    join, filter_where, filter_params = "", "", []
    if filters.active:
        condition, filter_params = filter_sql(filters)
        join, filter_where = f"JOIN {THREAD} t ON t.id = s.thread_id", f" AND {condition}"
    selects, all_params = [], []
    for n, (tier, tier_params) in enumerate(tiers):
        earlier = [f" AND ({sql}) IS NOT TRUE" for sql, _ in tiers[:n]]
        earlier_params = [p for _, ps in tiers[:n] for p in ps]
        selects.append(
            f"(SELECT s.thread_id FROM kbapp_search_thread s {join} WHERE {tier}"
            f"{''.join(earlier)} AND NOT s.hidden{filter_where} LIMIT %s)"
        )
        all_params += [*tier_params, *earlier_params, *filter_params, size]
    union = " UNION ALL ".join(selects)
    return f"SELECT thread_id FROM ({union}) c LIMIT %s", [*all_params, size]


@contextmanager
def planner_settings(**settings: str) -> Iterator[None]:
    """Settings for this transaction only; inside someone else's, put back afterwards."""
    nested = connection.in_atomic_block
    names = list(settings)
    with transaction.atomic(), connection.cursor() as cursor:
        columns = ", ".join("current_setting(%s), set_config(%s, %s, true)" for _ in names)
        params = [p for name in names for p in (name, name, settings[name])]
        cursor.execute(f"SELECT {columns}", params)
        previous = cursor.fetchone()[::2]
        yield
        if nested:
            restore = ", ".join("set_config(%s, %s, true)" for _ in names)
            cursor.execute(
                f"SELECT {restore}", [p for pair in zip(names, previous, strict=True) for p in pair]
            )


class PostgresSearchBackend(SearchBackend):
    vendor = "postgresql"

    def match(self, query: Query, *, relaxed: bool) -> Match:
        where, params = conditions(query, relaxed=relaxed)
        ranked, ranked_params = ranked_columns(query, relaxed=relaxed)
        source = f"FROM kbapp_search_thread s WHERE {where} AND NOT s.hidden"
        found = "unnest(%s::bigint[]) AS w(thread_id) JOIN kbapp_search_thread s USING (thread_id)"
        return Match(
            f"SELECT {ranked} {source}",
            [*ranked_params, *params],
            materialized="MATERIALIZED",
            visible_only=True,
            unranked_sql=f"SELECT s.thread_id, 0 AS score, 0 AS exact {source}",
            unranked_params=params,
            over_sql=f"SELECT {ranked} FROM {found}",
            over_params=ranked_params,
        )

    def windowed(
        self, query: Query, *, relaxed: bool, filters: SearchFilters, size: int, found: list[int]
    ):
        """The match ranked over a window of candidates only: threads of the stage asked
        for, then with the typed words up front (the head: title and question), then with
        them anywhere, then the same with synonyms, then any match (the matches `found`
        already, when counting found some: evaluating the whole query through the index
        again would cost as much as the counting did). Each tier stops at `size`, so the
        work does not grow with the number of matches; ts_rank and the typed-word flag then
        run over the window alone."""
        where, params = conditions(query, relaxed=relaxed)
        tiers: list[tuple[str, list]] = []
        if query.literal is not None:
            literal, literal_params = tsquery(query.literal, relaxed=relaxed)
            tiers.append((f"s.head @@ {literal}", literal_params))
            tiers.append((f"s.document @@ {literal}", literal_params))
        if query.clauses:
            head, head_params = tsquery(query, relaxed=relaxed)
            tiers.append((f"s.head @@ {head}", head_params))
        if query.stage is not None:
            tiers.insert(0, (STAGED, [query.stage.stage]))
        # The words found up front or as typed imply the whole match, unless words are
        # excluded or the tier is the stage's: only then do tiers check the match too,
        # on the rows they read ("IS TRUE" keeps the planner from evaluating the whole
        # match through the index and intersecting, which costs what the tier saves).
        if query.exclusions:
            tiers = [(f"{tier} AND ({where}) IS TRUE", [*ps, *params]) for tier, ps in tiers]
        elif query.stage is not None:
            tiers[0] = (f"{STAGED} AND ({where}) IS TRUE", [query.stage.stage, *params])
        tiers.append(("s.thread_id = ANY(%s)", [found]) if found else (where, params))
        candidates, candidate_params = window_sql(tiers, filters, size)
        ranked, ranked_params = ranked_columns(query, relaxed=relaxed)
        joined = f"FROM ({candidates}) w JOIN kbapp_search_thread s ON s.thread_id = w.thread_id"
        return Match(
            f"SELECT {ranked} {joined}",
            [*ranked_params, *candidate_params],
            materialized="MATERIALIZED",
            visible_only=True,
            unranked_sql=f"SELECT w.thread_id, 0 AS score, 0 AS exact FROM ({candidates}) w",
            unranked_params=candidate_params,
        )

    def upto(self, match: Match, filters: SearchFilters, limit: int) -> Found:
        """Counted without ranking first, then, only when that is all of them, the matches
        found ranked by id: evaluating the query through the index is the dear part (the
        posting lists of every synonym), so it is done once, and not at all for ranking
        when there are more than the window holds."""
        sql, params = matching(match.unranked(), filters, "m.thread_id")
        ids = [pk for (pk,) in fetch(f"{sql} LIMIT %s", [*params, limit])]
        if not ids or len(ids) >= limit:
            return Found([], len(ids), ids=ids)
        ranked = match.ranked_over(ids)
        order = match.order.replace("m.", "x.")
        rows = fetch(
            f"SELECT x.thread_id, x.score FROM ({ranked.sql}) x ORDER BY {order}", ranked.params
        )
        return Found(rows, len(ids))

    def guess(self, match: Match, filters: SearchFilters) -> float:
        """The planner's estimate of the matches, from the words' statistics (ANALYZE keeps
        the commonest lexemes and their frequencies): no row is read, about a millisecond."""
        sql, params = matching(match.unranked(), filters, "m.thread_id")
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        return plan[0]["Plan"]["Plan Rows"]

    def estimate(self, match: Match, filters: SearchFilters, found: int, scanned: int) -> int:
        """The planner's: the order a bitmap scan returns rows in says nothing about how
        many there are once updates have moved rows about."""
        return about(found, self.guess(match, filters))

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
        matches it picks a scan that evaluates every document (200 ms instead of 40). And
        no JIT: a plan left with a sequential scan (a small table without a fitting index)
        carries the setting's penalty in its cost, enough to compile it (20 ms) for a
        query that takes a fraction of a millisecond."""
        return planner_settings(enable_seqscan="off", jit="off")

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

    def surely_known(self, words: list[str]) -> set[str]:
        """Words that many parts hold as typed. Looking one up in the GIN index reads its
        whole posting list (10-20 ms for "pain" at 100,000 threads), and the vocabulary's
        counts include hidden threads, so this only ever spares a typed word a correction:
        a word that common is in a visible thread, and if it were not, nothing is shown."""
        frequency = self.word_frequencies(words)
        return {w for w in words if frequency.get(w, 0) >= COMMON_WORD}

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
        # VACUUM as well: the refill updates each word's count batch after batch, and the
        # dead versions left behind mislead the planner (see generate_corpus). It blocks
        # neither reads nor writes, but cannot run inside a caller's transaction.
        vacuum = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            cursor.execute(
                f"{vacuum} kbapp_search_thread, kbapp_search_part, kbapp_search_word, "
                "kbapp_search_advice"
            )
        return len(ids)
