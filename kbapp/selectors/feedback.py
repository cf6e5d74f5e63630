"""What runners said of advice entries: counts for editors, and what the public may see."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, FloatField, Q, QuerySet
from django.db.models.functions import Cast, NullIf

from kbapp.models import AdviceEntry, AdviceVote

# Below this many votes a share of "helpful" says more about chance than the advice.
PUBLIC_MIN_VOTES = 10
MAX_NOTES = 5
HELPFUL = Q(votes__helpful=True)
NOT_HELPFUL = Q(votes__helpful=False)


@dataclass
class Helpfulness:
    helpful: int = 0
    not_helpful: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def votes(self) -> int:
        return self.helpful + self.not_helpful

    @property
    def public(self) -> bool:
        """Whether the counts may be shown on the public page."""
        return self.votes >= PUBLIC_MIN_VOTES


def helpfulness(entry: AdviceEntry) -> Helpfulness:
    """An entry's votes and its approved "what was missing?" notes, newest first."""
    counts = entry.votes.aggregate(
        yes=Count("pk", filter=Q(helpful=True)), no=Count("pk", filter=Q(helpful=False))
    )
    approved = entry.votes.filter(moderation=AdviceVote.Moderation.APPROVED)
    notes = list(approved.order_by("-pk").values_list("missing", flat=True)[:MAX_NOTES])
    return Helpfulness(counts["yes"], counts["no"], notes)


def with_votes(entries: QuerySet[AdviceEntry]) -> QuerySet[AdviceEntry]:
    """Entries with their votes counted, the share found helpful, and notes waiting."""
    return entries.annotate(
        helpful=Count("votes", filter=HELPFUL),
        not_helpful=Count("votes", filter=NOT_HELPFUL),
        notes_waiting=Count("votes", filter=Q(votes__moderation=AdviceVote.Moderation.PENDING)),
        share=Cast(F("helpful"), FloatField())
        / Cast(NullIf(F("helpful") + F("not_helpful"), 0), FloatField()),
    )


def rated_entries() -> QuerySet[AdviceEntry]:
    """Entries with at least one vote, with their counts and share found helpful."""
    return with_votes(AdviceEntry.objects.all()).filter(Q(helpful__gt=0) | Q(not_helpful__gt=0))


def least_and_most_helpful(limit: int = 5) -> tuple[list[AdviceEntry], list[AdviceEntry]]:
    """The entries runners found least and most helpful, for the editors' dashboard."""
    rated = rated_entries().only("pk", "title")
    least = list(rated.order_by("share", "-not_helpful", "pk")[:limit])
    most = list(rated.order_by("-share", "-helpful", "pk")[:limit])
    return least, most


def pending_notes() -> int:
    return AdviceVote.objects.filter(moderation=AdviceVote.Moderation.PENDING).count()
