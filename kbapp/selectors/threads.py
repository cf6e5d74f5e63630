"""A thread page, and the community's answers: replies with their public claims."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F, Prefetch, QuerySet

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
from kbapp.selectors.advice import AdviceSource, advice_queryset
from kbapp.taxonomy import Taxonomy


@dataclass
class ThreadPage:
    thread: Thread
    replies: list[Reply]
    locations: list[PainLocation]
    remedies: list[Remedy]
    advice: list[AdviceEntry]


def thread_page(thread: Thread) -> ThreadPage:
    """A visible thread with its replies and claims, confirmed tags and citing advice."""
    confirmed = Evidence.objects.confirmed().select_related("remedy", "location")
    replies = thread.replies.order_by("position").prefetch_related(
        Prefetch("evidence", queryset=confirmed, to_attr="claims")
    )
    location_tags = ThreadLocation.objects.filter(thread=thread, status=TagStatus.CONFIRMED)
    remedy_tags = ThreadRemedy.objects.filter(thread=thread, status=TagStatus.CONFIRMED)
    citing = AdviceSource.objects.filter(reply__thread=thread).values("adviceentry_id")
    return ThreadPage(
        thread=thread,
        replies=list(replies),
        locations=[t.location for t in location_tags.select_related("location")],
        remedies=[t.remedy for t in remedy_tags.select_related("remedy")],
        advice=list(advice_queryset().filter(pk__in=citing)),
    )


def answer_replies(evidence: QuerySet[Evidence]) -> QuerySet[Reply]:
    """The replies behind some evidence, newest threads first, in thread order."""
    return (
        Reply.objects.filter(pk__in=evidence.order_by().values("reply_id"))
        .select_related("thread")
        .order_by(F("thread__posted_at").desc(nulls_last=True), "-thread_id", "position")
    )


def attach_claims(replies: list[Reply], taxonomy: Taxonomy) -> None:
    """Give each reply its public claims as ``reply.claims``: one query for the whole page."""
    claims: dict[int, list[Evidence]] = defaultdict(list)
    rows = Evidence.objects.public().filter(reply_id__in=[r.pk for r in replies])
    for claim in rows.order_by("pk"):
        claim.remedy = taxonomy.remedy_by_id(claim.remedy_id)
        claim.location = taxonomy.location_by_id(claim.location_id)
        claims[claim.reply_id].append(claim)
    for reply in replies:
        reply.claims = claims[reply.pk]
