"""Pauses: silences inside the speaking span, classed brief / medium / long, and placed in the text.

With audio the silences come from frame energy (Whisper's word times stretch over pauses, so gaps
between words alone under-report them); without audio, from gaps between word timestamps. Each
pause is then placed between the words around it: between two sentences (usually good), at a comma
or other written break inside a sentence, or inside a phrase (the kind that sounds like a lost
thread).
"""

from __future__ import annotations

import bisect

import numpy as np

from .energy import Energy, runs_of
from .thresholds import Thresholds
from .tokens import Token

_MAX_ITEMS = 500  # keep the report small on a three-hour recording

# Words a sentence cannot end on. Whisper writes a full stop at any long silence ("we have until.
# March ..."), so a pause after one of these is inside the phrase whatever the punctuation says.
DANGLING = frozenset("""
a an the and or but nor to of in on at for with from into onto until by about than as because if
unless while whereas although though my our your their his her its this these those every each no
we i they he she you will would can could shall should must may might is are was were be been am
do does did has had not very""".split())


def find_silences(tokens: list[Token], energy: Energy | None, span: tuple[float, float] | None,
                  th: Thresholds) -> list[tuple[float, float]]:
    if span is None:
        return []
    start, end = span
    if energy is not None and energy.db.size:
        f = energy.frame_s
        lo, hi = int(start / f), min(int(np.ceil(end / f)), energy.active.size)
        if hi <= lo:
            return []
        s_idx, e_idx = runs_of(~energy.active[lo:hi])
        return [((lo + s) * f, (lo + e) * f) for s, e in zip(s_idx, e_idx)
                if (e - s) * f >= th.pause_min_s - 1e-9 and lo + s > 0 and lo + e < energy.active.size]
    timed = [t for t in tokens if t.start is not None and t.end is not None]
    gaps = []
    for a, b in zip(timed, timed[1:]):
        if b.start - a.end >= th.pause_min_s - 1e-9:
            gaps.append((a.end, b.start))
    return gaps


def classify(duration: float, th: Thresholds) -> str:
    if duration < th.pause_brief_max_s:
        return "brief"
    if duration <= th.pause_medium_max_s:
        return "medium"
    return "long"


def analyze_pauses(tokens: list[Token], silences: list[tuple[float, float]], speaking_s: float | None,
                   th: Thresholds) -> dict:
    result = {
        "available": speaking_s is not None,
        "count": 0,
        "by_class": {"brief": 0, "medium": 0, "long": 0},
        "class_bounds_s": {"brief": [th.pause_min_s, th.pause_brief_max_s],
                           "medium": [th.pause_brief_max_s, th.pause_medium_max_s],
                           "long": [th.pause_medium_max_s, None]},
        "total_s": 0.0,
        "per_minute": None,
        "between_sentences": 0,
        "at_punctuation": 0,
        "inside_phrase": 0,
        "longest_s": None,
        "long_inside_sentence": [],
        "long_inside_sentence_s": th.pause_flag_inside_s,
        "items": [],
    }
    if speaking_s is None:
        return result
    timed = [t for t in tokens if t.mid is not None]
    mids = [t.mid for t in timed]
    items = []
    for s, e in silences:
        d = e - s
        cls = classify(d, th)
        centre = (s + e) / 2
        k = bisect.bisect_left(mids, centre)
        before = timed[k - 1] if k > 0 else None
        after = timed[k] if k < len(timed) else None
        if before is None or after is None:
            place = "inside_phrase"  # a silence with no word on one side: treat as a hesitation
        elif before.norm in DANGLING:
            place = "inside_phrase"
        elif before.sentence is not None and after.sentence is not None and before.sentence != after.sentence:
            place = "between_sentences"
        elif before.break_after or after.break_before:
            place = "at_punctuation"
        else:
            place = "inside_phrase"
        items.append({
            "start": round(float(s), 2), "end": round(float(e), 2), "duration": round(float(d), 2), "class": cls, "place": place,
            "sentence": (before or after).sentence if (before or after) else None,
            "after_word": before.norm if before else None, "before_word": after.norm if after else None,
            "char": before.end_char if before else None,
        })
    result["count"] = len(items)
    for it in items:
        result["by_class"][it["class"]] += 1
        result[it["place"]] += 1
    result["total_s"] = round(sum(it["duration"] for it in items), 2)
    result["per_minute"] = round(len(items) / (speaking_s / 60.0), 2) if speaking_s > 0 else None
    result["longest_s"] = max((it["duration"] for it in items), default=None)
    result["long_inside_sentence"] = [
        it for it in items if it["place"] != "between_sentences" and it["duration"] > th.pause_flag_inside_s
    ][:_MAX_ITEMS]
    # the brief ones are many and say little; list medium and long ones
    result["items"] = [it for it in items if it["class"] != "brief"][:_MAX_ITEMS]
    return result
