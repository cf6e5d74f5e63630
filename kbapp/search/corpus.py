"""A synthetic but realistic corpus for the search benchmark.

Threads are written from the taxonomy (where it hurts, what people tried, in the words of
its synonyms) and from sentences of the demo seed threads, so word frequencies look like
a runners' forum: "pain", "run" and "back" everywhere, "plantar fasciitis" or "sneeze"
rarely. Thread number i of seed s is always the same thread, keyed ``corpus:s:i``, so
generating again with the same seed creates nothing new.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.utils.text import slugify

from kbapp.models import PainLocation, Remedy, TagStatus
from kbapp.search.query import STOPWORDS, words_of
from kbapp.taxonomy import Taxonomy

SEEDS_DIR = Path(__file__).resolve().parent.parent / "demo" / "seeds"
START = datetime(2019, 1, 1, tzinfo=UTC)
SENTENCE = re.compile(r"(?<=[.!?])\s+")
# How often each place comes up: backs and legs far more than ankles.
PLACE_WEIGHTS = {
    "upper-back": 9, "between-the-shoulder-blades": 6, "lower-back": 9, "back": 6,
    "shoulders": 6, "neck": 4, "mid-back": 3, "shins": 9, "knees": 10, "calves": 7,
    "hamstrings": 4, "hips": 5, "glutes": 3, "achilles": 3, "ankles": 3, "feet": 3,
    "heels-and-arches": 4, "side-stitch": 4,
}  # fmt: skip
TITLES = [
    "{Place} pain after long runs",
    "W{week}R{run} done but my {place} hurts",
    "{Place} aching - help!",
    "Anyone else get {place} pain?",
    "Sore {place} since week {week}",
    "{Place} trouble on longer runs",
    "Is {place} pain normal for new runners?",
    "{Symptom} - {place}",
]
SYMPTOMS = [
    "it aches the day after a run",
    "a sharp pain whenever my foot lands",
    "it feels tight first thing in the morning",
    "a dull ache that builds after twenty minutes",
    "it hurts going down stairs",
    "a burning feeling halfway through the run",
    "it twinges when I speed up",
    "it is stiff for the first mile and then eases",
    "it only hurts when I sneeze or cough",
    "a throbbing pain in the evening",
]
ASKS = [
    "Has anyone had the same and what helped?",
    "Should I rest or keep going with the plan?",
    "Any tips before my next run?",
    "Is this something to see a physio about?",
    "How long did it take to settle for you?",
]
ADVICE = [
    "Have you tried {remedy}? It helped my {place} a lot.",
    "{Remedy} sorted my {place} out within a couple of weeks.",
    "I had the same in week {week} and {remedy} made the difference.",
    "Try {remedy}, and take it easy until the {place} settles.",
    "For me {remedy} did not help much, but rest did.",
    "My physio suggested {remedy} for the {place}.",
    "{Remedy} every other day, and slow down on the runs.",
]
# Most replies say no remedy at all: sympathy, questions back, the runner's own story.
CHATTER = [
    "Hope it eases soon, keep us posted.",
    "How long have you been running for?",
    "Same here, it drove me mad in week {week}.",
    "Don't push through it, the plan will still be there.",
    "Well done on getting this far though!",
    "Is it worse on the longer runs or all the time?",
    "Sorry to hear that, I know how frustrating it is.",
]
ADVICE_SHARE = 0.45
# Words of the taxonomy's terms that any runner's sentence may hold without being about it.
GENERIC_WORDS = STOPWORDS | {"pain", "run", "running", "time", "week", "day", "days", "good", "new"}
TYPOS = {"shoulder": "sholder", "plantar": "planter", "calves": "calfs", "stretches": "streches"}
NAMES = ["runner", "jogger", "c25k", "parkrunner", "graduate", "plodder", "newbie"]


def demo_sentences(topic_words: set[str], seeds_dir: Path = SEEDS_DIR) -> list[str]:
    """Runner-written sentences from the seed threads that name no place and no remedy.

    The seeds are all about backs; used as they are, every generated knee thread would
    mention a back. Places and remedies come from the templates, chatter from the seeds.
    """
    sentences = []
    for path in sorted(seeds_dir.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            for sentence in SENTENCE.split(line.strip().lstrip("• ")):
                if not 5 <= len(sentence.split()) <= 40 or "http" in sentence:
                    continue
                if not set(words_of(sentence)) & topic_words:
                    sentences.append(sentence)
    return sentences or ["It is getting better slowly."]


@dataclass
class Vocabulary:
    places: list[tuple[PainLocation, list[str]]]
    weights: list[int]
    remedies: list[tuple[Remedy, list[str]]]
    sentences: list[str]

    @classmethod
    def load(cls) -> Vocabulary:
        taxonomy = Taxonomy()
        places = [(loc, loc.terms) for loc in taxonomy.locations]
        weights = [PLACE_WEIGHTS.get(loc.slug, 2) for loc, _ in places]
        remedies = [(rem, rem.terms) for rem in taxonomy.remedies]
        named = [terms for _, terms in places + remedies]
        topic = {w for terms in named for t in terms for w in words_of(t)} - GENERIC_WORDS
        return cls(places, weights, remedies, demo_sentences(topic))


@dataclass
class FakeThread:
    key: str
    title: str
    body: str
    stage: int | None
    posted_at: datetime
    author: str
    replies: list[tuple[str, str]]
    places: list[tuple[int, str]] = field(default_factory=list)
    remedies: list[tuple[int, str]] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return f"{slugify(self.title)[:60].strip('-') or 'thread'}-{self.key.replace(':', '-')}"

    @property
    def content_hash(self) -> str:
        text = "\n".join([self.title, self.body, *(body for _, body in self.replies)])
        return hashlib.sha256(text.encode()).hexdigest()


def term(rng: random.Random, terms: list[str]) -> str:
    """The entry's own name half the time, else one of its synonyms, in lower case."""
    text = terms[0] if rng.random() < 0.5 else rng.choice(terms)
    return text.lower()


