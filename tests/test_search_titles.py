"""A query that is a thread's title ranks that thread in the top three, on both databases,
even against long threads that repeat the same words elsewhere."""

from __future__ import annotations

import pytest

from kbapp.search import get_backend
from tests.factories import make_thread

pytestmark = pytest.mark.django_db

TITLES = [
    "Lower back pain",
    "Sore knees after hills",
    "Tight calves in the morning",
    "Pain between my shoulder blades",
    "Shin splints on week 3",
]
CHATTER = (
    "My upper back hurts and the pain goes down, sometimes to the lower ribs. Back pain, "
    "shoulder pain, knee pain after hills, calves tight, shins sore, blades aching. "
)


@pytest.fixture
def threads():
    # Long threads that say every title's words many times, but never as their title.
    for n in range(6):
        make_thread(
            f"Upper back worries {n}",
            CHATTER * 4,
            [(f"runner{n}{r}", CHATTER * 3) for r in range(4)],
        )
    return {title: make_thread(title, "It started last week.", [("Ann", "Rest a bit.")])
            for title in TITLES}  # fmt: skip


@pytest.mark.parametrize("title", TITLES)
def test_a_title_phrase_ranks_its_thread_in_the_top_three(threads, title):
    hits = [hit.thread.pk for hit in get_backend().search(title.lower()).hits]
    assert threads[title].pk in hits[:3], title


def test_lower_back_pain_puts_the_lower_back_thread_first(threads):
    hits = get_backend().search("lower back pain").hits
    assert hits[0].thread.title == "Lower back pain"
