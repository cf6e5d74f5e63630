"""Find taxonomy terms and red-flag phrases in text, to suggest tags editors confirm.

Phrases are plain words: case does not matter, a final word may take a plural "s"
or "es", and a trailing "*" matches any ending ("sneez*" finds sneezed, sneezing).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")

DID_NOT_HELP = re.compile(
    r"\b(?:did ?n[o']?t help|does ?n[o']?t help|did ?n[o']?t work|no help|"
    r"made (?:it|things) worse|no difference|did nothing)\b",
    re.IGNORECASE,
)
HELPED = re.compile(
    r"\b(?:(?:has|have|had|it|they|both|really|definitely|also) helped|helped (?:me|a lot|loads)|"
    r"worked for me|sorted (?:it|me)|cured|good as new|(?:have ?n[o']?t|had ?n[o']?t|no) "
    r"(?:had )?any problems since|pain was gone|was gone|fixed it|eased (?:it|off))\b",
    re.IGNORECASE,
)


def phrase_pattern(phrase: str) -> str:
    words = phrase.replace("’", "'").split()
    parts = []
    for i, word in enumerate(words):
        last = i == len(words) - 1
        if word.endswith("*"):
            parts.append(re.escape(word[:-1]) + r"\w*")
        else:
            part = re.escape(word).replace("'", "['’]?")
            parts.append(part + ("(?:s|es)?" if last and word[-1:].isalpha() else ""))
    # A hyphen glues words into another one: "back-stroke" is no back.
    return r"(?<![\w-])" + r"[\s\-]+".join(parts) + r"(?![\w]|-\w)"


class PhraseMatcher:
    """All phrases of many keys compiled into one alternation, longest phrase first."""

    def __init__(self, phrases_by_key: Mapping[Hashable, Iterable[str]]) -> None:
        pairs = [(key, p.strip()) for key, ps in phrases_by_key.items() for p in ps if p.strip()]
        pairs.sort(key=lambda pair: -len(pair[1]))
        self._keys = [key for key, _ in pairs]
        alternatives = (f"(?P<g{i}>{phrase_pattern(p)})" for i, (_, p) in enumerate(pairs))
        self._regex = re.compile("|".join(alternatives), re.IGNORECASE) if pairs else None

    def spans(self, text: str) -> list[tuple[Hashable, int, int]]:
        if self._regex is None:
            return []
        return [
            (self._keys[int(m.lastgroup[1:])], m.start(), m.end())
            for m in self._regex.finditer(text)
        ]

    def find(self, text: str) -> set[Hashable]:
        return {key for key, _, _ in self.spans(text)}


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


def guess_stance(sentence: str) -> str:
    """A first guess for editors: recommends unless the sentence says how it went."""
    if DID_NOT_HELP.search(sentence):
        return "did_not_help"
    if HELPED.search(sentence):
        return "helped"
    return "recommends"


@dataclass(frozen=True)
class Claim:
    remedy: Hashable
    stance: str
    quote: str


def claims_in(text: str, remedies: PhraseMatcher) -> list[Claim]:
    """One claim per remedy a reply mentions, quoting the first sentence that names it."""
    seen: dict[Hashable, Claim] = {}
    for sentence in sentences(text):
        for remedy in remedies.find(sentence):
            if remedy not in seen:
                seen[remedy] = Claim(remedy, guess_stance(sentence), sentence[:500])
    return list(seen.values())


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