def maybe_typo(rng: random.Random, text: str) -> str:
    for right, wrong in TYPOS.items():
        if right in text and rng.random() < 0.05:
            return text.replace(right, wrong, 1)
    return text


def fill(template: str, **words: str) -> str:
    capitalised = {k.capitalize(): v[:1].upper() + v[1:] for k, v in words.items()}
    return template.format(**words, **capitalised)


def make_thread(vocab: Vocabulary, seed: int, number: int, replies: int) -> FakeThread:
    """Thread number of seed: the same text every time it is asked for."""
    rng = random.Random(f"{seed}:{number}")
    (place, place_terms), *more = rng.choices(vocab.places, vocab.weights, k=2)
    week, run = rng.randint(1, 9), rng.randint(1, 3)
    words = {"place": term(rng, place_terms), "week": str(week), "run": str(run)}
    title = fill(rng.choice(TITLES), symptom=rng.choice(SYMPTOMS), **words)
    body = " ".join(
        [
            fill("My {place} is the problem: {symptom}.", symptom=rng.choice(SYMPTOMS), **words),
            *rng.sample(vocab.sentences, rng.randint(1, 3)),
            rng.choice(ASKS),
        ]
    )
    thread = FakeThread(
        key=f"corpus:{seed}:{number}",
        title=maybe_typo(rng, title)[:300],
        body=maybe_typo(rng, body),
        stage=rng.choice([None, None, week, week, week, 10]),
        posted_at=START + timedelta(minutes=rng.randint(0, 60 * 24 * 365 * 6)),
        author=f"{rng.choice(NAMES)}{rng.randint(1, 9999)}",
        replies=[],
        places=[(place.pk, TagStatus.CONFIRMED if rng.random() < 0.7 else TagStatus.SUGGESTED)],
    )
    if rng.random() < 0.3 and more[0][0].pk != place.pk:
        thread.places.append((more[0][0].pk, TagStatus.SUGGESTED))
    add_replies(rng, vocab, thread, words, rng.randint(max(1, replies // 2), replies * 3 // 2))
    return thread


def add_replies(rng, vocab: Vocabulary, thread: FakeThread, words: dict, count: int) -> None:
    tagged: set[int] = set()
    for _ in range(count):
        author = f"{rng.choice(NAMES)}{rng.randint(1, 9999)}"
        extra = rng.sample(vocab.sentences, rng.randint(0, 2))
        if rng.random() >= ADVICE_SHARE:
            said = fill(rng.choice(CHATTER), **words)
            thread.replies.append((author, maybe_typo(rng, " ".join([said, *extra]))))
            continue
        remedy, remedy_terms = rng.choice(vocab.remedies)
        advice = fill(rng.choice(ADVICE), remedy=term(rng, remedy_terms), **words)
        thread.replies.append((author, maybe_typo(rng, " ".join([advice, *extra]))))
        if remedy.pk not in tagged and rng.random() < 0.5:
            tagged.add(remedy.pk)
            status = TagStatus.CONFIRMED if rng.random() < 0.5 else TagStatus.SUGGESTED
            thread.remedies.append((remedy.pk, status))


def generate(
    vocab: Vocabulary, seed: int, numbers: Iterable[int], replies: int
) -> Iterator[FakeThread]:
    for number in numbers:
        yield make_thread(vocab, seed, number, replies)
