"""Time spent on each part of the public narrative (self / us / now / other)."""

from __future__ import annotations

import re

from .thresholds import Thresholds

PARTS = ("self", "us", "now", "other")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['\u2019-][A-Za-z0-9]+)*")


def analyze_parts_time(sentences: list[dict], th: Thresholds, timed: bool) -> dict:
    out = {p: {"seconds": 0.0 if timed else None, "estimated_seconds": None, "share": 0.0, "words": 0,
               "sentences": 0} for p in PARTS}
    total_words = 0
    total_seconds = 0.0
    for s in sentences:
        part = s.get("part") if s.get("part") in PARTS else "other"
        n = len(_WORD.findall(str(s.get("text", ""))))
        out[part]["words"] += n
        out[part]["sentences"] += 1
        total_words += n
        start, end = s.get("start_s"), s.get("end_s")
        if timed and isinstance(start, (int, float)) and isinstance(end, (int, float)) and end > start:
            out[part]["seconds"] += end - start
            total_seconds += end - start
    for p in PARTS:
        entry = out[p]
        if timed and total_seconds > 0:
            entry["seconds"] = round(entry["seconds"], 2)
            entry["share"] = round(entry["seconds"] / total_seconds, 3)
        elif total_words:
            entry["share"] = round(entry["words"] / total_words, 3)
        # what it would take to say at an easy pace: useful for a typed draft and a time limit
        entry["estimated_seconds"] = round(entry["words"] / th.typed_wpm * 60.0, 1)
    out["basis"] = "seconds" if timed and total_seconds > 0 else "words"
    out["typed_wpm"] = th.typed_wpm
    return out
