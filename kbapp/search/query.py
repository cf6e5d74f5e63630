"""What a runner typed, turned into clauses that both backends compile the same way.

Pure Python, no database, so the rules are tested on strings. A query is a list of
clauses that must all match (or, relaxed, any of them), each clause a set of
alternatives (a word, a phrase, the synonyms of a taxonomy term), and exclusions.
Only letters and digits ever reach the database: quotes, ``*``, ``:``, ``NEAR(`` and
the like are separators here, so no string can break FTS5 or tsquery syntax.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from kbapp.importing.stage import GRADUATE, stage_mention

# PostgreSQL's english stop words. SQLite FTS5 has none, so dropping the same words on
# both sides is what keeps the two backends finding the same threads.
# fmt: off
STOPWORDS = frozenset(
    [
        "i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "your", "yours",
        "yourself", "yourselves", "he", "him", "his", "himself", "she", "her", "hers", "herself",
        "it", "its", "itself", "they", "them", "their", "theirs", "themselves", "what", "which",
        "who", "whom", "this", "that", "these", "those", "am", "is", "are", "was", "were", "be",
        "been", "being", "have", "has", "had", "having", "do", "does", "did", "doing", "a", "an",
        "the", "and", "but", "if", "or", "because", "as", "until", "while", "of", "at", "by", "for",
        "with", "about", "against", "between", "into", "through", "during", "before", "after",
        "above", "below", "to", "from", "up", "down", "in", "out", "on", "off", "over", "under",
        "again", "further", "then", "once", "here", "there", "when", "where", "why", "how", "all",
        "any", "both", "each", "few", "more", "most", "other", "some", "such", "no", "nor", "not",
        "only", "own", "same", "so", "than", "too", "very", "s", "t", "can", "will", "just", "don",
        "should", "now",
    ]
)
# fmt: on

# Irregular forms the stemmers leave apart: Porter (FTS5) and Snowball (PostgreSQL) both
# stem "calves" to "calv" but "calf" to "calf", and "feet" is not "foot" to either.
LEMMA_GROUPS = (("calf", "calves"), ("foot", "feet"), ("ache", "achy", "aching"))
LEMMAS: dict[str, tuple[str, ...]] = {
    word: tuple(other for other in group if other != word)
    for group in LEMMA_GROUPS
    for word in group
}
LEMMA_BASE = {word: group[0] for group in LEMMA_GROUPS for word in group}

# Runners' everyday pain words mean one thing: typing any of them finds the others, ranked
# below the word as typed ("tight" finds "tight calves" first, then "sore calves").
# fmt: off
PAIN_WORDS = (
    "pain", "painful", "ache", "aching", "achy", "sore", "soreness", "tight", "tightness",
    "twinge", "stiff", "stiffness", "hurts", "hurt", "hurting",
)
# fmt: on
PAIN_FAMILY = frozenset(PAIN_WORDS)

MAX_CHARS = 1000  # a pasted essay is searched by its beginning
MAX_CLAUSES = 12
MAX_EXCLUSIONS = 6
MAX_WORD_CHARS = 40
MAX_ALTERNATIVES = 16

WORD = re.compile(r"[^\W_]+")
TOKEN = re.compile(r'(?P<neg>-)?(?:"(?P<phrase>[^"]*)"?|(?P<run>[^\s"]+))')

Phrase = tuple[str, ...]


def normalise(word: str) -> str:
    return unicodedata.normalize("NFKC", word).casefold()[:MAX_WORD_CHARS]


def words_of(text: str) -> list[str]:
    return [normalise(w) for w in WORD.findall(unicodedata.normalize("NFKC", text))]


def key_word(word: str) -> str:
    """A rough singular, only for matching typed words to taxonomy terms."""
    if word in LEMMA_BASE:
        return LEMMA_BASE[word]
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def key_of(words: Iterable[str]) -> Phrase:
    return tuple(key_word(w) for w in words if w not in STOPWORDS)


@dataclass(frozen=True)
class Term:
    """One thing typed: a word, a "quoted phrase", or an -exclusion."""

    words: Phrase
    negated: bool = False
    quoted: bool = False


def parse(text: str) -> list[Term]:
    """Split a query into terms; stop words go, except inside quotes."""
    terms: list[Term] = []
    for match in TOKEN.finditer(text[:MAX_CHARS]):
        negated = bool(match["neg"])
        quoted = match["phrase"] is not None
        words = words_of(match["phrase"] if quoted else match["run"])
        if not words or all(w in STOPWORDS for w in words):
            continue
        if quoted or (negated and len(words) > 1):
            terms.append(Term(tuple(words), negated=negated, quoted=quoted))
        else:
            terms.extend(Term((w,), negated=negated) for w in words if w not in STOPWORDS)
    return terms


@dataclass(frozen=True)
class Clause:
    """What a thread must contain: one of the phrases, or else every word of all_of.

    all_of keeps several typed words that also name a taxonomy term findable when they
    are not next to each other: "run bra" finds "a good run bra" and "after the run I
    bought a bra", and also "sports bra".
    """

    alternatives: tuple[Phrase, ...]
    all_of: Phrase = ()
    label: str = ""

    @classmethod
    def of(cls, alternatives: Iterable[Phrase], all_of: Phrase = (), label: str = "") -> Clause:
        unique = list(dict.fromkeys(a for a in alternatives if a))
        return cls(tuple(unique[:MAX_ALTERNATIVES]), all_of if len(all_of) > 1 else (), label)

    @property
    def literal(self) -> Clause:
        """The clause as typed: its words anywhere, or its first phrase."""
        return Clause((), self.all_of) if self.all_of else Clause(self.alternatives[:1])

    @property
    def words(self) -> list[Phrase]:
        """Each phrase, and each word of all_of on its own: what a snippet highlights."""
        return [*self.alternatives, *((w,) for w in self.all_of)]


@dataclass(frozen=True)
class StageHint:
    """A Couch to 5K stage named in the query ("w5", "W5R3", "week 5", "graduate").

    It ranks, never narrows: threads of that stage come first, then threads that spell it
    (the named run, for "W5R3"), and every thread the other words find still matches. A
    stage alone finds the threads of that stage or spelling it. It is never dropped when a
    query is relaxed.
    """

    stage: int
    clause: Clause


def stage_spellings(stage: int, run: int | None) -> list[Phrase]:
    """How runners write a stage, as the index tokenizes it."""
    if stage == GRADUATE:
        return [("graduate",), ("graduated",), ("graduation",), ("graduates",)]
    week = [(f"w{stage}",), (f"wk{stage}",), (f"week{stage}",), ("week", f"{stage}")]
    week.append(("wk", f"{stage}"))
    if run is None:
        return week
    return [(f"w{stage}r{run}",), ("week", f"{stage}", "run", f"{run}"), (f"w{stage}", f"r{run}")]


def stage_hint(text: str) -> tuple[StageHint | None, str]:
    """The stage the text names, and the text without it."""
    found = stage_mention(text[:MAX_CHARS])
    if found is None:
        return None, text
    stage, run, start, end = found
    typed = tuple(words_of(text[start:end]))
    clause = Clause.of([typed, *stage_spellings(stage, run)])
    return StageHint(stage, clause), f"{text[:start]} {text[end:]}"


@dataclass(frozen=True)
class Query:
    """Clauses that must all match (any, when relaxed) and clauses that must not."""

    clauses: tuple[Clause, ...]
    exclusions: tuple[Clause, ...] = ()
    suggestion: str | None = None
    stage: StageHint | None = None

    @property
    def is_empty(self) -> bool:
        return not self.clauses and self.stage is None

    @property
    def scored(self) -> Query:
        """The query with the stage's spellings as one more clause: for picking and
        marking the best part of a thread, where only text counts."""
        if self.stage is None:
            return self
        return Query((*self.clauses, self.stage.clause), self.exclusions, self.suggestion)

    @property
    def ranked_by(self) -> Query:
        """What a thread's text score measures: the words, or a stage asked alone."""
        return self if self.clauses else self.scored

    @property
    def can_relax(self) -> bool:
        return len(self.clauses) > 1

    @property
    def literal(self) -> Query | None:
        """The query without synonyms and variants, or None when that is the query itself.

        Threads with the words as typed (typos corrected) rank above threads that only
        have a synonym: "back-stroke swimming" first finds the thread that says so. A
        stage asked alone is literal as typed ("W5R3", not "week 5 run 3").
        """
        if not self.clauses and self.stage is not None:
            return Query((self.stage.clause.literal,))
        literal = tuple(c.literal for c in self.clauses)
        return None if literal == self.clauses else Query(literal)

    def typed_sequence(self) -> list[str]:
        """The words of the clauses as typed, in order, stop words included."""
        return [w for c in self.clauses for phrase in c.literal.words for w in phrase]

    def without(self, drop: set[int]) -> Query:
        kept = tuple(c for i, c in enumerate(self.clauses) if i not in drop)
        return Query(kept, self.exclusions, self.suggestion, self.stage)

    def typed_words(self) -> list[str]:
        """The words of the clauses as typed (typos corrected), without stop words."""
        typed = {w for c in self.clauses for phrase in c.literal.words for w in phrase}
        return sorted(typed - STOPWORDS)

    def phrases(self) -> list[Phrase]:
        """Every positive alternative, for picking and highlighting the best part."""
        return list(dict.fromkeys(a for c in self.clauses for a in c.words))


