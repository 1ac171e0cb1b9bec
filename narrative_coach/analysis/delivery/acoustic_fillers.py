"""Acoustic filler candidates: hesitation sounds Whisper left out of the transcript.

Whisper is trained on clean transcripts and drops most "um"s and "uh"s. What it cannot hide is the
sound: a voiced stretch of 80-1200 ms with a steady pitch (DELIVERY.md) where no word of the
transcript is, or where the transcript's words do not cover it.
"""

from __future__ import annotations

from .pitch import PitchTrack, voiced_runs
from .thresholds import Thresholds
from .tokens import Token


def find_acoustic_fillers(track: PitchTrack, tokens: list[Token], th: Thresholds) -> list[dict]:
    timed = [t for t in tokens if t.start is not None and t.end is not None]
    out = []
    j = 0
    for start, end, sd in voiced_runs(track, th.acoustic_filler_min_s, th.acoustic_filler_max_s):
        dur = end - start
        if sd > th.acoustic_filler_max_semitone_sd:
            continue
        while j < len(timed) and timed[j].end < start - 2.0:
            j += 1
        covered = 0.0
        before = None
        for t in timed[j:]:
            if t.start > end:
                break
            covered += max(0.0, min(end, t.end) - max(start, t.start))
        for t in timed[j:]:
            if t.end <= start + 0.05:
                before = t
            else:
                break
        if covered > 0.2 * dur:
            continue
        out.append({"word": "(hesitation)", "start": round(start, 2), "end": round(end, 2),
                    "sentence": before.sentence if before else (timed[0].sentence if timed else None),
                    "char": before.end_char if before else None, "source": "acoustic"})
    return out
