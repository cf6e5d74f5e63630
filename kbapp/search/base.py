"""The search flow both backends share; a subclass per vendor supplies the full-text SQL.

In the shape of Wagtail's database search backends: the backend is picked from
``connection.vendor``, and every backend answers with the same SearchResults. The shared
SQL here is plain enough for both databases: the vendor's part is a subquery giving
``(thread_id, score)`` for every matching thread, and how to pick and mark a snippet.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import replace
from typing import TYPE_CHECKING, NamedTuple

from django.db import connection

from kbapp.search import schema
from kbapp.search.facets import facet_counts
from kbapp.search.hits import build_hits
from kbapp.search.query import STOPWORDS, Query, build, correctable, parse, stage_hint
from kbapp.search.spelling import best_correction
from kbapp.search.sql import BROWSE, THREAD, Match, fetch, in_list, matching
from kbapp.search.types import DEFAULT_PER_PAGE, WINDOW, SearchFilters, SearchResults

if TYPE_CHECKING:
    from kbapp.taxonomy import Taxonomy

MAX_CORRECTIONS = 5
MAX_WEIGHED_WORDS = 24
# Advice candidates before the caller's filters pick the few it shows.
MAX_ADVICE = 20
# A guess of more than this many windows' worth of matches goes to the window at once,
# without counting: a window that comes back short holds every match, so a wrong guess
# costs nothing but the counting it skipped.
BROAD = 1
NO_FILTERS = SearchFilters()
Progress = Callable[[int, int], None]


class Found(NamedTuple):
    """What counting up to a limit found: the matches ranked when that was all of them,
    how many there were (up to the limit), how far the scan went if the backend can tell
    (see estimate), and the ids found when the backend keeps them for the window."""

    rows: list[tuple]
    count: int
    scanned: int = 0
    ids: list[int] = []


def held(query: Query, frequency: dict[str, int]) -> list[int]:
    """Per clause, about how many parts hold it as typed: the unstemmed counts of its words.

    Only the typed words are counted: looking up every synonym costs more than it tells.
    """
    return [
        sum(
            min((frequency.get(w, 0) for w in phrase if w not in STOPWORDS), default=0)
            for phrase in clause.literal.words
        )
        for clause in query.clauses
    ]


def clause_weights(query: Query, frequency: dict[str, int]) -> list[float]:
    """Rarer clauses weigh more: 1 / (1 + how many parts hold any of its alternatives)."""
    return [1 / (1 + n) for n in held(query, frequency)]


def narrower(query: Query, frequency: dict[str, int]) -> Query | None:
    """The query without its least useful clauses: words found nowhere, else the commonest.

    "hip pain on hills" with no thread saying all four finds hips on hills, not every
    thread that says "pain".
    """
    counts = held(query, frequency)
    unheard = {i for i, n in enumerate(counts) if n == 0}
    if not unheard or len(unheard) == len(counts):
        unheard = {max(range(len(counts)), key=counts.__getitem__)}
    rest = query.without(unheard)
    return rest if rest.clauses else None


def best_parts(hits: list[tuple[int, int, int]], weights: list[float]) -> dict[int, int]:
    """Per thread, the part matching the most clauses, rarer clauses counting for more.

    "hurts when I sneeze": the reply that mentions sneezing beats the question that says
    "hurts" twice, because fewer parts mention sneezing. On a tie the question wins.
    """
    scores: dict[tuple[int, int], list[float]] = defaultdict(lambda: [0, 0.0])
    for thread_id, part_id, clause in hits:
        score = scores[(thread_id, part_id)]
        score[0] += 1
        score[1] += weights[clause]
    best: dict[int, tuple] = {}
    for (thread_id, part_id), (covered, weight) in scores.items():
        key = (-covered, -weight, part_id)
        if thread_id not in best or key < best[thread_id]:
            best[thread_id] = key
    return {thread_id: key[2] for thread_id, key in best.items()}


def about(found: int, estimated: float) -> int:
    """An estimate to two significant figures, and never fewer than were found."""
    total = max(found, round(estimated))
    return max(found, round(total, -max(0, len(str(total)) - 2)))


class SearchBackend:
    vendor = ""
    # Matches ranked all together and counted exactly up to this many (SearchResults).
    window = WINDOW

    # --- What each vendor provides -------------------------------------------------------

    def match(self, query: Query, *, relaxed: bool) -> Match:
        raise NotImplementedError

    def clause_hits(self, query: Query, thread_ids: list[int]) -> list[tuple[int, int, int]]:
        """(thread id, part id, clause index) for each clause each part of these threads matches."""
        raise NotImplementedError

    def marked_snippets(self, query: Query, part_ids: list[int]) -> dict[int, tuple[str, int]]:
        """An excerpt of each part around its matches, marked with \\x02 and \\x03."""
        raise NotImplementedError

    def known_words(self, words: list[str]) -> set[str]:
        """The words that find at least one visible thread, stemmed as the index stems them."""
        raise NotImplementedError

    def word_frequencies(self, words: list[str]) -> dict[str, int]:
        """How many parts hold each word, as typed (unstemmed)."""
        raise NotImplementedError

    def surely_known(self, words: list[str]) -> set[str]:
        """Words so common that looking for a visible thread with them would only cost
        time: they are left as typed. Never used for a correction, which is offered only
        once a visible thread is found to hold it (visible_correction)."""
        return set()

    def spelling_candidates(self, words: list[str]) -> dict[str, list[tuple[str, int]]]:
        """Indexed words near each word, with how many parts hold them."""
        raise NotImplementedError

    def advice_match(self, query: Query, limit: int) -> list[tuple[int, float]]:
        """(advice entry id, score) of published entries with every clause, best first."""
        raise NotImplementedError

    def windowed(
        self, query: Query, *, relaxed: bool, filters: SearchFilters, size: int, found: list[int]
    ):
        """The match ranked over a window of at most `size` candidates, filters applied;
        `found`: ids of matches already found under the filters, if any, which the backend
        may take instead of finding more."""
        raise NotImplementedError

    def span(self) -> tuple[int, int]:
        """The first and last position a scan of the index goes through (see estimate)."""
        raise NotImplementedError

    def rebuild(self, *, batch_size: int, progress: Progress) -> int:
        raise NotImplementedError

    def missing_triggers(self) -> list[str]:
        """The index triggers the applied schema version has and this database lacks."""
        return [trigger.name for trigger in schema.inspect(connection).missing_triggers]

    # --- The shared flow -------------------------------------------------------------------

    def search(
        self,
        text: str,
        *,
        filters: SearchFilters = NO_FILTERS,
        page: int = 1,
        per_page: int = DEFAULT_PER_PAGE,
        facets: bool = False,
        taxonomy: Taxonomy | None = None,
    ) -> SearchResults:
        """One page of visible threads matching text and filters, best first."""
        taxonomy = taxonomy or load_taxonomy()
        with self.planned():
            query = self.understand(text or "", taxonomy)
            results = SearchResults(
                text, page=page, per_page=per_page, suggestion=query.suggestion, window=self.window
            )
            if query.is_empty and not filters.active:
                results.searched = False
                return results
            words = query.typed_words()[:MAX_WEIGHED_WORDS]
            frequency = self.word_frequencies(words) if words else {}
            query_typed = query
            rows, query, counted = self.ranked(query, filters, results, frequency)
            if rows or results.page == 1:
                parts = self.snippets(query, rows, frequency)
                results.hits = build_hits(rows, parts, taxonomy)
            if facets:
                few = counted is not BROWSE
                results.facets = facet_counts(counted.unranked(), filters, taxonomy, few=few)
        if results.page == 1:
            results.advice_ids = self.ranked_advice(query_typed, frequency)
        return results

    def ranked_advice(self, query: Query, frequency: dict[str, int]) -> list[tuple[int, float]]:
        """Entries with every clause, else with the useful ones; never "any word", since
        only the best few are shown and a loose match would put a wrong answer first."""
        if not query.clauses:
            return []
        query = replace(query, stage=None)  # advice has no stage: its other words decide
        found = self.advice_match(query, MAX_ADVICE)
        if not found and query.can_relax and (fewer := narrower(query, frequency)):
            found = self.advice_match(fewer, MAX_ADVICE)
        return found

    def planned(self) -> AbstractContextManager:
        """Around one search's queries: room for a backend to steer its planner."""
        return nullcontext()

    def understand(self, text: str, taxonomy: Taxonomy) -> Query:
        """Correct typed words that find nothing, then expand synonyms."""
        stage, rest = stage_hint(text)
        terms, thesaurus = parse(rest), taxonomy.thesaurus
        words = correctable(terms, thesaurus)
        surely = self.surely_known(words) if words else set()
        rest = [w for w in words if w not in surely]
        known = surely | (self.known_words(rest) if rest else set())
        unknown = [w for w in words if w not in known]
        corrections: dict[str, str] = {}
        if unknown:
            unknown = unknown[:MAX_CORRECTIONS]
            candidates = self.spelling_candidates(unknown)
            for word in unknown:
                pool = candidates.get(word, []) + [(w, 1) for w in thesaurus.words]
                if fix := self.visible_correction(word, pool, thesaurus.words):
                    corrections[word] = fix
        return build(terms, thesaurus, corrections, text, stage)

    def visible_correction(self, word: str, pool: list, taxonomy_words: set[str]) -> str | None:
        """The best correction that finds a visible thread: the vocabulary also holds the
        words of hidden threads, which a suggestion must never reveal."""
        while fix := best_correction(word, pool):
            if fix in taxonomy_words or self.known_words([fix]):
                return fix
            pool = [(w, n) for w, n in pool if w != fix]
        return None

    def ranked(self, query: Query, filters: SearchFilters, results: SearchResults, frequency):
        """The page's rows (thread id, score), the query that found them and its match.

        When no thread has every clause, first without the least useful clauses, then
        threads with any of them; results.relaxed says so.
        """
        if query.is_empty:
            rows, results.count = self.page_rows(BROWSE, filters, results)
            return rows, query, BROWSE
        attempts = [(query, False)]
        if query.can_relax:
            fewer = narrower(query, frequency)
            attempts += [(fewer, False)] if fewer else []
            attempts.append((query, True))
        for attempt, any_clause in attempts:
            rows, match = self.window_rows(attempt, any_clause, filters, results)
            if results.count:
                break
        results.relaxed = results.count > 0 and (attempt is not query or any_clause)
        return rows, attempt, match

    def window_rows(self, query: Query, relaxed: bool, filters: SearchFilters, results):
        """Rank at most one more than the window: that many or fewer are all the matches,
        counted exactly and ranked all together, as ever; more, and the count becomes an
        estimate and only a window of candidates is ranked. When the backend can tell
        cheaply that there are more, it goes to the window at once; a window that comes
        back with room to spare holds every match, counted exactly after all."""
        match = self.match(query, relaxed=relaxed)
        guess = self.guess(match, filters)
        offset = (results.page - 1) * results.per_page
        found = Found([], 0)
        if guess <= BROAD * results.window:
            found = self.upto(match, filters, results.window + 1)
            results.count, results.count_exact = found.count, found.count <= results.window
            if results.count_exact:
                return found.rows[offset : offset + results.per_page], match
            results.count = self.estimate(match, filters, found.count, found.scanned)
            if results.out_of_range:
                return [], match
        ranked, chosen = self.rank_window(query, relaxed, filters, results.window, found.ids)
        if len(ranked) <= results.window:
            results.count, results.count_exact = len(ranked), True
        else:
            ranked = ranked[: results.window]
            results.count = max(results.count, about(results.window + 1, guess))
            results.count_exact = False
        if results.out_of_range:
            return [], chosen
        return ranked[offset : offset + results.per_page], chosen

    def upto(self, match: Match, filters: SearchFilters, limit: int) -> Found:
        """How many match, up to `limit`, and when that is all of them, those matches
        ranked. The limit stops the scan, so this costs the same however many more match;
        each backend counts before it ranks, the count being the cheaper half."""
        raise NotImplementedError

    def guess(self, match: Match, filters: SearchFilters) -> float:
        """About how many match, if the backend can tell without reading any; else 0."""
        return 0

    def rank_window(
        self, query: Query, relaxed: bool, filters: SearchFilters, size: int, found: list[int]
    ):
        """The window ranked, with one more candidate than it holds when there are more
        (the caller keeps `size`), and a match of just the window's threads for the facets,
        so that they count the same threads without choosing them again."""
        match = self.windowed(query, relaxed=relaxed, filters=filters, size=size + 1, found=found)
        sql, params = matching(match, filters, "m.thread_id, m.score")
        ranked = fetch(f"{sql} ORDER BY {match.order}", params)
        ids = [thread_id for thread_id, _ in ranked[:size]] or [0]
        chosen = Match(
            f"SELECT id AS thread_id, 0 AS score, 0 AS exact FROM {THREAD} "
            f"WHERE id IN ({in_list(ids)})",
            ids,
            meta=match.meta,
        )
        return ranked, chosen

    def estimate(self, match: Match, filters: SearchFilters, found: int, scanned: int) -> int:
        """About how many match in all: the matches found over the share of the index
        scanned to find them. Matches spread evenly over the index in practice, and the
        number is only ever shown as "about"."""
        first, last = self.span()
        share = max(1, scanned - first + 1) / max(1, last - first + 1)
        return about(found, found / min(1.0, share))

    def page_rows(self, match: Match, filters: SearchFilters, results: SearchResults):
        sql, params = matching(match, filters, "m.thread_id, m.score, COUNT(*) OVER ()")
        sql += f" ORDER BY {match.order} LIMIT %s OFFSET %s"
        offset = (results.page - 1) * results.per_page
        rows = fetch(sql, [*params, results.per_page, offset])
        if rows:
            return [(r[0], r[1]) for r in rows], rows[0][2]
        if results.page == 1:
            return [], 0
        return [], fetch(*matching(match, filters, "COUNT(*)"))[0][0]

    def snippets(
        self, query: Query, rows: list[tuple], frequency: dict[str, int]
    ) -> dict[int, tuple[int, str, int]]:
        """Each thread's best-matching part (question or reply), its marked excerpt and its
        position (0 for the question), which says on which page of the thread it is."""
        if query.is_empty or not rows:
            return {}
        query = query.scored
        hits = self.clause_hits(query, [thread_id for thread_id, _ in rows])
        best = best_parts(hits, clause_weights(query, frequency))
        marked = self.marked_snippets(query, list(best.values()))
        return {t: (part, *marked[part]) for t, part in best.items() if part in marked}


def load_taxonomy() -> Taxonomy:
    """Imported when first needed: kbapp.taxonomy builds on this package's query module."""
    from kbapp.taxonomy import Taxonomy

    return Taxonomy()