def term_variants(text: str) -> list[Phrase]:
    """A taxonomy term as phrases; "S&F" and "Strength & Flex" also with "and" spelled out."""
    spaced = text.replace("&", " & ")
    tokens = [t for t in re.split(r"\s+", spaced) if t]
    bare = tuple(w for t in tokens if t != "&" for w in words_of(t))
    spelled = tuple(w for t in tokens for w in (["and"] if t == "&" else words_of(t)))
    return [bare, spelled] if "&" in tokens else [bare]


@dataclass
class Thesaurus:
    """Taxonomy terms by key: typing any term of a location or remedy finds all its terms."""

    concepts: dict[Phrase, list[tuple[str, tuple[Phrase, ...]]]] = field(default_factory=dict)
    words: set[str] = field(default_factory=set)
    longest: int = 0

    @classmethod
    def from_terms(cls, named_terms: Iterable[tuple[str, list[str]]]) -> Thesaurus:
        """named_terms: (label, [name, *synonyms]) for each location and remedy."""
        thesaurus = cls()
        for label, terms in named_terms:
            phrases = tuple(dict.fromkeys(v for t in terms for v in term_variants(t) if v))
            for phrase in phrases:
                thesaurus.add(key_of(phrase), label, phrases)
                thesaurus.words.update(phrase)
        return thesaurus

    def add(self, key: Phrase, label: str, phrases: tuple[Phrase, ...]) -> None:
        if key and (label, phrases) not in self.concepts.setdefault(key, []):
            self.concepts[key].append((label, phrases))
            self.longest = max(self.longest, len(key))

    def match(self, words: list[str], start: int) -> tuple[int, Clause] | None:
        """The longest taxonomy term starting at words[start], as a clause."""
        for length in range(min(self.longest, len(words) - start), 0, -1):
            typed = tuple(words[start : start + length])
            found = self.concepts.get(key_of(typed))
            if found:
                labels = ", ".join(label for label, _ in found)
                alternatives = [typed, *(p for _, phrases in found for p in phrases)]
                return length, Clause.of(alternatives, typed, labels)
        return None


