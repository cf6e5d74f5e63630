"""Characters no stored text may hold: refused (NUL, lone surrogates) or dropped (controls).

PostgreSQL cannot store NUL at all and SQLite would keep it, so both refuse it here, before
either database sees it; other control characters (\\x02, \\x03 mark search highlights) are
dropped, keeping tabs and line breaks.
"""

from __future__ import annotations

import re

from kbapp.importing.types import ParseError

# C0 controls except tab, line feed and carriage return; DEL; C1 controls.
CONTROLS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
SURROGATE = re.compile(r"[\ud800-\udfff]")


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def clean_text(text: str, where: str = "") -> str:
    """The text without control characters; ParseError for NUL or a lone surrogate."""
    prefix = f"{where}: " if where else ""
    if (nul := text.find("\x00")) >= 0:
        at = "" if where else f"line {line_of(text, nul)}: "
        raise ParseError(f"{prefix}{at}contains a NUL character, which no text may hold")
    if m := SURROGATE.search(text):
        at = "" if where else f"line {line_of(text, m.start())}: "
        raise ParseError(
            f"{prefix}{at}contains a lone surrogate (U+{ord(m[0]):04X}), not a character"
        )
    return CONTROLS.sub("", text)
