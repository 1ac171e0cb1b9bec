"""Delivery analysis: how the speech sounded (pace, pauses, fillers, pitch, loudness) and how easy
its wording is to follow (hedges, repetition, readability), each figure next to its recommended range.

Contract 4: `analyze_delivery(text, sentences, words, audio, sample_rate, rubric=None) -> DeliveryResult`.
Pure: numpy in, plain dicts out; no files, no Qt, no database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .acoustic_fillers import find_acoustic_fillers
from .energy import Energy, frame_energy
from .feedback import build_feedback
from .fillers import analyze_fillers
from .hedges import analyze_hedges
from .loudness import analyze_loudness
from .parts_time import analyze_parts_time
from .pace import analyze_pace, speaking_span
from .pauses import analyze_pauses, find_silences
from .pitch import analyze_pitch, track_pitch
from .readability import analyze_readability
from .repetition import analyze_repetition
from .score import component_scores, delivery_score
from .thresholds import DEFAULTS, Thresholds, resolve
from .tokens import Token, from_text, from_words

__all__ = ["DeliveryResult", "analyze_delivery", "Thresholds", "DEFAULTS", "resolve"]


@dataclass
class DeliveryResult:
    delivery: dict
    feedback: list[dict] = field(default_factory=list)
    score: float = 0.0


def _prepare_audio(audio: np.ndarray | None, sample_rate: int) -> np.ndarray | None:
    if audio is None:
        return None
    x = np.asarray(audio)
    if x.size == 0 or sample_rate <= 0:
        return None
    if x.ndim > 1:
        # (samples, channels) or (channels, samples): mix down
        x = x.mean(axis=1) if x.shape[1] < x.shape[0] else x.mean(axis=0)
    if np.issubdtype(x.dtype, np.integer):
        x = x.astype(np.float32) / float(np.iinfo(x.dtype).max + 1)
    elif x.dtype != np.float32:
        x = x.astype(np.float32)
    return x


def _sentence_lookup(sentences: list[dict], tokens: list[Token]):
    def sentence_of(start: float, end: float) -> list[int]:
        hits = []
        for i, s in enumerate(sentences):
            s0, s1 = s.get("start_s"), s.get("end_s")
            if isinstance(s0, (int, float)) and isinstance(s1, (int, float)) and s0 < end and s1 > start:
                hits.append(int(s.get("index", i)))
        if not hits:
            hits = sorted({t.sentence for t in tokens if t.mid is not None and start <= t.mid <= end
                           and t.sentence is not None})
        return hits

    return sentence_of


def analyze_delivery(
    text: str,
    sentences: list[dict],
    words: list[dict] | None,
    audio: np.ndarray | None,
    sample_rate: int = 16000,
    rubric: dict | None = None,
) -> DeliveryResult:
    th = resolve(rubric)
    text = text or ""
    sentences = list(sentences or [])
    timed_words = [w for w in (words or []) if isinstance(w, dict)]
    tokens = from_words(text, sentences, timed_words) if timed_words else from_text(text, sentences)
    x = _prepare_audio(audio, sample_rate)
    energy: Energy | None = frame_energy(x, sample_rate) if x is not None else None
    has_sound = energy is not None and bool(energy.active.any())

    if timed_words:
        span = speaking_span(tokens, energy.first_active() if has_sound else None,
                             energy.last_active() if has_sound else None)
    elif has_sound:
        first, last = energy.first_active(), energy.last_active()
        span = (first, last) if first is not None and last is not None and last > first else None
    else:
        span = None
    speaking_s = (span[1] - span[0]) if span else None
    # Rates per minute need the speech to be timed by words; audio alone gives pauses but no pace.
    rate_minutes_s = speaking_s if timed_words else None
    sentence_of = _sentence_lookup(sentences, tokens)

    pace = analyze_pace(tokens, span if timed_words else None, th, sentence_of)
    silences = find_silences(tokens, energy if has_sound else None, span, th)
    pauses = analyze_pauses(tokens, silences, speaking_s, th)

    pitch = loud = None
    acoustic: list[dict] = []
    if energy is not None:
        loud = analyze_loudness(energy, th, span)
        if has_sound:
            track = track_pitch(x, sample_rate, energy, th)
            pitch = analyze_pitch(track, th, sentence_of)
            if timed_words:
                acoustic = find_acoustic_fillers(track, tokens, th)
        else:
            pitch = {"available": False, "reason": "the recording is silent", "semitone_sd": None}
            loud["reason"] = "the recording is silent"

    fillers = analyze_fillers(tokens, th, rate_minutes_s, acoustic)
    hedges = analyze_hedges(tokens, th, rate_minutes_s)
    repetition = analyze_repetition(tokens, th)
    readability = analyze_readability(text, sentences, th)
    timed_sentences = any(isinstance(s.get("start_s"), (int, float)) for s in sentences)
    parts = analyze_parts_time(sentences, th, timed_sentences)

    delivery = {
        "available": {"text": bool(tokens), "timing": bool(timed_words) and span is not None,
                      "audio": has_sound},
        "wpm": pace["wpm"],
        "wpm_range": pace["wpm_range"],
        "wpm_timeline": pace["wpm_timeline"],
        "speaking_time_s": pace["speaking_time_s"] if pace["available"] else (round(speaking_s, 2) if speaking_s else None),
        "word_count": len(tokens),
        "pace": pace,
        "pauses": pauses,
        "fillers": fillers,
        "hedges": hedges,
        "repetition": repetition,
        "pitch": pitch,
        "loudness": loud,
        "readability": readability,
        "time_per_part": parts,
        "thresholds": th.as_dict(),
    }
    components = component_scores(delivery, th)
    delivery["component_scores"] = components
    sentence_text = {int(s.get("index", i)): str(s.get("text", "")) for i, s in enumerate(sentences)}
    feedback = build_feedback(delivery, th, sentence_text)
    return DeliveryResult(delivery=delivery, feedback=feedback, score=delivery_score(components))
