"""Repairing import structure: merge a reply into the previous one, split one in two."""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import F

from kbapp.models import (
    AdviceEntry,
    Evidence,
    Reply,
    TagStatus,
)
from kbapp.services.curation.common import CurationError, bump_threads, log_change
from kbapp.services.curation.threads import quote_in_text

# Positions are moved out of the way first, so renumbering never collides with the
# unique (thread, position) constraint, whatever order the database updates rows in.
POSITION_OFFSET = 1_000_000
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")

# Reply structure --------------------------------------------------------------------


def _shift_positions(*, thread_id: int, after: int, by: int) -> None:
    """Move every reply after position `after` by `by`, in two collision-free passes."""
    later = Reply.objects.filter(thread_id=thread_id, position__gt=after)
    later.update(position=F("position") + POSITION_OFFSET)
    Reply.objects.filter(thread_id=thread_id, position__gt=POSITION_OFFSET).update(
        position=F("position") - POSITION_OFFSET + by
    )


def _move_evidence(*, source: Reply, target: Reply) -> None:
    """Give target source's evidence; where target already has the claim, keep the better one."""
    existing = {(e.remedy_id, e.location_id): e for e in target.evidence.all()}
    for evidence in source.evidence.all():
        twin = existing.get((evidence.remedy_id, evidence.location_id))
        if twin is None:
            _move(evidence, target)
        elif twin.status == TagStatus.SUGGESTED and evidence.status == TagStatus.CONFIRMED:
            twin.delete()
            _move(evidence, target)


def _move(evidence: Evidence, target: Reply) -> None:
    evidence.reply, evidence.version = target, evidence.version + 1
    evidence.save(update_fields=["reply", "version"])


def merge_into_previous(*, reply_id: int, user) -> Reply:
    """Append a reply to the one before it, with its evidence and citations."""
    with transaction.atomic():
        reply = Reply.objects.select_for_update().select_related("thread").get(pk=reply_id)
        previous = Reply.objects.filter(
            thread_id=reply.thread_id, position__lt=reply.position
        ).last()
        if previous is None:
            raise CurationError("The first reply has no previous reply to merge into.")
        previous.body = f"{previous.body.rstrip()}\n\n{reply.body.strip()}"
        previous.save(update_fields=["body"])
        _move_evidence(source=reply, target=previous)
        for entry in AdviceEntry.objects.filter(sources=reply):
            entry.sources.add(previous)
        position = reply.position
        reply.delete()
        _shift_positions(thread_id=reply.thread_id, after=position, by=-1)
        bump_threads([reply.thread_id])
        log_change(
            user=user,
            objects=[reply.thread],
            message=f"Merged reply #{position} into #{previous.position}.",
        )
    return previous


def paragraphs(text: str) -> list[str]:
    return [part for part in PARAGRAPH_BREAK.split(text.strip()) if part.strip()]


def split_reply(*, reply_id: int, at_paragraph: int, user) -> Reply:
    """Split a reply before its paragraph number at_paragraph (from 1); returns the new part."""
    with transaction.atomic():
        reply = Reply.objects.select_for_update().select_related("thread").get(pk=reply_id)
        breaks = list(PARAGRAPH_BREAK.finditer(reply.body.strip()))
        if not 1 <= at_paragraph <= len(breaks):
            raise CurationError(
                f"Choose a paragraph between 1 and {len(breaks)}: this reply has "
                f"{len(breaks) + 1} paragraph(s)."
            )
        body, cut = reply.body.strip(), breaks[at_paragraph - 1]
        reply.body, rest = body[: cut.start()], body[cut.end() :]
        reply.save(update_fields=["body"])
        _shift_positions(thread_id=reply.thread_id, after=reply.position, by=1)
        part = Reply.objects.create(
            thread=reply.thread,
            position=reply.position + 1,
            author=reply.author,
            in_reply_to=reply.in_reply_to,
            posted_at=reply.posted_at,
            body=rest,
        )
        _place_evidence_after_split(first=reply, second=part)
        for entry in AdviceEntry.objects.filter(sources=reply):
            entry.sources.add(part)
        bump_threads([reply.thread_id])
        log_change(
            user=user, objects=[reply.thread], message=f"Split reply #{reply.position} in two."
        )
    return part


def _place_evidence_after_split(*, first: Reply, second: Reply) -> None:
    """Evidence follows its quote; a quote found in neither part stays with the first."""
    moving = [
        e.pk
        for e in first.evidence.all()
        if quote_in_text(e.quote, second.body) and not quote_in_text(e.quote, first.body)
    ]
    Evidence.objects.filter(pk__in=moving).update(reply=second, version=F("version") + 1)
