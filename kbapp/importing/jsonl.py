"""JSON Lines dumps: one thread per line; the schema is documented in README.md."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from kbapp.importing.clean import clean_text
from kbapp.importing.types import ParsedReply, ParsedThread, ParseError

TEXT_FIELDS = ("community", "url", "author")
TITLE_MAX = 300
URL_MAX = 500
ID_MAX = 200
# Ids are database keys elsewhere too: a signed 64-bit integer at most.
INT_ID_MAX = 2**63 - 1


def _text(obj: dict, key: str, where: str, *, required: bool = False) -> str:
    value = obj.get(key)
    if value is None:
        if required:
            raise ParseError(f"{where}: missing required field '{key}'")
        return ""
    if not isinstance(value, str):
        raise ParseError(f"{where}: '{key}' must be a string")
    value = clean_text(value, f"{where}: '{key}'")
    if required and not value.strip():
        raise ParseError(f"{where}: '{key}' is empty")
    return value.strip()


def _datetime(obj: dict, key: str, where: str) -> datetime | None:
    value = _text(obj, key, where)
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
        # Stored in UTC: a date at the edge of the calendar fails here, not in the database.
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)
    except (ValueError, OverflowError):
        raise ParseError(f"{where}: '{key}' is not an ISO 8601 date: {value[:40]!r}") from None


def _external_id(obj: dict, where: str) -> str:
    """A string or an integer (true, 1.5 and lists are refused: they cannot be keys)."""
    value = obj.get("id")
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ParseError(f"{where}: 'id' must be a string or an integer")
    if isinstance(value, int) and abs(value) > INT_ID_MAX:
        raise ParseError(f"{where}: 'id' is too large (at most {INT_ID_MAX})")
    text = _text(obj, "id", where) if isinstance(value, str) else str(value)
    if len(text) > ID_MAX:
        raise ParseError(f"{where}: 'id' is longer than {ID_MAX} characters")
    return text


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
    return ParsedThread(
        title=title,
        body=_text(obj, "body", where, required=True),
        replies=tuple(_reply(r, f"{where}, reply {i}") for i, r in enumerate(replies, 1)),
        community=_text(obj, "community", where),
        source_url=url,
        author=_text(obj, "author", where),
        posted_at=_datetime(obj, "posted_at", where),
        external_id=_external_id(obj, where),
    )


def parse_jsonl(text: str) -> list[ParsedThread]:
    threads = []
    # Only a line feed ends a line (RFC 7464's JSON text sequences, JSON Lines): splitlines()
    # would also break at U+2028, U+2029 or U+0085, which json.dumps(ensure_ascii=False)
    # writes raw inside strings.
    for number, line in enumerate(text.split("\n"), 1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        where = f"line {number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ParseError(f"{where}: not valid JSON ({exc.msg})") from None
        except ValueError:  # an integer of thousands of digits
            raise ParseError(f"{where}: not valid JSON (a number is too long)") from None
        except RecursionError:
            raise ParseError(f"{where}: not valid JSON (nested too deeply)") from None
        threads.append(_thread(obj, where))
    if not threads:
        raise ParseError("file is empty")
    return threads
