"""The demo content: the real seed threads, sample threads written for the demo (so every
place the docs name has something to show, labelled as samples wherever they show), their
confirmed tags and evidence, and advice."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from kbapp.models import (
    AdviceEntry,
    Evidence,
    PainLocation,
    Remedy,
    Reply,
    TagStatus,
    Thread,
    ThreadLocation,
    ThreadRemedy,
)
from kbapp.services.curation import freeze_sources
from kbapp.services.importing import ImportReport, ImportSource, import_files

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo"


def thread_key(name: str) -> str:
    """A demo thread by its seed file's name, or by a sample thread's id."""
    return f"file:{name}" if name.endswith(".txt") else f"id:{name}"


class DemoDataError(Exception):
    """The demo file names something that is not there; a bug in the demo data."""


def find_reply(thread_file: str, contains: str) -> Reply:
    replies = list(
        Reply.objects.filter(thread__source_key=thread_key(thread_file), body__contains=contains)
    )
    if len(replies) != 1:
        raise DemoDataError(f"{len(replies)} replies in {thread_file} contain {contains!r}")
    return replies[0]


def confirm_tags(spec: dict) -> None:
    thread = Thread.objects.get(source_key=thread_key(spec["thread"]))
    for slug in spec["locations"]:
        ThreadLocation.objects.update_or_create(
            thread=thread,
            location=PainLocation.objects.get(slug=slug),
            defaults={"status": TagStatus.CONFIRMED},
        )
    for slug in spec["remedies"]:
        ThreadRemedy.objects.update_or_create(
            thread=thread,
            remedy=Remedy.objects.get(slug=slug),
            defaults={"status": TagStatus.CONFIRMED},
        )


def confirm_evidence(spec: dict) -> None:
    reply = find_reply(spec["thread"], spec["reply_contains"])
    if spec["quote"] not in reply.body:
        raise DemoDataError(f"quote not in its reply: {spec['quote']!r}")
    Evidence.objects.update_or_create(
        reply=reply,
        remedy=Remedy.objects.get(slug=spec["remedy"]),
        location=PainLocation.objects.get(slug=spec["location"]),
        defaults={"stance": spec["stance"], "quote": spec["quote"], "status": TagStatus.CONFIRMED},
    )


def publish_advice(spec: dict) -> None:
    entry, _ = AdviceEntry.objects.update_or_create(
        slug=spec["slug"],
        defaults={
            "title": spec["title"],
            "summary": spec["summary"],
            "body": spec["body"],
            "see_a_professional_if": spec["see_a_professional_if"],
            "review_due": date.fromisoformat(spec["review_due"]),
            "status": AdviceEntry.Status.PUBLISHED,
        },
    )
    if entry.published_at is None:
        entry.published_at = timezone.now()
        entry.save(update_fields=["published_at"])
    entry.locations.set(PainLocation.objects.filter(slug__in=spec["locations"]))
    entry.remedies.set(Remedy.objects.filter(slug__in=spec["remedies"]))
    entry.sources.set([find_reply(s["thread"], s["reply_contains"]) for s in spec["sources"]])
    # Demo advice obeys the publishing rules like any other, and quotes its sources frozen.
    freeze_sources(entry=entry)


def load_demo(*, demo_dir: Path = DEMO_DIR) -> ImportReport:
    """Import the seed dumps and the sample threads, then confirm the demo's tags and evidence
    and publish its advice."""
    files = sorted((demo_dir / "seeds").glob("*.txt")) + sorted(
        (demo_dir / "samples").glob("*.jsonl")
    )
    report = import_files(ImportSource(p.name, p.read_bytes()) for p in files)
    if report.failed:
        return report
    content = json.loads((demo_dir / "demo.json").read_text(encoding="utf-8"))
    with transaction.atomic():
        for spec in content["tags"]:
            confirm_tags(spec)
        for spec in content["evidence"]:
            confirm_evidence(spec)
        for spec in content["advice"]:
            publish_advice(spec)
    return report
