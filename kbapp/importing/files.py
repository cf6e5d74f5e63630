"""From a file's bytes to parsed threads: reading within the limit, decoding, sniffing the
format, refusing junk."""

from __future__ import annotations

import codecs
import re
from pathlib import PurePath
from typing import BinaryIO

from kbapp.importing.clean import clean_text
from kbapp.importing.html import parse_html
from kbapp.importing.jsonl import parse_jsonl
from kbapp.importing.text import parse_text_dump
from kbapp.importing.types import ParsedThread, ParseError

JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}
TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm"}
IMPORTABLE_SUFFIXES = JSONL_SUFFIXES | TEXT_SUFFIXES | HTML_SUFFIXES
MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!?][^<>]{0,200}>|&(?:[a-z]{2,8}|#\d{1,7});")
CONTROL_CHARS = {chr(c) for c in range(32)} - {"\n", "\r", "\t", "\f"}


def read_limited(stream: BinaryIO, limit: int) -> bytes:
    """The stream's bytes, read no further than one past the limit: the only size check.

    Reading, not stat(), decides: a pipe or a device such as /dev/zero has no size.
    """
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ParseError(f"larger than the import limit of {limit:,} bytes")
    return data


def decode(data: bytes) -> str:
    """UTF-8 (or UTF-16 with a byte-order mark) text; anything else is refused, not guessed."""
    if not data.strip():
        raise ParseError("file is empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ParseError("not valid UTF-16 text") from None
    if b"\x00" in data[:8192]:
        raise ParseError("binary file (it contains NUL bytes), not a text or JSON Lines dump")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        byte, line = data[exc.start], data.count(b"\n", 0, exc.start) + 1
        raise ParseError(
            f"line {line}: not valid UTF-8 text (byte 0x{byte:02x} at offset {exc.start})"
        ) from None
    sample = text[:8192]
    if sum(ch in CONTROL_CHARS for ch in sample) > len(sample) // 20:
        raise ParseError("binary file (it is mostly control characters), not a text dump")
    return text


def looks_like_html(text: str) -> bool:
    start = text.lstrip()[:512].lower()
    return start.startswith(("<!doctype html", "<html")) or (
        start.startswith("<") and "<body" in text[:4096].lower()
    )


def parse_file(name: str, data: bytes) -> list[ParsedThread]:
    """Every thread in one file, or ParseError saying why the file cannot be imported."""
    threads = parse_text(name, decode(data))
    for number, parsed in enumerate(threads, 1):
        if m := MARKUP.search(parsed.title):
            where = f"thread {number}: " if len(threads) > 1 else ""
            raise ParseError(f"{where}the title looks like markup ({m[0][:40]!r}), not text")
    return threads


def parse_text(name: str, text: str) -> list[ParsedThread]:
    suffix = PurePath(name).suffix.lower()
    if suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and looks_like_html(text)):
        return [parse_html(clean_text(text))]
    if suffix in JSONL_SUFFIXES or (suffix not in TEXT_SUFFIXES and text.lstrip().startswith("{")):
        # JSON escapes (\u0000) are only seen once decoded: each field is cleaned on its own.
        return parse_jsonl(text)
    return [parse_text_dump(clean_text(text))]
