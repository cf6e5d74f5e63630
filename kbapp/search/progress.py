"""A progress bar for the index and corpus commands, drawn on one line."""

from __future__ import annotations

BAR_WIDTH = 30


class ProgressBar:
    """A one-line bar redrawn in place: [#####-----]  50%  500/1000 threads."""

    def __init__(self, stream, noun: str = "threads") -> None:
        self.stream, self.noun, self.drawn = stream, noun, False

    def __call__(self, done: int, total: int) -> None:
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        percent = 100 * done // total if total else 100
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self.stream.write(f"\r[{bar}] {percent:3d}%  {done}/{total} {self.noun}", ending="")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("")
