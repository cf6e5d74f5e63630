"""Reads for symptom pages and where runners land: the red flags of a place or of a
runner's words, the places with something to read, threads newest first."""

from __future__ import annotations

from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from kbapp.models import AdviceEntry, PainLocation, RedFlag, TagStatus, Thread, ThreadLocation
from kbapp.selectors.advice import AdviceLocation
from kbapp.taxonomy import Taxonomy


def red_flags_for(location: PainLocation, taxonomy: Taxonomy) -> list[RedFlag]:
    """Red flags for a place, its parents, or everywhere (a flag with no locations)."""
    places = [location.pk, *(a.pk for a in taxonomy.ancestors(location))]
    tagged = RedFlag.locations.through.objects.filter(painlocation_id__in=places)
    return list(
        RedFlag.objects.filter(
            Q(pk__in=tagged.values("redflag_id")) | Q(locations__isnull=True)
        ).distinct()
    )


def threads_with_counts(threads: QuerySet[Thread]) -> QuerySet[Thread]:
    """Newest first (undated last on every database), with their reply counts."""
    return threads.with_reply_count().order_by(
        F("posted_at").desc(nulls_last=True), "-imported_at", "-pk"
    )


def red_flags_in(text: str, taxonomy: Taxonomy) -> list[RedFlag]:
    """The flags whose phrases the text contains, emergencies first: the importer's own
    phrase matching, so "hurts when I sneeze" raises what a thread saying so raises."""
    if not text.strip():
        return []
    found = taxonomy.red_flag_matcher.find_all(text)
    return [flag for flag in taxonomy.red_flags if flag.pk in found]


def advice_about(entry: AdviceEntry, flags: set[int], taxonomy: Taxonomy) -> bool:
    """Whether the entry's title or summary raises one of these red flags (by pk)."""
    raised = red_flags_in(f"{entry.title}\n{entry.summary}", taxonomy)
    return any(flag.pk in flags for flag in raised)


def places_with_content(taxonomy: Taxonomy) -> set[int]:
    """The places with published advice or visible threads about them (or a place under
    them): two queries. The body map draws the others apart."""
    advice = AdviceLocation.objects.filter(adviceentry__status=AdviceEntry.Status.PUBLISHED)
    tagged = set(advice.values_list("painlocation_id", flat=True).distinct())
    # One probe a place that stops at its first visible thread, not a pass over every tag:
    # the LIMIT keeps PostgreSQL from turning it into a join over all of them.
    first = ThreadLocation.objects.filter(
        location_id=OuterRef("pk"), status=TagStatus.CONFIRMED, thread__is_hidden=False
    ).values("thread_id")[:1]
    places = PainLocation.objects.annotate(first=Subquery(first)).filter(first__isnull=False)
    tagged |= set(places.values_list("pk", flat=True))
    filled = set()
    for pk in tagged:
        location = taxonomy.location_by_id(pk)
        filled |= {location.pk, *(a.pk for a in taxonomy.ancestors(location))}
    return filled
