"""Loudness in dBFS over the active (speaking) frames, its variation, and clipping."""

from __future__ import annotations

import numpy as np

from .energy import Energy
from .thresholds import Thresholds


def analyze_loudness(energy: Energy, th: Thresholds, span: tuple[float, float] | None) -> dict:
    result: dict = {
        "available": True,
        "mean_dbfs": None,
        "peak_dbfs": round(20 * np.log10(energy.peak), 1) if energy.peak > 0 else None,
        "sd_db": None,
        "sd_db_min": th.loudness_flat_db_sd,
        "quiet_below_dbfs": th.loudness_quiet_dbfs,
        "timeline": [],
        "clipping": {
            "samples": energy.clipped_samples,
            "fraction": round(energy.clipped_samples / energy.sample_count, 6) if energy.sample_count else 0.0,
            "runs": energy.clipped_runs,
            "fraction_max": th.clipping_max_fraction,
        },
    }
    active = energy.active
    if span is not None:
        lo, hi = int(span[0] / energy.frame_s), int(np.ceil(span[1] / energy.frame_s))
        mask = np.zeros_like(active)
        mask[max(lo, 0):hi] = True
        active = active & mask
    if active.sum() < 10:
        result["available"] = False
        result["reason"] = "no speech loud enough to measure"
        return result
    db = energy.db.astype(np.float64)
    power = 10 ** (db / 10)
    result["mean_dbfs"] = round(float(10 * np.log10(power[active].mean())), 1)
    # level of each second of speech; the spread between seconds is what a listener hears as "flat"
    per_s = int(round(1.0 / energy.frame_s))
    n = len(db) // per_s
    if n:
        act = active[:n * per_s].reshape(n, per_s)
        pw = power[:n * per_s].reshape(n, per_s)
        counts = act.sum(axis=1)
        keep = counts >= per_s // 4  # seconds with at least 250 ms of speech
        levels = 10 * np.log10(np.where(keep, (pw * act).sum(axis=1) / np.maximum(counts, 1), 1e-12))
        secs = np.flatnonzero(keep)
        if secs.size >= 2:
            result["sd_db"] = round(float(np.std(levels[keep])), 2)
        stride = max(1, int(np.ceil(secs.size / 600)))
        result["timeline"] = [{"t": float(s) + 0.5, "dbfs": round(float(levels[s]), 1)} for s in secs[::stride]]
    return result
