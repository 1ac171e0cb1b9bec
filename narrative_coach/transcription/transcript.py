"""What a transcription produces: the text, its language and every word with its time and confidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Word:
    """One recognised word. `word` has no surrounding spaces; times are seconds from the start."""

    word: str
    start: float
    end: float
    probability: float

    def to_dict(self) -> dict[str, Any]:
        return {"word": self.word, "start": self.start, "end": self.end, "probability": self.probability}


@dataclass(frozen=True)
class Transcript:
    text: str
    language: str
    duration_s: float
    model: str
    words: list[Word] = field(default_factory=list)
    # Not part of the JSON contract; lets callers say "tiny.en (English only)".
    english_only: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "language": self.language,
            "duration_s": self.duration_s,
            "model": self.model,
            "words": [w.to_dict() for w in self.words],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Transcript":
        return cls(
            text=str(data.get("text", "")),
            language=str(data.get("language", "")),
            duration_s=float(data.get("duration_s", 0.0)),
            model=str(data.get("model", "")),
            words=[
                Word(str(w["word"]), float(w["start"]), float(w["end"]), float(w.get("probability", 0.0)))
                for w in data.get("words", [])
            ],
        )
