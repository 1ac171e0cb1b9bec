"""Helpers for the delivery tests: report-style sentences, words with known times, espeak audio."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import soundfile as sf

from speech_helpers import speak

_SENT = re.compile(r"[^.!?]+[.!?]+|[^.!?]+$")


def sentences_of(text: str, part: str = "other", times: list[tuple[float, float]] | None = None) -> list[dict]:
    """Report sentence dicts, split at . ! ? (the narrative analyzer's own splitter is richer)."""
    out = []
    for i, m in enumerate(m for m in _SENT.finditer(text) if m.group(0).strip()):
        lead = len(m.group(0)) - len(m.group(0).lstrip())
        t = times[i] if times else (None, None)
        out.append({"index": i, "text": m.group(0).strip(), "start_char": m.start() + lead, "end_char": m.end(),
                    "start_s": t[0], "end_s": t[1], "part": part})
    return out


def spread_words(text: str, start: float, end: float) -> list[dict]:
    """Whisper-style words (leading space, punctuation attached) spread over [start, end] by length."""
    raw = text.split()
    weights = np.array([len(w) + 1 for w in raw], dtype=float)
    edges = start + (end - start) * np.concatenate(([0.0], np.cumsum(weights) / weights.sum()))
    return [{"word": " " + w, "start": float(a), "end": float(b), "probability": 0.9}
            for w, a, b in zip(raw, edges[:-1], edges[1:])]


def espeak_clip(text: str, tmp: Path, wpm: int = 160, sample_rate: int = 16000) -> np.ndarray:
    """espeak-ng speech at `sample_rate`, with its own leading and trailing silence cut off."""
    wav = speak(text, tmp / f"clip_{abs(hash((text, wpm)))}.wav", wpm=wpm)
    data, sr = sf.read(str(wav), dtype="float32")
    if sr != sample_rate:
        t_new = np.arange(int(len(data) * sample_rate / sr)) / sample_rate
        data = np.interp(t_new, np.arange(len(data)) / sr, data).astype(np.float32)
    loud = np.flatnonzero(np.abs(data) > 0.01)
    return data[loud[0]:loud[-1] + 1]
