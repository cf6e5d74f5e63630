"""The one progress bar of the management commands: tqdm, drawn as
``Import [#####-----]  50% 500/1000 threads`` on the command's own stream."""

from __future__ import annotations

from tqdm import tqdm


class _Stream:
    """A Django OutputWrapper adds a newline to each write; tqdm redraws one line."""

    def __init__(self, stream) -> None:
        self.stream = stream

    def write(self, text: str) -> None:
        self.stream.write(text, ending="")

    def flush(self) -> None:
        self.stream.flush()


class ProgressBar:
    """Counts up to a total; redrawn at most ten times a second, and once at the end."""

    def __init__(self, total: int, stream, *, label: str = "", unit: str = "") -> None:
        self._bar = tqdm(
            total=total,
            file=_Stream(stream),
            desc=label.rstrip() or None,
            ascii=" #",
            mininterval=0.1,
            bar_format="{desc}[{bar:30}] {percentage:3.0f}% {n}/{total}"
            + (f" {unit}" if unit else ""),
        )

    def advance(self, step: int = 1) -> None:
        self._bar.update(step)

    def __call__(self, done: int, total: int) -> None:
        """For loops that know where they are rather than how far they went."""
        self._bar.total = total
        self._bar.update(done - self._bar.n)

    def close(self) -> None:
        self._bar.close()
