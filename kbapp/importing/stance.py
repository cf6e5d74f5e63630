"""What a reply says about each remedy it names: recommends it, it helped, it did not help.

The stance is read per clause, so "foam rolling did not help, but stretching did" says two
things; a clause that names no remedy ("..., but it did not help") tells about the remedies
of the clause before it.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass

from kbapp.importing.matching import PhraseMatcher, sentences

RECOMMENDS, HELPED, DID_NOT_HELP = "recommends", "helped", "did_not_help"

NEGATIVE = re.compile(
    r"\b(?:(?:did|does|do|has|have|had) ?n[o']?t (?:seem to |really |actually )?(?:help|work)"
    r"|never (?:helped|worked)|no help|(?:was|were) ?n[o']?t (?:any )?(?:help|helpful)"
    r"|made (?:it|things|them|the pain) worse|no difference|did nothing|useless"
    r"|did ?n[o']?t do (?:much|anything)|waste of (?:money|time))\b",
    re.IGNORECASE,
)
POSITIVE = re.compile(
    r"\b(?:helped|works? (?:for me|wonders|a treat)|worked (?:for me|wonders|a treat)"
    r"|sorted (?:it|me)|sorted (?:\w+ ){1,3}out|cured"
    r"|good as new|(?:have ?n[o']?t|had ?n[o']?t|no) (?:had )?any problems since"
    r"|(?:pain|ache|it) (?:was|has) gone|went away|fixed it|eased (?:it|off)|did the trick"
    r"|made a (?:big |huge |real )?difference|game changer)\b",
    re.IGNORECASE,
)
# "..., but stretching did." / "..., but stretching didn't.": the verb stands for "help".
CONTRAST = re.compile(r"^\W*(?:but|however|whereas|though|although)\b", re.IGNORECASE)
ENDS_DID = re.compile(r"\b(?:did|does|do|has|have|had|was|were)$", re.IGNORECASE)
ENDS_DID_NOT = re.compile(
    r"\b(?:did|does|do|has|have|had|was|were) ?(?:n[o']?t|not)$", re.IGNORECASE
)
CLAUSE_BREAK = re.compile(
    r"[;]|,?\s+(?=(?:but|however|although|though|whereas|yet)\b)|,\s+(?=(?:and|so) )",
    re.IGNORECASE,
)


def explicit_stance(clause: str) -> str | None:
    """The stance a clause states, or None when it states none."""
    if NEGATIVE.search(clause):
        return DID_NOT_HELP
    if CONTRAST.match(clause):
        # Bounded slice: the ending is a few words, whatever the clause's length.
        tail = clause[-40:].rstrip(" \t.!?…)")
        if ENDS_DID_NOT.search(tail):
            return DID_NOT_HELP
        if ENDS_DID.search(tail):
            return HELPED
    if POSITIVE.search(clause):
        return HELPED
    return None


def guess_stance(sentence: str) -> str:
    """A first guess for editors: recommends unless the sentence says how it went."""
    return explicit_stance(sentence) or RECOMMENDS


def clauses(sentence: str) -> list[tuple[int, int]]:
    cuts = [0, *(m.end() for m in CLAUSE_BREAK.finditer(sentence)), len(sentence)]
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


def stances(sentence: str, remedies: PhraseMatcher) -> dict[Hashable, str]:
    """Each remedy the sentence names, with the stance of its clause."""
    spans = remedies.spans(sentence)
    parts = []
    for a, b in clauses(sentence):
        keys = [key for key, start, _ in spans if a <= start < b]
        parts.append((keys, explicit_stance(sentence[a:b])))
    found: dict[Hashable, str] = {}
    for i, (keys, stance) in enumerate(parts):
        for later_keys, later in parts[i + 1 :]:
            if stance or later_keys:
                break
            stance = later
        for key in keys:
            found.setdefault(key, stance or RECOMMENDS)
    return found


@dataclass(frozen=True)
class Claim:
    remedy: Hashable
    stance: str
    quote: str


def claims_in(text: str, remedies: PhraseMatcher) -> list[Claim]:
    """One claim per remedy a reply mentions, from the first sentence that names it."""
    seen: dict[Hashable, Claim] = {}
    for sentence in sentences(text):
        for remedy, stance in stances(sentence, remedies).items():
            if remedy not in seen:
                seen[remedy] = Claim(remedy, stance, sentence[:500])
    return list(seen.values())
