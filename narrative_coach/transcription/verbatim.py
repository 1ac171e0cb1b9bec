"""Keeping "um" and "uh" in the transcript.

Whisper was trained on cleaned-up transcripts and tends to drop disfluencies, which a speech coach
needs to count. Verbatim mode conditions the decoder on a short prompt made of disfluencies. It is
passed as faster-whisper's `hotwords`, which is placed in the prompt of *every* 30-second window;
an `initial_prompt` would only steer the first window (and later ones only while it survives in
the rolling context). The prompt is deliberately short and does not start with "I'm": long prompts
make Whisper drop sentences or loop (see ../shared/design/DELIVERY.md). Its measured effect is in
docs/transcription.md (benchmarks/verbatim_fillers.py).
"""

from __future__ import annotations

from typing import Any

DISFLUENCY_PROMPT = "Um, uh, er, ah, hmm."

# Words counted as fillers when measuring recall (normalised, lower case, no punctuation).
FILLER_WORDS = frozenset({"um", "umm", "uh", "uhh", "er", "erm", "ah", "hmm", "mm"})


def decode_options(verbatim: bool) -> dict[str, Any]:
    """Extra keyword arguments for `WhisperModel.transcribe`."""
    if not verbatim:
        return {}
    return {"hotwords": DISFLUENCY_PROMPT}
