"""Find taxonomy terms and red-flag phrases in text, to suggest tags editors confirm.

Phrases are plain words: case does not matter, a final word may take a plural "s"
or "es", and a trailing "*" matches any ending ("sneez*" finds sneezed, sneezing).
Remedies and red flags also match their verb forms ("relaxing my shoulders" is "relax the
shoulders", "iced it" is "ice", "when you breathe in" is "when I breathe").
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

import ahocorasick

SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")

# Words that stand for one another in a phrase: "relax the shoulders" is also "relaxing my
# shoulders", "when I breathe" also "when you breathe in".
DETERMINERS = ("my", "your", "the", "his", "her", "their", "our")
SUBJECTS = ("i", "you", "we", "he", "she", "they")
# Short grammatical words are never inflected ("in" is no "inning").
NOT_INFLECTED = {
    "and", "the", "for", "with", "off", "out", "down", "after", "instead", "when", "what",
    "not", "was", "than", "too", "into", "onto", "from", "over", "under", "of", "to", "in",
    "on", "at", "up", "by", "or", "as", "it", "is", "no",
}  # fmt: skip
WORD_OR_HYPHEN = re.compile(r"[\w-]")


@dataclass(frozen=True)
class WordPattern:
    regex: str
    literals: tuple[str, ...]  # what the word starts with, lower-case, for the automaton


def stem(word: str) -> str:
    """The base form of a gerund: stretching -> stretch, swimming -> swim, icing -> ic."""
    if word.endswith("ing") and len(word) > 5:
        base = word[:-3]
        if base[-1] == base[-2] and base[-1] not in "lsz":
            base = base[:-1]
        return base
    return word


def inflected(word: str) -> WordPattern:
    """A verb or noun in any of its regular forms: relax, relaxes, relaxed, relaxing."""
    base = stem(word.lower())
    if base.endswith("e"):
        base = base[:-1]
    endings = ["e", "s", "es", "ed", "ing", f"{base[-1]}ed", f"{base[-1]}ing"]
    if base.endswith("y") and base[-2:-1] not in set("aeiou"):
        endings += ["ies", "ied"]
    return WordPattern(
        re.escape(base) + "(?:" + "|".join(endings) + ")?", (base,) if len(base) > 1 else ()
    )


def word_pattern(word: str, *, last: bool, inflect: bool) -> WordPattern:
    lower = word.lower()
    if word.endswith("*"):
        return WordPattern(re.escape(word[:-1]) + r"\w*", (lower[:-1],))
    if inflect and lower in DETERMINERS + SUBJECTS:
        group = DETERMINERS if lower in DETERMINERS else SUBJECTS
        return WordPattern("(?:" + "|".join(group) + ")", group)
    if inflect and word.isalpha() and len(word) >= 3 and lower not in NOT_INFLECTED:
        return inflected(word)
    part = re.escape(word).replace("'", "['’]?")
    plural = "(?:s|es)?" if last and word[-1:].isalpha() else ""
    return WordPattern(part + plural, (lower.split("'")[0],))


def phrase_regex(phrase: str, *, inflect: bool = False) -> tuple[str, tuple[str, ...]]:
    """The phrase's pattern, and the literals its first word starts with."""
    words = phrase.replace("’", "'").split()
    parts = [
        word_pattern(w, last=i == len(words) - 1, inflect=inflect) for i, w in enumerate(words)
    ]
    # A hyphen glues words into another one: "back-stroke" is no back.
    regex = r"(?<![\w-])" + r"[\s\-]+".join(p.regex for p in parts) + r"(?![\w]|-\w)"
    return regex, tuple(lit for lit in parts[0].literals if lit)


def folded(text: str) -> str:
    """Lower case with every character where it was (str.lower can lengthen a few)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


class PhraseMatcher:
    """All phrases of many keys in one Aho-Corasick automaton over their first words.

    The automaton finds where a phrase may start in one pass over the text, whatever the size
    of the taxonomy; only there is that phrase's own pattern tried. Where phrases overlap, the
    leftmost wins, then the longest phrase (as one alternation of them all would choose).
    """

    def __init__(
        self, phrases_by_key: Mapping[Hashable, Iterable[str]], *, inflect: bool = False
    ) -> None:
        pairs = [(key, p.strip()) for key, ps in phrases_by_key.items() for p in ps if p.strip()]
        pairs.sort(key=lambda pair: -len(pair[1]))
        self._keys = [key for key, _ in pairs]
        self._patterns = []
        by_literal: dict[str, list[int]] = {}
        for index, (_, phrase) in enumerate(pairs):
            regex, literals = phrase_regex(phrase, inflect=inflect)
            self._patterns.append(re.compile(regex, re.IGNORECASE))
            for literal in literals or ("",):
                by_literal.setdefault(literal, []).append(index)
        self._unanchored = by_literal.pop("", [])  # no literal start: tried everywhere
        self._automaton = ahocorasick.Automaton() if by_literal else None
        for literal, indexes in by_literal.items():
            self._automaton.add_word(literal, (len(literal), tuple(indexes)))
        if self._automaton is not None:
            self._automaton.make_automaton()

    def _candidates(self, text: str) -> list[tuple[int, int, int]]:
        """Every (start, phrase index, end) where a phrase matches, overlaps included."""
        found = []
        if self._automaton is not None:
            for end, (length, indexes) in self._automaton.iter(folded(text)):
                start = end - length + 1
                if start and WORD_OR_HYPHEN.match(text, start - 1):
                    continue  # inside a word: no phrase starts here
                for index in indexes:
                    if m := self._patterns[index].match(text, start):
                        found.append((start, index, m.end()))
        for index in self._unanchored:
            found += [(m.start(), index, m.end()) for m in self._patterns[index].finditer(text)]
        return found

    def spans(self, text: str) -> list[tuple[Hashable, int, int]]:
        """Non-overlapping matches, left to right."""
        chosen, reached = [], 0
        for start, index, end in sorted(set(self._candidates(text))):
            if start >= reached:
                chosen.append((self._keys[index], start, end))
                reached = end
        return chosen

    def find(self, text: str) -> set[Hashable]:
        return {key for key, _, _ in self.spans(text)}

    def find_all(self, text: str) -> set[Hashable]:
        """Every key with a phrase in the text, even where phrases overlap (for red flags)."""
        return {self._keys[index] for _, index, _ in self._candidates(text)}


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


def most_specific(keys: set[Hashable], parents: Mapping[Hashable, Hashable | None]) -> set:
    """Drop a location when one of its descendants was found too ("back" under "upper back")."""
    ancestors = set()
    for key in keys:
        parent = parents.get(key)
        while parent is not None:
            ancestors.add(parent)
            parent = parents.get(parent)
    return keys - ancestors


def whole_sentences(text: str, quote: str) -> str:
    """The quote widened to the sentences it sits in, so an excerpt never starts or ends
    mid-sentence; the quote itself when the text does not contain it."""
    start = text.find(quote) if quote else -1
    if start < 0:
        return quote or text
    before = text[:start]
    opening = max(before.rfind(". "), before.rfind("! "), before.rfind("? "), before.rfind("\n"))
    begin = 0 if opening < 0 else opening + 1
    end = start + len(quote)
    closing = [i for i in (text.find(c, end - 1) for c in ".!?\n") if i >= 0]
    finish = min(closing) + 1 if closing else len(text)
    return text[begin:finish].strip()
