"""The delivery score (0..100): a weighted mean of per-metric scores, over the metrics available.

Each metric scores 100 inside its recommended range and loses points with the distance outside it,
so the score moves with the same thresholds the feedback quotes.
"""

from __future__ import annotations

from .thresholds import Thresholds

WEIGHTS = {"pace": 0.25, "fillers": 0.2, "pitch": 0.15, "pauses": 0.1, "loudness": 0.1, "hedges": 0.1,
           "readability": 0.1}


def _clip(v: float) -> float:
    return max(0.0, min(100.0, v))


def component_scores(d: dict, th: Thresholds) -> dict[str, float]:
    s: dict[str, float] = {}
    wpm = d.get("wpm")
    if wpm is not None:
        off = max(0.0, wpm - th.wpm_max, th.wpm_min - wpm)
        s["pace"] = _clip(100 - 2.5 * off)
    f = d.get("fillers") or {}
    if f.get("per_minute") is not None:
        s["fillers"] = _clip(100 - 15 * max(0.0, f["per_minute"] - th.fillers_per_minute_max) - 5 * min(f["per_minute"], th.fillers_per_minute_max))
    elif f.get("per_100_words") is not None:
        s["fillers"] = _clip(100 - 15 * max(0.0, f["per_100_words"] - th.fillers_percent_max) - 5 * min(f["per_100_words"], th.fillers_percent_max))
    h = d.get("hedges") or {}
    if h.get("per_minute") is not None:
        s["hedges"] = _clip(100 - 15 * max(0.0, h["per_minute"] - th.hedges_per_minute_max))
    elif h.get("per_100_words") is not None:
        s["hedges"] = _clip(100 - 20 * max(0.0, h["per_100_words"] - th.hedges_per_100_words_max))
    p = d.get("pauses") or {}
    if p.get("available"):
        s["pauses"] = _clip(100 - 20 * len(p.get("long_inside_sentence") or []))
    pitch = d.get("pitch") or {}
    if pitch.get("available") and pitch.get("semitone_sd") is not None:
        s["pitch"] = _clip(100 * pitch["semitone_sd"] / th.monotone_semitone_sd)
    loud = d.get("loudness") or {}
    if loud.get("available") and loud.get("mean_dbfs") is not None:
        v = 100.0
        if loud.get("sd_db") is not None and loud["sd_db"] < th.loudness_flat_db_sd:
            v -= 40 * (1 - loud["sd_db"] / th.loudness_flat_db_sd)
        if loud["mean_dbfs"] < th.loudness_quiet_dbfs:
            v -= 3 * (th.loudness_quiet_dbfs - loud["mean_dbfs"])
        if (loud.get("clipping") or {}).get("fraction", 0) > th.clipping_max_fraction:
            v -= 30
        s["loudness"] = _clip(v)
    r = d.get("readability") or {}
    if r.get("grade") is not None:
        s["readability"] = _clip(100 - 8 * max(0.0, r["grade"] - th.grade_max))
    return {k: round(v, 1) for k, v in s.items()}


def delivery_score(components: dict[str, float]) -> float:
    if not components:
        return 0.0
    total = sum(WEIGHTS[k] for k in components)
    return round(sum(WEIGHTS[k] * v for k, v in components.items()) / total, 1)
