"""Reads for symptom pages: the red flags of a place, threads newest first."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet

from kbapp.models import PainLocation, RedFlag, Thread
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
