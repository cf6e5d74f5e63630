"""SQLite FTS5: external-content tables kept by triggers, bm25 with the PostgreSQL weights,
snippet(), and the fts5vocab vocabulary for typos. Schema: kbapp/search/schema/sqlite.py."""

from __future__ import annotations

from django.db import connection, transaction

from kbapp.search.base import Found, Progress, SearchBackend
from kbapp.search.query import Clause, Phrase, Query
from kbapp.search.schema.sqlite import ADVICE_COPIES, FTS_TABLES
from kbapp.search.sql import Match, fetch, filter_sql, in_list, matching
from kbapp.search.types import SearchFilters

# Title, question, replies: the 1.0 / 0.4 / 0.2 of ts_rank's A / B / C weights.
WEIGHTS = "5.0, 2.0, 1.0"
# An advice entry's title, summary, body and tags, likewise with D's 0.1 for the tags.
ADVICE_WEIGHTS = "5.0, 2.0, 1.0, 0.5"
SNIPPET_TOKENS = 30
PAGE = "kbapp_search_page"  # a temporary FTS5 table of one page's parts, per connection
CANDIDATE_LENGTH = 2  # vocabulary words this much shorter or longer are no typo of it
TITLE_GAP = 3  # words between the typed words of a title that still count as its phrase


def phrase(words: Phrase) -> str:
    """An FTS5 string: quoted, so no word can act as an operator or column filter."""
    return '"' + " ".join(words).replace('"', '""') + '"'


def any_of(alternatives) -> str:
    return "(" + " OR ".join(phrase(p) for p in alternatives) + ")"


def clause_fts(clause: Clause) -> str:
    """One of the phrases, or every word of all_of anywhere."""
    options = [phrase(p) for p in clause.alternatives]
    if clause.all_of:
        options.append("(" + " AND ".join(phrase((w,)) for w in clause.all_of) + ")")
    return "(" + " OR ".join(options) + ")"


def combine(clauses: tuple[Clause, ...], operator: str) -> str:
    return f" {operator} ".join(clause_fts(c) for c in clauses)


def fts_query(query: Query, *, relaxed: bool) -> str:
    text = f"({combine(query.clauses, 'OR' if relaxed else 'AND')})"
    if query.exclusions:
        text = f"{text} NOT ({combine(query.exclusions, 'OR')})"
    return text


FTS = "kbapp_search_fts_thread"
BM25 = f"-bm25({FTS}, {WEIGHTS})"
SPELT = f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s"
STAGED = "SELECT id FROM kbapp_search_meta WHERE stage = %s"


def literal_sql(query: Query, column: str, *, relaxed: bool) -> tuple[str, list]:
    """1 for a thread with the words as typed, not only their synonyms, else 0; plus 2
    for a title with every typed word close together (bm25 alone can put a long thread
    that says "upper back" and "pain" often above the one titled "lower back pain")."""
    exact, params = "1", []
    if query.literal is not None:
        exact, params = f"({column} IN ({SPELT}))", [fts_query(query.literal, relaxed=relaxed)]
    if words := query.typed_sequence():
        near = " ".join(phrase((w,)) for w in words)
        exact, params = (
            f"2 * ({column} IN ({SPELT})) + {exact}",
            [
                f"title : NEAR({near}, {TITLE_GAP})",
                *params,
            ],
        )
    return exact, params


def stage_bonus(query: Query, column: str) -> tuple[str, list]:
    """The stage's threads first (8), then threads that spell it (4: the named run first
    within the week), above the title (2) and the words as typed (1)."""
    spelt = clause_fts(query.stage.clause)
    return f"8 * ({column} IN ({STAGED})) + 4 * ({column} IN ({SPELT}))", [query.stage.stage, spelt]


