"""A thread page, and the community's answers: replies with their public claims."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page
from django.db.models import F, Prefetch, QuerySet

from kbapp.models import (
    REPLIES_PER_PAGE,
    AdviceEntry,
    Evidence,
    PainLocation,
    RedFlag,
    Remedy,
    Reply,
    TagStatus,
    Thread,
    ThreadLocation,
    ThreadRemedy,
)
from kbapp.paging import paginate
from kbapp.selectors.advice import AdviceSource, advice_queryset
from kbapp.taxonomy import Taxonomy


@dataclass
class ThreadPage:
    thread: Thread
    page: Page
    locations: list[PainLocation]
    remedies: list[Remedy]
    advice: list[AdviceEntry]
    red_flags: list[RedFlag] = field(default_factory=list)

    @property
    def replies(self) -> list[Reply]:
        """This page's replies."""
        return self.page.object_list

    @property
    def reply_count(self) -> int:
        return self.page.paginator.count


def thread_page(thread: Thread, page: str | None = None) -> ThreadPage:
    """A visible thread with one page of its replies and their claims, confirmed tags and
    citing advice; BadPage for a page it does not have."""
    confirmed = Evidence.objects.confirmed().select_related("remedy", "location")
    replies = thread.replies.order_by("position").prefetch_related(
        Prefetch("evidence", queryset=confirmed, to_attr="claims")
    )
    shown = paginate(replies, page, REPLIES_PER_PAGE)
    shown.object_list = list(shown.object_list)
    location_tags = ThreadLocation.objects.filter(thread=thread, status=TagStatus.CONFIRMED)
    remedy_tags = ThreadRemedy.objects.filter(thread=thread, status=TagStatus.CONFIRMED)
    citing = AdviceSource.objects.filter(reply__thread=thread).values("adviceentry_id")
    return ThreadPage(
        thread=thread,
        page=shown,
        locations=[t.location for t in location_tags.select_related("location")],
        remedies=[t.remedy for t in remedy_tags.select_related("remedy")],
        advice=list(advice_queryset().filter(pk__in=citing)),
        red_flags=list(thread.red_flags.all()),
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
