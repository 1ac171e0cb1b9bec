"""Progress on stderr for long commands: a redrawn bar on a terminal, sparse lines otherwise.

Use as a callable taking a fraction 0..1, and call `done()` at the end:

    with ProgressReporter("Transcribing") as progress:
        transcribe(path, on_progress=progress)

stdout is left untouched so that `narrative-coach transcribe x.wav > out.txt` stays clean.
"""

from __future__ import annotations

import shutil
import sys
import time
from typing import TextIO


class ProgressReporter:
    def __init__(
        self,
        label: str,
        stream: TextIO | None = None,
        *,
        tty: bool | None = None,
        step: float = 0.25,
        enabled: bool = True,
    ) -> None:
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.step = step  # fraction between two lines when not on a terminal
        self.enabled = enabled
        self._started = time.monotonic()
        self._last_line = -1.0
        self._last_draw = 0.0
        self._drawn = False

    def __call__(self, fraction: float) -> None:
        if not self.enabled:
            return
        fraction = min(1.0, max(0.0, float(fraction)))
        if self.tty:
            now = time.monotonic()
            # Redraw at most 10 times a second, but always show the end.
            if fraction < 1.0 and now - self._last_draw < 0.1:
                return
            self._last_draw = now
            self._draw_bar(fraction)
        elif fraction >= 1.0 or fraction - self._last_line >= self.step or self._last_line < 0:
            if fraction == self._last_line:
                return
            self._last_line = fraction
            self.stream.write(f"{self.label}: {fraction * 100:.0f}%\n")
            self.stream.flush()

    def note(self, message: str) -> None:
        """A one-off line (for example which model is used), not disturbing the bar."""
        if not self.enabled:
            return
        if self.tty and self._drawn:
            self.stream.write("\r\033[K")
        self.stream.write(message + "\n")
        self.stream.flush()
        self._drawn = False

    def _draw_bar(self, fraction: float) -> None:
        width = max(10, min(40, shutil.get_terminal_size((80, 20)).columns - len(self.label) - 20))
        filled = int(round(fraction * width))
        elapsed = time.monotonic() - self._started
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {fraction * 100:3.0f}% {elapsed:5.0f}s")
        self.stream.flush()
        self._drawn = True

    def done(self) -> None:
        if self.enabled and self.tty and self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False

    def __enter__(self) -> "ProgressReporter":
        return self

    def __exit__(self, *exc: object) -> None:
        self.done()