class SqliteSearchBackend(SearchBackend):
    vendor = "sqlite"

    def match(self, query: Query, *, relaxed: bool) -> Match:
        """The words' matches; a stage only ranks them (a stage alone: stage_match)."""
        if not query.clauses:
            return self.stage_match(query)
        exact, params = literal_sql(query, "rowid", relaxed=relaxed)
        if query.stage is not None:
            bonus, bonus_params = stage_bonus(query, "rowid")
            exact, params = f"{bonus} + {exact}", [*bonus_params, *params]
        where = f"FROM {FTS} WHERE {FTS} MATCH %s"
        sql = f"SELECT rowid AS thread_id, {BM25} AS score, {exact} AS exact {where}"
        text = fts_query(query, relaxed=relaxed)
        return Match(
            sql,
            [*params, text],
            meta="kbapp_search_meta",
            unranked_sql=f"SELECT rowid AS thread_id, 0 AS score, 0 AS exact {where}",
            unranked_params=[text],
        )

    def stage_match(self, query: Query) -> Match:
        """A stage alone: threads of the stage or spelling it. FTS5 cannot OR a MATCH with
        another condition, so the stage's threads come from the meta table."""
        stage, spelt = query.stage.stage, clause_fts(query.stage.clause)
        literal, literal_params = literal_sql(query, "rowid", relaxed=False)
        by_id, by_id_params = literal_sql(query, "id", relaxed=False)
        sql = (
            f"SELECT rowid AS thread_id, {BM25} AS score, "
            f"8 * (rowid IN ({STAGED})) + 4 + {literal} AS exact FROM {FTS} "
            f"WHERE {FTS} MATCH %s UNION ALL SELECT id, 0.0, 8 + {by_id} "
            f"FROM kbapp_search_meta WHERE stage = %s AND id NOT IN ({SPELT})"
        )
        params = [stage, *literal_params, spelt, *by_id_params, stage, spelt]
        return Match(sql, params, meta="kbapp_search_meta")

    def windowed(
        self, query: Query, *, relaxed: bool, filters: SearchFilters, size: int, found: list[int]
    ):
        """The newest `size` matches under the filters, ranked among themselves.

        FTS5 scores every match when asked for the best, but walks its matches in rowid
        order and computes bm25 only for the rows it hands out: in descending order with a
        limit, the work stops at the window (a stage's threads still come from a union
        that is scored in full). The matches counted already are not taken: they are the
        oldest, FTS5 walking them in ascending order."""
        match = self.match(query, relaxed=relaxed)
        where, params = filter_sql(filters)

        def newest(inner: Match) -> str:
            return (
                f"SELECT m.thread_id, m.score, m.exact FROM ({inner.sql}) m "
                f"JOIN kbapp_search_meta t ON t.id = m.thread_id WHERE {where} "
                "ORDER BY m.thread_id DESC LIMIT %s"
            )

        unranked = match.unranked()
        return Match(
            newest(match),
            [*match.params, *params, size],
            visible_only=True,
            meta="kbapp_search_meta",
            unranked_sql=newest(unranked),
            unranked_params=[*unranked.params, *params, size],
        )

    def upto(self, match: Match, filters: SearchFilters, limit: int) -> Found:
        """Counted without ranking first: FTS5 hands out matches in rowid order, so the
        scan's last rowid tells how far it went; then, only when that is all of them, the
        matches ranked (ranking in the same statement lets SQLite start from the threads
        and look each up in the index, out of order and slowly)."""
        sql, params = matching(match.unranked(), filters, "m.thread_id")
        found, scanned = fetch(
            f"SELECT COUNT(*), MAX(thread_id) FROM ({sql} LIMIT %s) x", [*params, limit]
        )[0]
        if not found or found >= limit:
            return Found([], found, scanned or 0)
        sql, params = matching(match, filters, "m.thread_id, m.score")
        return Found(fetch(f"{sql} ORDER BY {match.order}", params), found, scanned)

    def span(self) -> tuple[int, int]:
        # Two subqueries: SQLite reads min() or max() alone off the index, both together
        # only by scanning the table.
        ends = "(SELECT min(id) FROM kbapp_search_meta), (SELECT max(id) FROM kbapp_search_meta)"
        first, last = fetch(f"SELECT {ends}")[0]
        return first or 0, last or 0

    def advice_match(self, query: Query, limit: int) -> list[tuple[int, float]]:
        exact, params = "1", []
        if query.literal is not None:
            exact = (
                "rowid IN (SELECT rowid FROM kbapp_search_fts_advice "
                "WHERE kbapp_search_fts_advice MATCH %s)"
            )
            params.append(fts_query(query.literal, relaxed=False))
        sql = (
            f"SELECT rowid, -bm25(kbapp_search_fts_advice, {ADVICE_WEIGHTS}) AS score "
            "FROM kbapp_search_fts_advice WHERE kbapp_search_fts_advice MATCH %s "
            f"ORDER BY {exact} DESC, score DESC, rowid DESC LIMIT %s"
        )
        return fetch(sql, [fts_query(query, relaxed=False), *params, limit])

    def clause_hits(self, query: Query, thread_ids: list[int]) -> list[tuple[int, int, int]]:
        """Per clause, the page's parts it matches, from a temporary index of just them.

        FTS5 starts a MATCH afresh for every rowid it is held to, about half a millisecond
        each; indexing the page's couple of hundred parts on their own costs less than that.
        """
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{PAGE} USING fts5("
                "body, thread_id UNINDEXED, position UNINDEXED, tokenize='porter unicode61')"
            )
            cursor.execute(f"DELETE FROM temp.{PAGE}")
            cursor.execute(
                f"INSERT INTO temp.{PAGE} (rowid, body, thread_id, position) "
                "SELECT part_id, body, thread_id, position FROM kbapp_search_part "
                f"WHERE thread_id IN ({in_list(thread_ids)})",
                thread_ids,
            )
        one = f"SELECT thread_id, rowid, %s FROM temp.{PAGE} WHERE {PAGE} MATCH %s"
        params = [p for i, clause in enumerate(query.clauses) for p in (i, clause_fts(clause))]
        return fetch(" UNION ALL ".join([one] * len(query.clauses)), params)

    def marked_snippets(self, query: Query, part_ids: list[int]) -> dict[int, tuple[str, int]]:
        """From the page's index that clause_hits just filled."""
        sql = (
            f"SELECT rowid, snippet({PAGE}, 0, char(2), char(3), '…', {SNIPPET_TOKENS}), position "
            f"FROM temp.{PAGE} WHERE {PAGE} MATCH %s AND rowid IN ({in_list(part_ids)})"
        )
        rows = fetch(sql, [any_of(query.phrases()), *part_ids])
        return {part_id: (snippet, position) for part_id, snippet, position in rows}

    def known_words(self, words: list[str]) -> set[str]:
        # Only visible threads count: a word known from a hidden one must not leak.
        one = (
            "SELECT %s WHERE EXISTS (SELECT 1 FROM kbapp_search_fts_thread f "
            "JOIN kbapp_search_meta m ON m.id = f.rowid "
            "WHERE kbapp_search_fts_thread MATCH %s AND m.is_hidden = 0)"
        )
        params = [p for w in words for p in (w, phrase((w,)))]
        return {w for (w,) in fetch(" UNION ALL ".join([one] * len(words)), params)}

    def word_frequencies(self, words: list[str]) -> dict[str, int]:
        sql = (
            "SELECT term, doc FROM kbapp_search_vocabulary "
            f"WHERE term IN ({in_list(words)}) AND doc > 0"
        )
        return dict(fetch(sql, words))

    def spelling_candidates(self, words: list[str]) -> dict[str, list[tuple[str, int]]]:
        """Vocabulary words with the same first letter and about the same length."""
        one = (
            "SELECT %s, term, doc FROM kbapp_search_vocabulary "
            "WHERE term >= %s AND term < %s AND length(term) BETWEEN %s AND %s AND doc > 0"
        )
        params = []
        for w in words:
            first = w[0]
            params += [w, first, chr(ord(first) + 1)]
            params += [len(w) - CANDIDATE_LENGTH, len(w) + CANDIDATE_LENGTH]
        found: dict[str, list[tuple[str, int]]] = {}
        for word, term, doc in fetch(" UNION ALL ".join([one] * len(words)), params):
            found.setdefault(word, []).append((term, doc))
        return found

    def rebuild(self, *, batch_size: int, progress: Progress) -> int:
        """Empty the shadow tables and FTS indexes, refill them in batches of threads."""
        with transaction.atomic(), connection.cursor() as cursor:
            for table in FTS_TABLES:
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('delete-all')")
            cursor.execute("DELETE FROM kbapp_search_document")
            cursor.execute("DELETE FROM kbapp_search_part")
            cursor.execute("DELETE FROM kbapp_search_meta")
            cursor.execute("SELECT id FROM kbapp_thread ORDER BY id")
            ids = [pk for (pk,) in cursor.fetchall()]
            for start in range(0, len(ids), batch_size):
                batch = ids[start : start + batch_size]
                index_threads(cursor, batch[0], batch[-1])
                progress(start + len(batch), len(ids))
            for sql in ADVICE_COPIES:
                cursor.execute(sql)
            for table in FTS_TABLES:
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
        return len(ids)


