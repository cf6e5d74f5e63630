"""Reads for editors drafting advice: what a new entry citing some replies starts with."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from kbapp.models import (
    Evidence,
    PainLocation,
    RedFlag,
    Remedy,
    Reply,
    TagStatus,
    ThreadLocation,
    ThreadRemedy,
)

TITLE_REMEDIES = 2


def advice_prefill(*, reply_ids: Iterable[int], thread_ids: Iterable[int] = ()) -> dict:
    """What a new advice entry citing these replies starts with; the editor reviews it.

    Only what an editor confirmed counts: the importer's suggestions are guesses, and a draft
    that starts from them cites and tags what nobody checked. Confirmed evidence on the
    replies says most precisely what they are about; the threads' confirmed tags add the
    places, and the remedies of threads with no confirmed evidence. A remedy whose only
    evidence here is "did not help" is left out. The red flags the threads mention fill
    "see a professional if", one per line; the title is proposed from place and remedies.
    """
    replies = list(Reply.objects.filter(pk__in=list(reply_ids)).order_by("thread", "position"))
    threads = {reply.thread_id for reply in replies} | set(thread_ids)
    confirmed = Evidence.objects.filter(reply__in=replies, status=TagStatus.CONFIRMED)
    claims = list(confirmed.values_list("location", "remedy", "stance", "reply__thread"))
    helped = Counter(r for _, r, stance, _ in claims if stance != Evidence.Stance.DID_NOT_HELP)
    only_unhelpful = {remedy for _, remedy, _, _ in claims} - set(helped)
    bare = threads - {thread for *_, thread in claims}
    tags = {"status": TagStatus.CONFIRMED}
    locations = {location for location, *_ in claims} | set(
        ThreadLocation.objects.filter(**tags, thread__in=threads).values_list("location", flat=True)
    )
    tagged = ThreadRemedy.objects.filter(**tags, thread__in=bare).values_list("remedy", flat=True)
    remedies = (set(helped) | set(tagged)) - only_unhelpful
    flags = RedFlag.objects.filter(threads__in=threads).distinct().order_by("position", "name")
    return {
        "title": proposed_title(locations, sorted(remedies, key=lambda r: -helped[r])),
        "sources": [reply.pk for reply in replies],
        "locations": sorted(locations),
        "remedies": sorted(remedies),
        "see_a_professional_if": "\n".join(flag.name for flag in flags),
    }


def proposed_title(location_ids: set[int], remedy_ids: list[int]) -> str:
    """ "Hips: pilates and core strength": the place, then the best supported remedies."""
    if not location_ids or not remedy_ids:
        return ""
    names = dict(Remedy.objects.filter(pk__in=remedy_ids).values_list("pk", "name"))
    chosen = [names[pk] for pk in remedy_ids[:TITLE_REMEDIES] if pk in names]
    places = list(
        PainLocation.objects.filter(pk__in=location_ids).values_list("pk", "name", "parent")
    )
    # The most specific place: one no other chosen place sits under.
    parents = {parent for _, _, parent in places}
    place = next((name for pk, name, _ in places if pk not in parents), "")
    if not chosen or not place:
        return ""
    return f"{place}: " + " and ".join([chosen[0], *(n.lower() for n in chosen[1:])])
