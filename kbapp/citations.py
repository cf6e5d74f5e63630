"""Frozen citations: what a published advice entry quotes, as it read when it was published.

A publisher approves the words of the cited replies, not whatever they say later. The
snapshot is plain JSON on the entry; `thaw` turns it back into unsaved Reply objects so the
templates and the API read it exactly like live replies. `drift` names what has changed
since, for the publishers' dashboard.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.dateparse import parse_datetime

from kbapp.models import Reply, Thread


def freeze(replies: Iterable[Reply]) -> list[dict]:
    """The snapshot of these replies (with their threads loaded), in citation order."""
    return [
        {
            "reply": reply.pk,
            "position": reply.position,
            "author": reply.author,
            "posted_at": reply.posted_at.isoformat() if reply.posted_at else None,
            "body": reply.body,
            "thread": {
                "pk": reply.thread_id,
                "title": reply.thread.title,
                "slug": reply.thread.slug,
                "community": reply.thread.community,
            },
        }
        for reply in replies
    ]


def thaw(snapshot: list[dict]) -> list[Reply]:
    """Unsaved replies (and threads) carrying the snapshot's words; nothing is queried."""
    thawed = []
    for item in snapshot:
        thread = Thread(pk=item["thread"]["pk"], **_fields(item["thread"], "title", "slug"))
        thread.community = item["thread"].get("community", "")  # snapshots before it: none
        posted = parse_datetime(item["posted_at"]) if item.get("posted_at") else None
        reply = Reply(pk=item["reply"], posted_at=posted, **_fields(item, "position", "author"))
        reply.body, reply.thread = item["body"], thread
        thawed.append(reply)
    return thawed


def _fields(item: dict, *names: str) -> dict:
    return {name: item[name] for name in names}


@dataclass(frozen=True)
class LiveSource:
    """A cited reply as it is now: enough to compare with its snapshot."""

    reply: int
    body: str
    position: int
    thread_title: str
    thread_hidden: bool


def drift(snapshot: list[dict], live: Iterable[LiveSource]) -> list[str]:
    """What changed in the cited replies since publishing, one sentence each."""
    now = {source.reply: source for source in live}
    changes = []
    for item in snapshot:
        where = f"reply {item['position']} in “{item['thread']['title']}”"
        source = now.get(item["reply"])
        if source is None:
            changes.append(f"{where} was removed or merged")
        elif source.thread_hidden:
            changes.append(f"the thread of {where} was hidden")
        elif source.body != item["body"]:
            changes.append(f"{where} was edited")
    frozen = {item["reply"] for item in snapshot}
    changes += [
        f"reply {s.position} in “{s.thread_title}” is cited but not in the published text"
        for s in now.values()
        if s.reply not in frozen and not s.thread_hidden
    ]
    return changes
