"""Suggested tags from the taxonomy: the importer proposes, editors confirm."""

from __future__ import annotations

from kbapp.importing.stance import claims_in, without_passing_mentions
from kbapp.importing.types import ParsedThread
from kbapp.models import (
    Evidence,
    TagStatus,
    Thread,
    ThreadLocation,
    ThreadRemedy,
)
from kbapp.taxonomy import Taxonomy

BATCH = 2000


def suggested_evidence(thread: Thread, parsed: ParsedThread, taxonomy: Taxonomy) -> list:
    """A claim per remedy a reply names, for the place its sentence (or else the question) names."""
    question_locations = taxonomy.locations_in(f"{parsed.title}\n{parsed.body}")
    evidence = []
    for reply in thread.replies.all():
        for claim in claims_in(reply.body, taxonomy.remedy_matcher):
            where = taxonomy.locations_in(claim.quote) or question_locations
            evidence += [
                Evidence(
                    reply=reply,
                    remedy_id=claim.remedy,
                    location_id=location,
                    stance=claim.stance,
                    quote=claim.quote,
                    status=TagStatus.SUGGESTED,
                )
                for location in where
            ]
    return evidence


def apply_suggestions(thread: Thread, parsed: ParsedThread, taxonomy: Taxonomy) -> None:
    """Replace this thread's suggestions; confirmed tags and evidence are never touched."""
    everything = "\n".join([parsed.title, parsed.body, *(r.body for r in parsed.replies)])
    locations = taxonomy.locations_in(f"{parsed.title}\n{parsed.body}")
    # "On my rest days" names rest without a word about it: no remedy tag either.
    remedies = taxonomy.remedy_matcher.find(without_passing_mentions(everything))

    thread.location_tags.filter(status=TagStatus.SUGGESTED).delete()
    thread.remedy_tags.filter(status=TagStatus.SUGGESTED).delete()
    Evidence.objects.filter(reply__thread=thread, status=TagStatus.SUGGESTED).delete()
    # ignore_conflicts keeps an editor's confirmed tag where a suggestion would repeat it.
    ThreadLocation.objects.bulk_create(
        [
            ThreadLocation(thread=thread, location_id=pk, status=TagStatus.SUGGESTED)
            for pk in locations
        ],
        ignore_conflicts=True,
    )
    ThreadRemedy.objects.bulk_create(
        [ThreadRemedy(thread=thread, remedy_id=pk, status=TagStatus.SUGGESTED) for pk in remedies],
        ignore_conflicts=True,
    )
    # Batches keep each statement (and its parameter list) a reasonable size on long threads.
    Evidence.objects.bulk_create(
        suggested_evidence(thread, parsed, taxonomy), ignore_conflicts=True, batch_size=BATCH
    )
    thread.red_flags.set(taxonomy.red_flag_matcher.find_all(everything))