def index_threads(cursor, first: int, last: int) -> None:
    """Index threads first..last (by id) into empty shadow tables and FTS indexes."""
    span = [first, last]
    cursor.execute(
        "INSERT INTO kbapp_search_meta (id, is_hidden, stage) "
        "SELECT id, is_hidden, stage FROM kbapp_thread WHERE id BETWEEN %s AND %s",
        span,
    )
    cursor.execute(
        "INSERT INTO kbapp_search_part (part_id, thread_id, position, title, body) "
        "SELECT -id, id, 0, title, body FROM kbapp_thread WHERE id BETWEEN %s AND %s "
        "UNION ALL SELECT id, thread_id, position, '', body FROM kbapp_reply "
        "WHERE thread_id BETWEEN %s AND %s",
        span + span,
    )
    cursor.execute(
        "INSERT INTO kbapp_search_document (thread_id, title, body, replies) "
        "SELECT t.id, t.title, t.body, coalesce((SELECT group_concat(p.body, char(10)) FROM "
        "(SELECT body FROM kbapp_search_part WHERE thread_id = t.id AND part_id > 0 "
        "ORDER BY position, part_id) AS p), '') FROM kbapp_thread t WHERE t.id BETWEEN %s AND %s",
        span,
    )
    cursor.execute(
        "INSERT INTO kbapp_search_fts_thread (rowid, title, body, replies) "
        "SELECT thread_id, title, body, replies FROM kbapp_search_document "
        "WHERE thread_id BETWEEN %s AND %s",
        span,
    )
    for table, columns in (
        ("kbapp_search_fts_part", "body"),
        ("kbapp_search_fts_word", "title, body"),
    ):
        cursor.execute(
            f"INSERT INTO {table} (rowid, {columns}) SELECT part_id, {columns} "
            "FROM kbapp_search_part WHERE thread_id BETWEEN %s AND %s",
            span,
        )
