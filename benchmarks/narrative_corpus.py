"""Load the labeled narrative corpus (tests/data/narrative/{dev,test}/*.json) for training and evaluation."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS_DIR = REPO / "tests" / "data" / "narrative"
ELEMENT_NAMES = ("self_challenge", "self_choice", "self_outcome", "us_values", "now_urgency", "now_hope", "now_action")


@dataclass(frozen=True)
class LabeledSpeech:
    id: str
    kind: str
    sentences: list[str]
    parts: list[str]
    elements: dict[str, list[int]]

    @property
    def text(self) -> str:
        """As the analyzer receives it: one paragraph, as a transcript reads."""
        return " ".join(self.sentences)

    def offsets(self) -> list[tuple[int, int]]:
        out, pos = [], 0
        for s in self.sentences:
            out.append((pos, pos + len(s)))
            pos += len(s) + 1
        return out


def load_split(split: str, root: Path = CORPUS_DIR) -> list[LabeledSpeech]:
    speeches = []
    for path in sorted((root / split).glob("*.json")):
        d = json.loads(path.read_text(encoding="utf-8"))
        speeches.append(
            LabeledSpeech(
                id=d["id"],
                kind=d.get("kind", "narrative"),
                sentences=[s["text"] for s in d["sentences"]],
                parts=[s["part"] for s in d["sentences"]],
                elements={k: list(d["elements"].get(k, [])) for k in ELEMENT_NAMES},
            )
        )
    return speeches
