"""Who recommended what: evidence counted per remedy and place."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Concat

from kbapp.models import Evidence, PainLocation, Remedy
from kbapp.taxonomy import Taxonomy

# Replies without an author name are counted one runner each rather than one runner in all.
RUNNER = Case(
    When(reply__author="", then=Concat(Value("#"), Cast("reply_id", CharField()))),
    default=F("reply__author"),
    output_field=CharField(),
)
HELPED = Q(stance=Evidence.Stance.HELPED)
DID_NOT_HELP = Q(stance=Evidence.Stance.DID_NOT_HELP)
POSITIVE = ~DID_NOT_HELP


@dataclass
class RemedySupport:
    """One remedy's row in the location × remedy view: the counts shown beside it.

    Runners and threads count those who recommended it or said it helped; those it did
    not help are counted apart, never as support.
    """

    remedy: Remedy
    runners: int
    threads: int
    replies: int
    helped: int
    did_not_help: int
    by_location: list[tuple[PainLocation, int]] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)


def remedy_support(evidence: QuerySet[Evidence], taxonomy: Taxonomy) -> list[RemedySupport]:
    """Evidence grouped by remedy, best supported first, each split by location: two queries."""
    totals = (
        evidence.order_by()
        .values("remedy_id")
        .annotate(
            runners=Count(RUNNER, filter=POSITIVE, distinct=True),
            threads=Count("reply__thread_id", filter=POSITIVE, distinct=True),
            replies=Count("reply_id", distinct=True),
            helped=Count("reply_id", filter=HELPED, distinct=True),
            did_not_help=Count("reply_id", filter=DID_NOT_HELP, distinct=True),
        )
    )
    rows = {
        row["remedy_id"]: RemedySupport(remedy=taxonomy.remedy_by_id(row.pop("remedy_id")), **row)
        for row in totals
    }
    if not rows:
        return []
    pairs = (
        evidence.order_by()
        .values("remedy_id", "location_id")
        .annotate(replies=Count("reply_id", distinct=True))
    )
    for pair in pairs:
        location = taxonomy.location_by_id(pair["location_id"])
        rows[pair["remedy_id"]].by_location.append((location, pair["replies"]))
    for row in rows.values():
        row.by_location.sort(key=lambda item: (-item[1], item[0].name))
    return sorted(rows.values(), key=lambda r: (-r.runners, -r.helped, -r.threads, r.remedy.name))
