"""Acoustic filler candidates: hesitation sounds Whisper left out of the transcript.

Whisper is trained on clean transcripts and drops most "um"s and "uh"s. What it cannot hide is the
sound: a voiced stretch of 80-1200 ms with a steady pitch (DELIVERY.md) inside an unexplained gap
between two transcript words. Rules, each from a false alarm seen in benchmarks/delivery_fillers.py:
- the gap must be at least `filler_pause_s` long: shorter gaps are Whisper's coarse word edges,
  where the voiced tail of a word sticks out;
- a gap next to a transcribed "um"/"uh" is already explained (Whisper often times the word it kept
  beside the sound rather than on it);
- one candidate per gap: a hesitation broken by a glottal catch is still one hesitation;
- the stretch must sit inside the gap (at most 20 % of it under a word).
"""

from __future__ import annotations

from .fillers import HESITATIONS
from .pitch import PitchTrack, voiced_runs
from .thresholds import Thresholds
from .tokens import Token

def find_acoustic_fillers(track: PitchTrack, tokens: list[Token], th: Thresholds) -> list[dict]:
    timed = [t for t in tokens if t.start is not None and t.end is not None]
    runs = [(s, e, sd) for s, e, sd, _ in voiced_runs(track, th.acoustic_filler_min_s, th.acoustic_filler_max_s)
            if sd <= th.acoustic_filler_max_semitone_sd]
    out = []
    k = 0
    for a, b in zip(timed, timed[1:]):
        gap0, gap1 = a.end, b.start
        if gap1 - gap0 < th.filler_pause_s or a.norm in HESITATIONS or b.norm in HESITATIONS:
            continue
        while k < len(runs) and runs[k][1] <= gap0:
            k += 1
        best = None
        for start, end, sd in runs[k:]:
            if start >= gap1:
                break
            inside = min(end, gap1) - max(start, gap0)
            if inside >= 0.8 * (end - start) and (best is None or end - start > best[1] - best[0]):
                best = (start, end, sd)
        if best is not None:
            out.append({"word": "(hesitation)", "start": round(best[0], 2), "end": round(best[1], 2),
                        "sentence": a.sentence, "char": a.end_char, "source": "acoustic",
                        "semitone_sd": round(best[2], 2)})
    return out
