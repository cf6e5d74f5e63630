"""A plain-text progress bar for long management commands; no dependency needed."""

from __future__ import annotations

import time
from collections.abc import Callable


class ProgressBar:
    """Redraws one line on a terminal at most ten times a second."""

    def __init__(self, total: int, write: Callable[[str], None], *, label: str = "") -> None:
        self.total, self.write, self.label, self.width = max(total, 1), write, label, 30
        self.done = 0
        self._drawn_at = 0.0

    def advance(self, step: int = 1) -> None:
        self.done = min(self.done + step, self.total)
        now = time.monotonic()
        if self.done == self.total or now - self._drawn_at >= 0.1:
            self._drawn_at = now
            self.draw()

    def draw(self) -> None:
        filled = self.width * self.done // self.total
        bar = "#" * filled + "-" * (self.width - filled)
        percent = 100 * self.done // self.total
        end = "\n" if self.done == self.total else ""
        self.write(f"\r{self.label}[{bar}] {percent:3d}% {self.done}/{self.total}{end}")
