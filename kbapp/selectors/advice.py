"""Published advice: support, tags, related entries and cited replies."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import CharField, Count, F, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from kbapp.citations import thaw
from kbapp.models import AdviceEntry, Reply
from kbapp.taxonomy import Taxonomy

AdviceLocation = AdviceEntry.locations.through
AdviceRemedy = AdviceEntry.remedies.through
AdviceSource = AdviceEntry.sources.through


def advice_support() -> Subquery:
    """How many replies an entry cites on visible threads: its support, as a subquery.

    A subquery rather than a Count() over the join, so filters on the same relation
    (stage via sources) cannot change the figure.
    """
    cited = (
        AdviceSource.objects.filter(adviceentry_id=OuterRef("pk"), reply__thread__is_hidden=False)
        .order_by()
        .values("adviceentry_id")
        .annotate(n=Count("reply_id"))
        .values("n")
    )
    return Coalesce(Subquery(cited, output_field=IntegerField()), 0)


def advice_queryset() -> QuerySet[AdviceEntry]:
    """Published entries with their support, best supported first."""
    return (
        AdviceEntry.objects.published()
        .annotate(support=advice_support())
        .order_by("-support", F("published_at").desc(nulls_last=True), "-pk")
    )


def attach_tags(entries: Iterable[AdviceEntry], taxonomy: Taxonomy) -> list[AdviceEntry]:
    """Give each entry ``places`` and ``remedy_tags`` from the taxonomy: one query in all.

    Both link tables are read in a single UNION and named from the taxonomy already in
    memory, which saves the two prefetch queries a list page would otherwise run.
    """
    entries = list(entries)
    ids = [entry.pk for entry in entries]
    places = AdviceLocation.objects.filter(adviceentry_id__in=ids).values_list(
        "adviceentry_id", "painlocation_id", Value("location", output_field=CharField())
    )
    remedies = AdviceRemedy.objects.filter(adviceentry_id__in=ids).values_list(
        "adviceentry_id", "remedy_id", Value("remedy", output_field=CharField())
    )
    tags: dict[int, dict[str, list]] = defaultdict(lambda: {"location": [], "remedy": []})
    for entry_id, pk, kind in places.union(remedies, all=True) if ids else []:
        find = taxonomy.location_by_id if kind == "location" else taxonomy.remedy_by_id
        tags[entry_id][kind].append(find(pk))
    order = {row.pk: n for n, row in enumerate(taxonomy.locations)}
    for entry in entries:
        entry.places = sorted(tags[entry.pk]["location"], key=lambda row: order[row.pk])
        entry.remedy_tags = sorted(tags[entry.pk]["remedy"], key=lambda row: row.name)
    return entries


def related_advice(entry: AdviceEntry, location_ids: list[int], limit: int = 5) -> list:
    """Other published entries about the same places, best supported first."""
    sharing = AdviceLocation.objects.filter(painlocation_id__in=location_ids)
    return list(
        advice_queryset()
        .filter(pk__in=sharing.values("adviceentry_id"))
        .exclude(pk=entry.pk)[:limit]
    )


def cited_replies(entry: AdviceEntry) -> list[Reply]:
    """What an entry quotes: as published (frozen), else its replies on visible threads."""
    if entry.status == AdviceEntry.Status.PUBLISHED and entry.cited_snapshot is not None:
        return thaw(entry.cited_snapshot)
    return list(
        entry.sources.filter(thread__is_hidden=False)
        .select_related("thread")
        .order_by("thread_id", "position")
    )
