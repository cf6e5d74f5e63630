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
    r"|did ?n[o']?t do (?:much|anything)|waste of (?:money|time)"
    r"|(?:pain|ache|it|niggle) (?:came|comes|keeps coming) back)\b",
    re.IGNORECASE,
)
POSITIVE = re.compile(
    r"\b(?:helped|works? (?:for me|wonders|a treat)|worked (?:for me|wonders|a treat)"
    r"|sorted (?:it|me)|sorted (?:\w+ ){1,3}out|cured"
    r"|good as new|(?:have ?n[o']?t|had ?n[o']?t|no) (?:had )?any problems since"
    r"|(?:pain|ache|it) (?:was|has) gone|went away|fixed it|eased (?:it|off)|did the trick"
    r"|made a (?:big |huge |real )?difference|game changer|settled down)\b",
    re.IGNORECASE,
)
# "..., but stretching did." / "..., but stretching didn't.": the verb stands for "help".
CONTRAST = re.compile(r"^\W*(?:but|however|whereas|though|although)\b", re.IGNORECASE)
ENDS_DID = re.compile(r"\b(?:did|does|do|has|have|had|was|were)$", re.IGNORECASE)
ENDS_DID_NOT = re.compile(
    r"\b(?:did|does|do|has|have|had|was|were) ?(?:n[o']?t|not)$", re.IGNORECASE
)
# Names of a remedy that make no claim about it: "on my rest days", "a day off work", "put my
# running shoes on". Each is blanked (same length, so spans stay put) unless the words around
# it act on the remedy: "take more rest days", "I took a day off", "get new running shoes".
PASSING = re.compile(r"\b(?:rest[ -]days?|days? off|running shoes)\b", re.IGNORECASE)
ACTS_ON_REST = re.compile(
    r"\b(?:take|took|taking|takes|need|needed|needs|add|adding|more|extra|enough|two|three"
    r"|couple of|few|\d+)\W+(?:\w+\W+)?(?:an? )?$",
    re.IGNORECASE,
)
ACTS_ON_SHOES = re.compile(
    r"\b(?:new|proper|good|better|fitted|fitting|bought|buy|buying|get|got|changed?|changing"
    r"|replaced?|replacing|different|old|worn|cushioned|gait|helped|help)\b",
    re.IGNORECASE,
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


def acted_on(sentence: str, start: int, end: int) -> bool:
    """Whether the words around a passing name make it a claim about the remedy."""
    if sentence[start:end].lower().endswith("shoes"):
        return bool(ACTS_ON_SHOES.search(sentence[max(0, start - 40) : end + 40]))
    return bool(ACTS_ON_REST.search(sentence[max(0, start - 30) : start]))


def without_passing_mentions(sentence: str) -> str:
    """The sentence with idioms that only mention a remedy blanked out."""
    return PASSING.sub(
        lambda m: m[0] if acted_on(sentence, m.start(), m.end()) else " " * len(m[0]), sentence
    )


def clauses(sentence: str) -> list[tuple[int, int]]:
    cuts = [0, *(m.end() for m in CLAUSE_BREAK.finditer(sentence)), len(sentence)]
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


def stances(sentence: str, remedies: PhraseMatcher) -> dict[Hashable, str]:
    """Each remedy the sentence names, with the stance of its clause."""
    spans = remedies.spans(without_passing_mentions(sentence))
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
