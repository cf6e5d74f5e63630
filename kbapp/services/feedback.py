"""Runners' answers to "Was this helpful?": recording a vote and moderating its text."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from kbapp.content import content_changed
from kbapp.models import AdviceEntry, AdviceVote

MAX_MISSING = 500


@transaction.atomic
def record_vote(*, entry: AdviceEntry, helpful: bool, missing: str = "") -> AdviceVote:
    """One vote on a published entry; its "what was missing?" text waits for an editor."""
    if entry.status != AdviceEntry.Status.PUBLISHED:
        raise ValueError("Only published advice takes votes.")
    missing = missing.strip()[:MAX_MISSING]
    moderation = AdviceVote.Moderation.PENDING if missing else AdviceVote.Moderation.NONE
    return AdviceVote.objects.create(
        entry=entry, helpful=helpful, missing=missing, moderation=moderation
    )


@transaction.atomic
def moderate(*, votes: QuerySet[AdviceVote], approve: bool) -> int:
    """Approve or reject the text of some votes; votes without text are left alone."""
    decision = AdviceVote.Moderation.APPROVED if approve else AdviceVote.Moderation.REJECTED
    changed = votes.exclude(missing="").update(moderation=decision)
    if changed:
        # Approved notes appear on the entry's page, rejected ones leave it at once.
        content_changed(removes=not approve)
    return changed
