"""Frame energy of the decoded audio: the base for pauses, loudness, voicing and speaking span.

Computed in chunks over 10 ms frames so a three-hour array (173 M samples) costs one pass and a few
megabytes, never a second copy of the signal.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FRAME_S = 0.010
_CHUNK_FRAMES = 6000  # one minute of 10 ms frames per pass
_FLOOR_DB = -100.0


@dataclass(frozen=True)
class Energy:
    db: np.ndarray  # RMS level of each 10 ms frame in dBFS (floored at -100)
    threshold_db: float  # frames above are "sound" (speech or noise loud enough to matter)
    active: np.ndarray  # bool per frame
    frame_s: float
    peak: float  # largest absolute sample
    clipped_samples: int  # samples at (or beyond) full scale
    clipped_runs: int  # runs of 3+ consecutive full-scale samples: the audible kind
    sample_count: int

    @property
    def duration_s(self) -> float:
        return len(self.db) * self.frame_s

    def first_active(self) -> float | None:
        idx = np.flatnonzero(self.active)
        return float(idx[0] * self.frame_s) if idx.size else None

    def last_active(self) -> float | None:
        idx = np.flatnonzero(self.active)
        return float((idx[-1] + 1) * self.frame_s) if idx.size else None


def frame_energy(audio: np.ndarray, sample_rate: int) -> Energy:
    x = np.asarray(audio)
    if x.ndim > 1:
        x = x.mean(axis=1) if x.shape[1] < x.shape[0] else x.mean(axis=0)
    hop = max(1, int(round(sample_rate * FRAME_S)))
    n_frames = len(x) // hop
    db = np.full(n_frames, _FLOOR_DB, dtype=np.float32)
    peak = 0.0
    clipped = 0
    runs = 0
    for f0 in range(0, n_frames, _CHUNK_FRAMES):
        f1 = min(n_frames, f0 + _CHUNK_FRAMES)
        chunk = np.asarray(x[f0 * hop:f1 * hop], dtype=np.float32)
        chunk = np.nan_to_num(chunk, nan=0.0, posinf=1.0, neginf=-1.0)
        frames = chunk.reshape(f1 - f0, hop)
        power = np.einsum("ij,ij->i", frames, frames) / hop
        db[f0:f1] = np.maximum(10.0 * np.log10(np.maximum(power, 1e-12)), _FLOOR_DB)
        a = np.abs(chunk)
        if a.size:
            peak = max(peak, float(a.max()))
        full = a >= 0.999
        clipped += int(full.sum())
        if full.any():
            # three full-scale samples in a row: a flat-topped wave, not a single loud peak
            triple = full[:-2] & full[1:-1] & full[2:]
            starts = triple & ~np.concatenate(([False], triple[:-1]))
            runs += int(starts.sum())
    threshold = _threshold(db)
    active = db > threshold
    active = _close_gaps(active, 3)  # bridge 30 ms dips inside a syllable
    return Energy(db, threshold, active, FRAME_S, peak, clipped, runs, len(x))


def _threshold(db: np.ndarray) -> float:
    """Speech/silence cut: 35 dB under the loud frames, but above the noise floor."""
    if db.size == 0:
        return 0.0
    loud = float(np.percentile(db, 95))
    floor = float(np.percentile(db, 10))
    if loud <= -75.0:  # nothing but (near) digital silence
        return loud + 1.0
    return max(loud - 35.0, min(floor + 6.0, loud - 15.0), -75.0)


def _close_gaps(mask: np.ndarray, max_gap: int) -> np.ndarray:
    """Fill runs of False no longer than `max_gap` frames that sit between True frames."""
    if mask.size == 0 or max_gap <= 0:
        return mask
    out = mask.copy()
    starts, ends = runs_of(~mask)
    for s, e in zip(starts, ends):
        if s > 0 and e < mask.size and e - s <= max_gap:
            out[s:e] = True
    return out


def runs_of(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (exclusive) indexes of the runs of True in a bool array."""
    if mask.size == 0:
        return np.array([], dtype=int), np.array([], dtype=int)
    padded = np.concatenate(([False], mask, [False])).astype(np.int8)
    diff = np.diff(padded)
    return np.flatnonzero(diff == 1), np.flatnonzero(diff == -1)
