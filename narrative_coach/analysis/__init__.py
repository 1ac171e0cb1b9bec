"""Analysis: a speech's text (and words, audio) in, the report object out. Pure: no Qt, no DB, no files.

    from narrative_coach.analysis import analyze
    report = analyze(open("speech.txt").read())
    report["scores"], report["feedback"][:3]

The report follows "narrative-coach/report@1" (docs: ARCHITECTURE.md, docs/narrative.md).
"""

from __future__ import annotations

import numpy as np

from narrative_coach.analysis.rubric import Rubric, load_rubric

# Bump when a change can alter a stored report (model retrained, rubric logic changed).
ANALYZER_VERSION = "narrative-1.4"

MAX_CHARS = 2_000_000  # about 350,000 words; far beyond any speech

__all__ = ["analyze", "ANALYZER_VERSION", "load_rubric", "Rubric"]


def analyze(
    text: str,
    *,
    words: list[dict] | None = None,
    audio: np.ndarray | None = None,
    sample_rate: int = 16000,
    transcript: dict | None = None,
    duration_s: float | None = None,
    rubric: Rubric | None = None,
) -> dict:
    """Score `text` against public narrative (self, us, now) and on delivery; return the report dict.

    `words` are Whisper word dicts {word, start, end, probability} (gives sentence times, pace,
    pauses); `audio` is 16 kHz mono float32 (gives pitch and loudness); `transcript` is
    `Transcript.to_dict()` and is kept in the report.
    """
    from narrative_coach.analysis.report import build_report
    from narrative_coach.errors import UserError

    if text is None:
        text = ""
    if not isinstance(text, str):
        raise TypeError("analyze() needs the speech as a str")
    if len(text) > MAX_CHARS:
        raise UserError(
            f"This text is too long to analyse ({len(text):,} characters).",
            "Analyse one speech at a time (a one-hour speech is about 60,000 characters).",
        )
    if words is None and transcript is not None:
        words = transcript.get("words") or None
    if duration_s is None and transcript is not None:
        duration_s = transcript.get("duration_s")
    return build_report(
        text,
        words=words,
        audio=audio,
        sample_rate=sample_rate,
        transcript=transcript,
        duration_s=duration_s,
        rubric=rubric or load_rubric(None),
        analyzer_version=ANALYZER_VERSION,
    )
