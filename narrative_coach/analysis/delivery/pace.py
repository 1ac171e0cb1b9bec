"""Speaking rate: overall words per minute over speaking time, a rolling timeline, and the
stretches that run too fast or too slow."""

from __future__ import annotations

import bisect

from .thresholds import Thresholds
from .tokens import Token

# Disfluencies are not words a listener has to follow; they do not count towards the pace.
_NOT_WORDS = {"um", "uh", "er", "erm", "ah", "uhm", "hmm", "mm", "mhm"}


def speaking_span(tokens: list[Token], audio_first: float | None, audio_last: float | None) -> tuple[float, float] | None:
    """First word onset to last word offset, tightened by the audio's first and last sound."""
    timed = [t for t in tokens if t.start is not None and t.end is not None]
    if not timed:
        return None
    start = min(t.start for t in timed)
    end = max(t.end for t in timed)
    # Whisper often starts the first word at 0.0 over leading silence; the audio knows better.
    if audio_first is not None and audio_first - 0.05 > start and audio_first < end:
        start = audio_first - 0.05
    if audio_last is not None and audio_last + 0.05 < end and audio_last > start:
        end = audio_last + 0.05
    return (start, end) if end > start else None


def analyze_pace(tokens: list[Token], span: tuple[float, float] | None, th: Thresholds, sentence_of) -> dict:
    timed = [t for t in tokens if t.mid is not None and t.norm not in _NOT_WORDS]
    result = {
        "available": False,
        "wpm": None,
        "wpm_range": [th.wpm_min, th.wpm_max],
        "word_count": len(timed),
        "speaking_time_s": None,
        "wpm_timeline": [],
        "window_s": th.wpm_window_s,
        "fast_stretches": [],
        "slow_stretches": [],
    }
    if span is None or not timed:
        return result
    start, end = span
    seconds = end - start
    result["available"] = True
    result["speaking_time_s"] = round(seconds, 2)
    result["wpm"] = round(len(timed) / seconds * 60.0, 1) if seconds > 0 else None
    mids = sorted(t.mid for t in timed)
    timeline = _timeline(mids, start, end, th)
    result["wpm_timeline"] = timeline
    rates = sentence_rates(timed)
    result["sentence_wpm"] = rates
    result["fast_stretches"] = _narrow(_stretches(timeline, lambda w: w > th.wpm_max, th, sentence_of, "fast"),
                                       [r for r in rates if r["wpm"] > th.wpm_max])
    result["slow_stretches"] = _narrow(_stretches(timeline, lambda w: w < th.wpm_min, th, sentence_of, "slow"),
                                       [r for r in rates if r["wpm"] < th.wpm_min])
    return result


def sentence_rates(timed: list[Token], min_words: int = 5) -> list[dict]:
    """Each sentence's own rate: its words over the time from its first word to its last."""
    groups: dict[int, list[Token]] = {}
    for t in timed:
        if t.sentence is not None:
            groups.setdefault(t.sentence, []).append(t)
    out = []
    for idx, toks in sorted(groups.items()):
        t0, t1 = min(t.start for t in toks), max(t.end for t in toks)
        if len(toks) >= min_words and t1 - t0 > 0:
            out.append({"sentence": idx, "start": round(t0, 2), "end": round(t1, 2),
                        "wpm": round(len(toks) / (t1 - t0) * 60.0, 1)})
    return out


def _narrow(stretches: list[dict], off_sentences: list[dict]) -> list[dict]:
    """Point a stretch at the sentences inside it that are themselves out of range.

    A rolling window straddles the calm sentence before a rushed passage; the coach should quote
    the rushed one. Without such sentences the stretch keeps the sentences it overlaps."""
    for st in stretches:
        inside = [r for r in off_sentences if r["end"] > st["start"] and r["start"] < st["end"]]
        st["sentence_wpm"] = None
        if inside:
            st["sentences"] = [r["sentence"] for r in inside]
            # rate while actually speaking those sentences (the pauses between them left out)
            st["sentence_wpm"] = round(sorted(r["wpm"] for r in inside)[len(inside) // 2], 1)
            st["start"] = max(st["start"], inside[0]["start"])
            st["end"] = min(st["end"], inside[-1]["end"])
    return stretches


def _timeline(mids: list[float], start: float, end: float, th: Thresholds) -> list[dict]:
    window = th.wpm_window_s
    step = max(th.wpm_step_s, 0.5)
    total = end - start
    if total <= window:
        return [{"t": round(start + total / 2, 2), "wpm": round(len(mids) / total * 60.0, 1)}]
    # Keep the timeline a few hundred points long however long the recording is.
    step = max(step, total / 400.0)
    points = []
    t0 = start
    while True:
        t1 = min(t0 + window, end)
        t0 = t1 - window
        n = bisect.bisect_left(mids, t1) - bisect.bisect_left(mids, t0)
        points.append({"t": round(t0 + window / 2, 2), "wpm": round(n / window * 60.0, 1)})
        if t1 >= end:
            break
        t0 += step
    return points


def _stretches(timeline: list[dict], bad, th: Thresholds, sentence_of, kind: str) -> list[dict]:
    half = th.wpm_window_s / 2
    out: list[dict] = []
    current: dict | None = None
    for point in timeline:
        if bad(point["wpm"]):
            lo, hi = point["t"] - half, point["t"] + half
            if current and lo <= current["end"]:
                current["end"] = hi
                current["_rates"].append(point["wpm"])
            else:
                current = {"kind": kind, "start": lo, "end": hi, "_rates": [point["wpm"]]}
                out.append(current)
        else:
            current = None
    # stretches a window apart are one stretch: the dip between them is the window's own smoothing
    merged: list[dict] = []
    for s in out:
        if merged and s["start"] <= merged[-1]["end"]:
            merged[-1]["end"] = max(merged[-1]["end"], s["end"])
            merged[-1]["_rates"] += s["_rates"]
        else:
            merged.append(s)
    out = merged
    for s in out:
        rates = s.pop("_rates")
        s["start"] = round(max(s["start"], 0.0), 2)
        s["end"] = round(s["end"], 2)
        s["wpm"] = round(max(rates) if kind == "fast" else min(rates), 1)
        s["sentences"] = sentence_of(s["start"], s["end"])
    return out