def word_clause(word: str, typed: str) -> Clause:
    """The word, as typed, its irregular forms and, for a pain word, the whole family."""
    family = [w for w in PAIN_WORDS if w != word] if word in PAIN_FAMILY else []
    variants = [*LEMMAS.get(word, ()), *family]
    return Clause.of([(word,), (typed,), *((v,) for v in variants)])


def expand(words: list[str], typed: list[str], thesaurus: Thesaurus) -> list[Clause]:
    """Plain words as clauses, runs of words that name a taxonomy term as one clause each."""
    clauses, i = [], 0
    while i < len(words):
        found = thesaurus.match(words, i)
        if found:
            length, clause = found
            clauses.append(clause)
            i += length
        else:
            clauses.append(word_clause(words[i], typed[i]))
            i += 1
    return clauses


def correctable(terms: list[Term], thesaurus: Thesaurus) -> list[str]:
    """Plain typed words worth checking for typos: alphabetic, long enough, not taxonomy."""
    words = [t.words[0] for t in terms if not t.negated and not t.quoted]
    return list(
        dict.fromkeys(
            w
            for w in words
            if w.isalpha() and len(w) >= 4 and w not in thesaurus.words and w not in PAIN_FAMILY
        )
    )


def suggest(text: str, corrections: Mapping[str, str]) -> str | None:
    """What was typed, with each corrected word put right where it stood."""
    if not corrections:
        return None
    suggestion = " ".join(unicodedata.normalize("NFKC", text[:MAX_CHARS]).split())
    for wrong, right in corrections.items():
        typo = re.compile(rf"(?<![^\W_]){re.escape(wrong)}(?![^\W_])", re.IGNORECASE)
        suggestion = typo.sub(right, suggestion)
    return suggestion


def build(
    terms: list[Term],
    thesaurus: Thesaurus,
    corrections: Mapping[str, str],
    text: str = "",
    stage: StageHint | None = None,
) -> Query:
    """The query to run: corrected words, synonyms expanded, phrases and exclusions as typed."""
    plain = [t.words[0] for t in terms if not t.negated and not t.quoted]
    fixed = [corrections.get(w, w) for w in plain]
    clauses = expand(fixed, plain, thesaurus)
    clauses += [Clause.of([t.words]) for t in terms if t.quoted and not t.negated]
    exclusions = [
        word_clause(t.words[0], t.words[0]) if len(t.words) == 1 else Clause.of([t.words])
        for t in terms
        if t.negated
    ]
    used = {w: fix for w, fix in corrections.items() if w in plain}
    suggestion = suggest(text, used) if text else None
    return Query(
        tuple(clauses[:MAX_CLAUSES]), tuple(exclusions[:MAX_EXCLUSIONS]), suggestion, stage
    )
