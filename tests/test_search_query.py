"""Query understanding on strings alone: parsing, synonyms, typos, and the search log."""

from __future__ import annotations

import pytest

from kbapp.search.hits import highlight
from kbapp.search.log import normalise_query
from kbapp.search.query import (
    MAX_CLAUSES,
    Term,
    Thesaurus,
    build,
    correctable,
    key_of,
    parse,
    suggest,
    term_variants,
)
from kbapp.search.spelling import allowed_typos, best_correction, distance

THESAURUS = Thesaurus.from_terms(
    [
        ("Between the shoulder blades", ["Between the shoulder blades", "shoulder blade",
                                         "scapula"]),
        ("Upper back", ["Upper back", "thoracic"]),
        ("Strength & Flex", ["Strength & Flex", "S&F", "Strength and Flex"]),
        ("Sports bra", ["Sports bra", "run bra"]),
    ]
)  # fmt: skip


def words(terms: list[Term]) -> list[tuple]:
    return [(t.words, t.negated, t.quoted) for t in terms]


class TestParse:
    def test_words_lose_stop_words_and_case(self):
        assert words(parse("It HURTS when I sneeze")) == [
            (("hurts",), False, False),
            (("sneeze",), False, False),
        ]

    def test_quotes_keep_a_phrase_with_its_stop_words(self):
        assert words(parse('"pain on breathing" back')) == [
            (("pain", "on", "breathing"), False, True),
            (("back",), False, False),
        ]

    def test_a_leading_minus_excludes_and_an_inner_one_joins(self):
        assert words(parse('knee -shoes cat-cow -"new shoes" -cat-cow')) == [
            (("knee",), False, False),
            (("shoes",), True, False),
            (("cat",), False, False),
            (("cow",), False, False),
            (("new", "shoes"), True, True),
            (("cat", "cow"), True, False),
        ]

    @pytest.mark.parametrize(
        "text", ["NEAR(back, 2)", "back* OR title:pain", '"', "-", "(((", "\x00", "ǅ 日本"]
    )
    def test_syntax_is_only_a_separator(self, text):
        for term in parse(text):
            assert all(word.isalnum() for word in term.words)

    def test_an_unclosed_quote_runs_to_the_end(self):
        assert words(parse('back "shoulder blade')) == [
            (("back",), False, False),
            (("shoulder", "blade"), False, True),
        ]

    def test_a_long_paste_is_cut(self):
        query = build(parse("knee " * 5000 + "zebra"), THESAURUS, {})
        assert len(query.clauses) == MAX_CLAUSES
        assert all(c.alternatives == (("knee",),) for c in query.clauses)


class TestSynonyms:
    def test_terms_match_whatever_their_plural_or_stop_words(self):
        assert key_of(["between", "the", "shoulder", "blades"]) == ("shoulder", "blade")
        assert key_of(["calves"]) == key_of(["calf"]) == ("calf",)

    def test_and_and_ampersand_are_variants_of_one_term(self):
        assert term_variants("S&F") == [("s", "f"), ("s", "and", "f")]
        assert term_variants("Strength & Flex") == [
            ("strength", "flex"),
            ("strength", "and", "flex"),
        ]

    @pytest.mark.parametrize("typed", ["scapula", "shoulder blades", "between the shoulder blade"])
    def test_any_term_brings_all_the_others(self, typed):
        (clause,) = build(parse(typed), THESAURUS, {}).clauses
        assert {
            ("scapula",),
            ("shoulder", "blade"),
            ("between", "the", "shoulder", "blades"),
        } <= set(clause.alternatives)

    def test_strength_and_flex_three_ways(self):
        for typed in ["S&F", "strength & flex", "Strength and Flex"]:
            (clause,) = build(parse(typed), THESAURUS, {}).clauses
            assert ("s", "f") in clause.alternatives
            assert ("strength", "and", "flex") in clause.alternatives

    def test_typed_words_of_a_term_may_also_be_apart(self):
        (clause,) = build(parse("run bra"), THESAURUS, {}).clauses
        assert clause.all_of == ("run", "bra")
        assert clause.literal.all_of == ("run", "bra") and not clause.literal.alternatives

    def test_the_literal_query_is_what_was_typed(self):
        query = build(parse("thoracic pain"), THESAURUS, {})
        assert [c.alternatives for c in query.literal.clauses] == [(("thoracic",),), (("pain",),)]
        assert build(parse("knee xylophone"), THESAURUS, {}).literal is None

    def test_quoted_phrases_are_not_expanded(self):
        (clause,) = build(parse('"scapula"'), THESAURUS, {}).clauses
        assert clause.alternatives == (("scapula",),)

    def test_calf_and_calves_find_each_other(self):
        (clause,) = build(parse("calf"), THESAURUS, {}).clauses
        assert clause.alternatives == (("calf",), ("calves",))


class TestTypos:
    def test_distance_counts_a_swap_as_one(self):
        assert distance("sholder", "shoulder", 2) == 1
        assert distance("hamstirng", "hamstring", 2) == 1
        assert distance("planter", "plantar", 2) == 1
        assert distance("knee", "elbow", 2) == 3  # stops counting past the limit

    def test_short_words_tolerate_fewer_typos(self):
        assert [allowed_typos(w) for w in ["run", "knee", "ankle", "shoulder"]] == [0, 1, 1, 2]

    def test_the_closest_then_the_most_common_candidate_wins(self):
        candidates = [("shoulders", 40), ("shoulder", 12), ("solder", 3), ("holder", 500)]
        assert best_correction("sholder", candidates) == "shoulder"
        assert best_correction("shouldr", [("shoulder", 1), ("shoulders", 9)]) == "shoulder"
        assert best_correction("xyzzy", candidates) is None

    def test_only_plain_long_non_taxonomy_words_are_checked(self):
        terms = parse('sholder -kne "plantr" scapula run 2k')
        assert correctable(terms, THESAURUS) == ["sholder"]

    def test_the_suggestion_is_what_was_typed_with_corrections(self):
        text = 'Sholder  blade -knee "run bra" SHOLDER-pain'
        query = build(parse(text), THESAURUS, {"sholder": "shoulder"}, text)
        assert query.suggestion == 'shoulder blade -knee "run bra" shoulder-pain'
        assert ("shoulder", "blade") in query.clauses[0].alternatives
        assert build(parse("shoulder"), THESAURUS, {}, "shoulder").suggestion is None

    def test_only_whole_words_are_corrected(self):
        assert suggest("kne knee kneel", {"kne": "knee"}) == "knee knee kneel"


class TestSnippetsAndLog:
    def test_highlight_escapes_then_marks(self):
        assert highlight("a <b> \x02knee\x03 & x") == "a &lt;b&gt; <mark>knee</mark> &amp; x"

    def test_stray_marks_cannot_leave_a_mark_open(self):
        assert highlight("\x02open") == "<mark>open</mark>"
        assert highlight("close\x03 \x03") == "close<mark> </mark>"

    @pytest.mark.parametrize(
        ("typed", "kept"),
        [
            ("  Knee   PAIN\n", "knee pain"),
            ("mail me at a.b@example.org", "mail me at [email]"),
            ("call +44 7700 900123 now", "call [number] now"),
            ("week 7 run 1 5k", "week 7 run 1 5k"),
            ("\x00\x1b", ""),
        ],
    )
    def test_the_log_keeps_the_words_not_the_person(self, typed, kept):
        assert normalise_query(typed) == kept
