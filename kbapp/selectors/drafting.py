"""Reads for editors drafting advice: what a new entry citing some replies starts with."""

from __future__ import annotations

from collections.abc import Iterable

from kbapp.models import Evidence, RedFlag, Reply, ThreadLocation, ThreadRemedy


def advice_prefill(*, reply_ids: Iterable[int]) -> dict:
    """What a new advice entry citing these replies starts with; the editor reviews it.

    Evidence on the replies (suggested or confirmed) says most precisely what they are
    about; replies without any fall back on their threads' tags. A remedy whose only
    evidence in these replies is "did not help" is left out. The red flags their threads
    mention fill "see a professional if", one per line.
    """
    replies = list(Reply.objects.filter(pk__in=list(reply_ids)).order_by("thread", "position"))
    threads = {reply.thread_id for reply in replies}
    evidence = Evidence.objects.filter(reply__in=replies)
    claims = list(evidence.values_list("location", "remedy", "stance", "reply__thread"))
    helped = {remedy for _, remedy, stance, _ in claims if stance != Evidence.Stance.DID_NOT_HELP}
    only_unhelpful = {remedy for _, remedy, _, _ in claims} - helped
    bare = threads - {thread for *_, thread in claims}
    locations = {location for location, *_ in claims} | set(
        ThreadLocation.objects.filter(thread__in=bare).values_list("location", flat=True)
    )
    tagged = ThreadRemedy.objects.filter(thread__in=bare).values_list("remedy", flat=True)
    flags = RedFlag.objects.filter(threads__in=threads).distinct().order_by("position", "name")
    return {
        "sources": [reply.pk for reply in replies],
        "locations": sorted(locations),
        "remedies": sorted((helped | set(tagged)) - only_unhelpful),
        "see_a_professional_if": "\n".join(flag.name for flag in flags),
    }
