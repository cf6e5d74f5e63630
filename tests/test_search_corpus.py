"""The search tests' corpus: the three demo threads plus distractors, and checks on it.

The demo threads are the seed dumps imported by load_demo, exactly as the site shows
them. Three threads alone make ranking meaningless (every word is in all of them or
none), so threads about knees, shins, calves, heels and more compete with them. One
hidden thread shares their words and must never be found.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from kbapp.models import Thread
from kbapp.services.demo import load_demo
from tests.factories import make_thread

DEMO = {
    "back-pain": "file:back-pain-after-longer-runs.txt",
    "mid-upper": "file:help-mid-to-upper-back-pain.txt",
    "w7r1": "file:w7r1-upper-back-pain.txt",
}

# Each thread written out whole: the search tests must show the words they match on.
DISTRACTORS = {
    "knees": {
        "title": "Knee pain after long runs",
        "body": "My knees ache after anything over 5k, worst going down stairs. "
        "The physio said it is runner's knee.",
        "replies": [
            "Glute bridges and clams sorted my knee pain in a month.",
            "Foam roll your IT band and check how old your shoes are.",
        ],
        "locations": ["knees"],
        "remedies": ["glute-strength", "foam-rolling"],
        "stage": 8,
    },
    "shins": {
        "title": "Shin splints in week 3",
        "body": "Sharp pain along the inside of my shins every time I land. Is this shin splints?",
        "replies": [
            "Classic shin splints: slow down and land lightly.",
            "Get a gait analysis and new shoes, that fixed my shins.",
            "Ice after runs and repeat the week.",
        ],
        "locations": ["shins"],
        "remedies": ["slow-down", "new-shoes-gait", "ice-heat"],
        "stage": 3,
    },
    "calves": {
        "title": "Tight calves every morning",
        "body": "Both calves feel tight and sore the morning after a run.",
        "replies": [
            "Calf raises, and stretching your calves after every run.",
            "Foam rolling the calf muscle helped me a lot.",
        ],
        "locations": ["calves"],
        "remedies": ["stretching", "foam-rolling"],
        "stage": 5,
    },
    "heels": {
        "title": "Heel pain first thing in the morning",
        "body": "Stabbing pain in my heel when I get out of bed. The GP thinks it is plantar "
        "fasciitis.",
        "replies": [
            "Roll a frozen bottle under the arch of your foot.",
            "New insoles and stretches for the calf helped my plantar fasciitis.",
        ],
        "locations": ["heels-and-arches"],
        "remedies": ["new-shoes-gait", "stretching"],
        "stage": 10,
    },
    "lower-back": {
        "title": "Lower back ache after running",
        "body": "My lower back aches after runs, down in the lumbar area.",
        "replies": ["Planks and core work fixed my lower back.", "Pilates twice a week."],
        "locations": ["lower-back"],
        "remedies": ["core-strength", "pilates"],
        "stage": 6,
    },
    "stitch": {
        "title": "Stitch in my side",
        "body": "I get a stitch under my ribs and it hurts to breathe deeply.",
        "replies": [
            "Breathe out as your left foot lands.",
            "Slow down until your breathing settles.",
        ],
        "locations": ["side-stitch"],
        "remedies": ["slow-down"],
        "stage": 2,
    },
    "neck": {
        "title": "Stiff neck after runs",
        "body": "My neck is stiff and sore after every run; I think I tense up.",
        "replies": ["Drop your shoulders and relax your jaw.", "Look ahead, not at your feet."],
        "locations": ["neck"],
        "remedies": ["relax-shoulders", "posture"],
        "stage": 4,
    },
    "hips": {
        "title": "Hip flexor pain on hills",
        "body": "Pain at the front of my hip when running uphill.",
        "replies": ["Stretch your hip flexors after each run.", "Yoga helped my hips."],
        "locations": ["hips"],
        "remedies": ["stretching", "yoga"],
        "stage": 9,
    },
}

HIDDEN = {
    "title": "Scapula sneezing shoulder blade mystery",
    "body": "Hidden by an editor: it hurts under my shoulder blade when I sneeze.",
    "replies": ["This thread is hidden and must never be found by search."],
    "locations": ["between-the-shoulder-blades"],
    "is_hidden": True,
}


def build_corpus() -> dict[str, Thread]:
    """Demo threads by short name, the distractors, and "hidden"."""
    report = load_demo()
    assert not report.failed, report.summary_line()
    threads = {name: Thread.objects.get(source_key=key) for name, key in DEMO.items()}
    for name, spec in DISTRACTORS.items():
        threads[name] = make_thread(**spec)
    threads["hidden"] = make_thread(**HIDDEN)
    return threads


@pytest.fixture(scope="class", name="search_corpus")
def search_corpus_fixture(django_db_setup, django_db_blocker):
    """Built once per test class, in a transaction rolled back after the class.

    Every test of a class that uses it must use it: the threads are there for all of them.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_corpus()
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_demo_threads_carry_the_seed_text(search_corpus):
    """The relevance tests rely on these sentences of the seed dumps."""
    mid_upper = search_corpus["mid-upper"]
    assert "under my right shoulder blade" in mid_upper.body
    assert mid_upper.replies.filter(body__contains="when I sneezed").exists()
    assert search_corpus["w7r1"].replies.filter(body__contains="NHS Strength & Flex").exists()
    assert search_corpus["back-pain"].replies.filter(body__contains="run bra").exists()


@pytest.mark.django_db
def test_the_corpus_has_one_hidden_thread(search_corpus):
    assert [t.pk for t in Thread.objects.filter(is_hidden=True)] == [search_corpus["hidden"].pk]
