from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class ParsedReply:
    body: str
    author: str = ""
    in_reply_to: str = ""
    posted_at: datetime | None = None


@dataclass(frozen=True)
class ParsedThread:
    title: str
    body: str
    replies: tuple[ParsedReply, ...] = ()
    community: str = ""
    source_url: str = ""
    author: str = ""
    posted_at: datetime | None = None
    # An id the source gives the thread (JSON Lines "id"); the best key for re-imports.
    external_id: str = ""
    title_derived: bool = False
    notes: tuple[str, ...] = field(default=())


class ParseError(ValueError):
    """A file that cannot be imported; the message says why, for the person importing."""
