"""From a file's bytes to parsed threads: decoding, sniffing the format, refusing junk."""

from __future__ import annotations

import codecs
from pathlib import PurePath

from kbapp.importing.jsonl import parse_jsonl
from kbapp.importing.text import parse_text_dump
from kbapp.importing.types import ParsedThread, ParseError

JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}
TEXT_SUFFIXES = {".txt", ".text"}
IMPORTABLE_SUFFIXES = JSONL_SUFFIXES | TEXT_SUFFIXES
CONTROL_CHARS = {chr(c) for c in range(32)} - {"\n", "\r", "\t", "\f"}


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
        byte = data[exc.start]
        raise ParseError(
            f"not valid UTF-8 text (byte 0x{byte:02x} at offset {exc.start})"
        ) from None
    sample = text[:8192]
    if sum(ch in CONTROL_CHARS for ch in sample) > len(sample) // 20:
        raise ParseError("binary file (it is mostly control characters), not a text dump")
    return text


def parse_file(name: str, data: bytes) -> list[ParsedThread]:
    """Every thread in one file, or ParseError saying why the file cannot be imported."""
    text = decode(data)
    suffix = PurePath(name).suffix.lower()
    if suffix in JSONL_SUFFIXES or (suffix not in TEXT_SUFFIXES and text.lstrip().startswith("{")):
        return parse_jsonl(text)
    return [parse_text_dump(text)]
