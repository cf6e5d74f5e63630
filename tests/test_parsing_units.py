"""Programme stages, taxonomy matching, JSON Lines and file decoding, on strings."""

import json

import pytest

from kbapp.importing.files import decode, parse_file
from kbapp.importing.jsonl import parse_jsonl
from kbapp.importing.matching import PhraseMatcher, most_specific
from kbapp.importing.stage import GRADUATE, parse_stage
from kbapp.importing.stance import claims_in, guess_stance
from kbapp.importing.types import ParseError


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        ("W7R1 Done! But Upper Back pain bothering me :(", "Sometime in Week 5", (7, 1)),
        ("Week 5 run 3 done", "", (5, 3)),
        ("wk3 shins", "", (3, None)),
        ("Sore knees", "I'm on week 4 now, started in week 2", (4, None)),
        ("Back Pain", "I've finished my C25K now", (GRADUATE, None)),
        ("Back Pain", "running for nearly 2 weeks now", (None, None)),
        ("Knees", "weeks 7, 8 and 9 look scary", (None, None)),
        ("Week5 Run 3 and W6", "", (6, None)),
    ],
)
def test_programme_stage(title, body, expected):
    assert parse_stage(title, body) == expected


def test_phrases_match_whole_words_plurals_and_prefixes():
    matcher = PhraseMatcher({"blade": ["shoulder blade"], "sneeze": ["sneez*"], "knee": ["knee"]})
    assert matcher.find("under my right shoulder blades") == {"blade"}
    assert matcher.find("under my shoulder-blade") == {"blade"}
    assert matcher.find("it hurt when I sneezed") == {"sneeze"}
    assert matcher.find("My KNEES ache") == {"knee"}
    assert matcher.find("kneeling is fine, shoulders too") == set()


def test_hyphenated_compounds_are_not_the_body_part():
    assert PhraseMatcher({"back": ["back"]}).find("back-stroke swimming helped") == set()


def test_apostrophes_are_optional():
    matcher = PhraseMatcher({"rk": ["runner's knee"]})
    assert matcher.find("classic runners knee") == {"rk"}
    assert matcher.find("classic runner’s knee") == {"rk"}


@pytest.mark.parametrize(
    ("sentence", "stance"),
    [
        ("Pain relief pills didn't help.", "did_not_help"),
        ("Pilates and physio have both helped this senior runner.", "helped"),
        ("I think Pilates will help strengthen your core.", "recommends"),
        ("After 4 weeks of adjustments I'm good as new.", "helped"),
    ],
)
def test_stance_guess(sentence, stance):
    assert guess_stance(sentence) == stance


def test_claims_quote_the_sentence_that_names_the_remedy():
    remedies = PhraseMatcher({"pilates": ["pilates"], "core": ["core strength"]})
    claims = claims_in("Hi there. Pilates is great for your back. Core strength too!", remedies)
    assert {(c.remedy, c.quote) for c in claims} == {
        ("pilates", "Pilates is great for your back."),
        ("core", "Core strength too!"),
    }


def test_most_specific_location_wins():
    parents = {"back": None, "upper": "back", "between": "upper", "knees": None}
    assert most_specific({"back", "between", "knees"}, parents) == {"between", "knees"}


def jsonl(*objects) -> str:
    return "\n".join(json.dumps(o) for o in objects) + "\n"


def test_jsonl_threads_and_replies():
    text = jsonl(
        {
            "id": 7,
            "title": "Shin splints",
            "body": "Both shins hurt.",
            "community": "Couch to 5K",
            "url": "https://example.org/t/7",
            "author": "Sam",
            "posted_at": "2024-05-01T09:30:00Z",
            "replies": [{"author": "Jo", "body": "Rest a week.", "in_reply_to": "Sam"}],
        },
        {"title": "Knees", "body": "Ouch."},
    )
    first, second = parse_jsonl(text)
    assert first.external_id == "7"
    assert first.posted_at.isoformat() == "2024-05-01T09:30:00+00:00"
    assert first.replies[0].in_reply_to == "Sam"
    assert second.replies == ()


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_jsonl_keeps_raw_line_separators_inside_strings(separator):
    """json.dumps(ensure_ascii=False) writes them raw: they end no line, only \\n does."""
    thread = {"title": "Knees", "body": f"First{separator}second.", "replies": [{"body": "Ok."}]}
    text = json.dumps(thread, ensure_ascii=False) + "\r\n" + json.dumps(thread | {"id": 2})
    first, second = parse_jsonl(text)
    assert first.body.startswith("First") and first.body.endswith("second.")
    assert second.external_id == "2" and first.replies[0].body == "Ok."


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "line 1: not valid JSON"),
        ("[1, 2]", "line 1: each line must be a JSON object"),
        ('{"body": "x"}', "line 1: missing required field 'title'"),
        ('{"title": "x"}', "line 1: missing required field 'body'"),
        ('{"title": "x", "body": 3}', "line 1: 'body' must be a string"),
        ('{"title": "x", "body": "y", "replies": {}}', "'replies' must be a list"),
        ('{"title": "x", "body": "y", "replies": [{"author": "a"}]}', "reply 1: missing"),
        ('{"title": "x", "body": "y", "posted_at": "yesterday"}', "not an ISO 8601 date"),
        ('{"title": "x", "body": "y", "url": "ftp://x"}', "'url' must start with http"),
        ('{"title": "x", "body": "y", "url": "https://x/' + "a" * 500 + '"}', "longer than 500"),
        ('{"title": "' + "t" * 301 + '", "body": "y"}', "'title' is longer than 300"),
    ],
)
def test_jsonl_errors_name_the_line_and_field(line, message):
    with pytest.raises(ParseError, match=message.replace("(", r"\(").replace("[", r"\[")):
        parse_jsonl(line)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "file is empty"),
        (b"  \n\n ", "file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (b"caf\xe9 au lait", "not valid UTF-8 text \\(byte 0xe9 at offset 3\\)"),
        (bytes(range(1, 9)) * 50, "binary file"),
    ],
)
def test_undecodable_files_are_refused(data, message):
    with pytest.raises(ParseError, match=message):
        decode(data)


def test_utf8_bom_and_utf16_decode():
    assert decode("\ufeffKnee pain".encode()) == "Knee pain"
    assert decode("Knee pain".encode("utf-16")) == "Knee pain"


def test_format_is_sniffed_from_the_name_or_the_content():
    line = jsonl({"title": "Calves", "body": "Tight calves."})
    assert parse_file("dump.jsonl", line.encode())[0].title == "Calves"
    assert parse_file("export", line.encode())[0].title == "Calves"
    assert parse_file("dump.txt", b"Calves\n\nTight calves.\n")[0].body == "Tight calves."
