"""The typed messages the transcription child sends to its parent over a pipe.

Order: `Loaded` once, then for each source any number of `Segment` and `Progress` and one `Done`;
or, at any point, one `Failed` and nothing more. A pipe that closes before `Done`/`Failed` means the child died.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Loaded:
    model: str
    english_only: bool
    device: str
    compute_type: str
    cpu_threads: int


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    text: str
    # [{"word","start","end","probability"}], already stripped and rounded.
    words: list[dict[str, Any]] = field(default_factory=list)
    item: int = 0  # which source of a batch

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "words": list(self.words)}


@dataclass(frozen=True)
class Progress:
    fraction: float


@dataclass(frozen=True)
class Done:
    language: str
    duration_s: float
    item: int = 0


@dataclass(frozen=True)
class Failed:
    # "audio": the file is unusable; "model": the model cannot be loaded or the device is missing;
    # "memory": out of memory; "internal": anything else (a bug).
    kind: str
    message: str
    hint: str = ""


Message = Loaded | Segment | Progress | Done | Failed
