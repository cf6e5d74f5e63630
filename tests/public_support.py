"""Fixtures and data builders shared by the public site's tests."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable
from html import unescape
from pathlib import Path

import pytest
from django.apps import apps

from kbapp.models import Evidence, Reply, Stage, TagStatus
from tests.factories import make_advice, make_evidence, make_thread

# The data migrations' functions that build the taxonomy.
TAXONOMY_STEPS = ("load_taxonomy", "mark_emergencies")

# The public site's browser tests: a real browser, and the taxonomy again after each flush
# (a module using these imports the taxonomy fixture too).
BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.usefixtures("taxonomy"),
    pytest.mark.django_db(transaction=True),
]
# A phone and a laptop: the sizes a public journey is walked at.
SIZES = [(390, 844), (1280, 800)]


def sized_shots(
    page, artifacts_dir: Path, name: str, size: tuple[int, int]
) -> Callable[[str], None]:
    """The page at this size, and a shot(step) that leaves <name>-<w>x<h>-<step>.png."""
    page.set_viewport_size({"width": size[0], "height": size[1]})

    def shot(step: str) -> None:
        path = artifacts_dir / f"{name}-{size[0]}x{size[1]}-{step}.png"
        page.screenshot(path=path, full_page=True)

    return shot


# A spread of places and remedies, so filters and facets have something to tell apart.
PLACES = ["upper-back", "between-the-shoulder-blades", "lower-back", "shoulders", "knees"]
REMEDIES = ["relax-shoulders", "core-strength", "yoga", "swimming", "rest"]
STANCES = [Evidence.Stance.HELPED, Evidence.Stance.RECOMMENDS, Evidence.Stance.DID_NOT_HELP]


@pytest.fixture
def taxonomy():
    """The taxonomy, for transactional tests: the flush after each of them removes it.

    Loaded by the data migrations' own functions, in migration order, so it is the same as
    in production (found by name, so renumbered migrations still count).
    """
    import kbapp.migrations

    for module in sorted(m.name for m in pkgutil.iter_modules(kbapp.migrations.__path__)):
        migration = importlib.import_module(f"kbapp.migrations.{module}")
        for step in TAXONOMY_STEPS:
            if hasattr(migration, step):
                getattr(migration, step)(apps, None)


def build_archive(threads: int = 40, replies: int = 5, entries: int = 12) -> list:
    """Many threads, each reply with confirmed evidence, and advice citing them.

    Enough rows that an N+1 query would show up many times over in a budget test.
    """
    made = []
    for n in range(threads):
        place, remedy = PLACES[n % len(PLACES)], REMEDIES[n % len(REMEDIES)]
        thread = make_thread(
            f"Thread {n} about {place}",
            f"Question {n}: my {place} hurts after long runs.",
            [
                (f"runner{(n + i) % 17}", f"Reply {i} to thread {n}: {remedy} helped.")
                for i in range(replies)
            ],
            locations=[place],
            remedies=[remedy],
            stage=Stage.values[n % len(Stage.values)],
        )
        for i, reply in enumerate(thread.replies.all()):
            make_evidence(reply, remedy, place, stance=STANCES[(n + i) % len(STANCES)])
        made.append(thread)
    cited = list(Reply.objects.order_by("pk")[: entries * 3])
    for n in range(entries):
        make_advice(
            f"Advice entry {n}",
            locations=[PLACES[n % len(PLACES)], "back"],
            remedies=[REMEDIES[n % len(REMEDIES)], "stretching"],
            sources=cited[n * 3 : n * 3 + 3],
        )
    return made


def suggested(reply: Reply, remedy: str, place: str) -> Evidence:
    """Evidence the importer suggested and no editor confirmed: never public."""
    return make_evidence(reply, remedy, place, status=TagStatus.SUGGESTED)


INLINE_TAG = re.compile(r"</?(a|span|strong|em|b|i|code)\b[^>]*>")


def words(html: str) -> str:
    """The visible words of some HTML: inline tags dropped, others a space."""
    html = re.sub(r"<(script|style|title)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", INLINE_TAG.sub("", html))
    return " ".join(unescape(html).split())


def page_text(response) -> str:
    return words(response.content.decode())


def section(response, heading_id: str) -> str:
    """The HTML of the <section> labelled by a heading id."""
    html = response.content.decode()
    match = re.search(rf'<section[^>]*aria-labelledby="{heading_id}".*?</section>', html, re.S)
    assert match, f"no section labelled {heading_id}"
    return match.group(0)
