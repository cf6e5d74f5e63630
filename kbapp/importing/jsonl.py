"""JSON Lines dumps: one thread per line; the schema is documented in README.md."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from kbapp.importing.types import ParsedReply, ParsedThread, ParseError

TEXT_FIELDS = ("community", "url", "author")
TITLE_MAX = 300
URL_MAX = 500


def _text(obj: dict, key: str, where: str, *, required: bool = False) -> str:
    value = obj.get(key)
    if value is None:
        if required:
            raise ParseError(f"{where}: missing required field '{key}'")
        return ""
    if not isinstance(value, str):
        raise ParseError(f"{where}: '{key}' must be a string")
    if "\x00" in value:  # PostgreSQL cannot store it, and no forum post needs it
        raise ParseError(f"{where}: '{key}' contains a NUL character")
    if required and not value.strip():
        raise ParseError(f"{where}: '{key}' is empty")
    return value.strip()


def _datetime(obj: dict, key: str, where: str) -> datetime | None:
    value = _text(obj, key, where)
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ParseError(f"{where}: '{key}' is not an ISO 8601 date: {value[:40]!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _reply(obj: Any, where: str) -> ParsedReply:
    if not isinstance(obj, dict):
        raise ParseError(f"{where}: each reply must be an object")
    return ParsedReply(
        body=_text(obj, "body", where, required=True),
        author=_text(obj, "author", where),
        in_reply_to=_text(obj, "in_reply_to", where),
        posted_at=_datetime(obj, "posted_at", where),
    )


def _thread(obj: Any, where: str) -> ParsedThread:
    if not isinstance(obj, dict):
        raise ParseError(f"{where}: each line must be a JSON object")
    title = _text(obj, "title", where, required=True)
    if len(title) > TITLE_MAX:
        raise ParseError(f"{where}: 'title' is longer than {TITLE_MAX} characters")
    url = _text(obj, "url", where)
    if url and not url.startswith(("http://", "https://")):
        raise ParseError(f"{where}: 'url' must start with http:// or https://")
    if len(url) > URL_MAX:
        raise ParseError(f"{where}: 'url' is longer than {URL_MAX} characters")
    replies = obj.get("replies")
    replies = [] if replies is None else replies
    if not isinstance(replies, list):
        raise ParseError(f"{where}: 'replies' must be a list")
    external_id = obj.get("id")
    if external_id is not None and not isinstance(external_id, str | int):
        raise ParseError(f"{where}: 'id' must be a string or a number")
    return ParsedThread(
        title=title,
        body=_text(obj, "body", where, required=True),
        replies=tuple(_reply(r, f"{where}, reply {i}") for i, r in enumerate(replies, 1)),
        community=_text(obj, "community", where),
        source_url=url,
        author=_text(obj, "author", where),
        posted_at=_datetime(obj, "posted_at", where),
        external_id="" if external_id is None else str(external_id),
    )


def parse_jsonl(text: str) -> list[ParsedThread]:
    threads = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"line {number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ParseError(f"{where}: not valid JSON ({exc.msg})") from None
        threads.append(_thread(obj, where))
    if not threads:
        raise ParseError("file is empty")
    return threads
