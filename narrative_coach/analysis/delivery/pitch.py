"""Pitch (F0) with YIN (de Cheveigne & Kawahara 2002), vectorised over frames with numpy FFTs.

Only frames the energy pass found active are analysed, at most `max_pitch_frames` of them (long
recordings are strided evenly), in batches, so memory stays bounded and a three-hour array costs
about as much as a ten-minute one. The signal is decimated to about 8 kHz inside each frame: speech
F0 sits below 400 Hz, and half the samples quarter the FFT work.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .energy import Energy
from .thresholds import Thresholds

_YIN_THRESHOLD = 0.15
_WINDOW_S = 0.025  # YIN integration window
_HOP_FRAMES = 2  # one pitch frame every 2 energy frames (20 ms): plenty for intonation, half the work
_BATCH = 4096


@dataclass(frozen=True)
class PitchTrack:
    times: np.ndarray  # frame centres (s)
    f0: np.ndarray  # Hz; NaN where unvoiced
    hop_s: float  # spacing of analysed frames when not strided
    strided: bool  # True when only a subset of active frames was analysed


def track_pitch(audio: np.ndarray, sample_rate: int, energy: Energy, th: Thresholds) -> PitchTrack:
    x = np.asarray(audio)
    if x.ndim > 1:
        x = x.mean(axis=1) if x.shape[1] < x.shape[0] else x.mean(axis=0)
    dec = max(1, int(round(sample_rate / 8000)))
    sr = sample_rate / dec
    win = int(round(_WINDOW_S * sr))
    tau_min = max(2, int(sr / th.pitch_max_hz))
    tau_max = int(np.ceil(sr / th.pitch_min_hz))
    n = win + tau_max + 1  # decimated samples per frame
    span = n * dec  # original samples per frame
    # Lags 0..tau_max of a window of `win` samples against the `n`-sample frame never wrap around
    # a circular correlation of length >= n, so no further zero padding is needed.
    fft_len = 1 << int(np.ceil(np.log2(n)))

    grid = energy.active.copy()
    grid[1::_HOP_FRAMES] = False
    active = np.flatnonzero(grid)
    strided = active.size > th.max_pitch_frames
    if strided:
        active = active[np.linspace(0, active.size - 1, th.max_pitch_frames).astype(np.int64)]
    hop = energy.frame_s * _HOP_FRAMES
    centres = (active + 0.5) * energy.frame_s
    starts = np.round(centres * sample_rate).astype(np.int64) - span // 2
    ok = (starts >= 0) & (starts + span <= len(x))
    starts, centres = starts[ok], centres[ok]
    f0 = np.full(starts.size, np.nan, dtype=np.float32)
    offsets = np.arange(0, span, dec, dtype=np.int64)
    for b0 in range(0, starts.size, _BATCH):
        idx = starts[b0:b0 + _BATCH, None] + offsets[None, :]
        frames = np.asarray(x[idx], dtype=np.float32)
        for k in range(1, dec):  # box-filter decimation: average the `dec` samples of each step
            frames += x[idx + k]
        if dec > 1:
            frames *= 1.0 / dec
        frames = np.nan_to_num(frames, copy=False)
        frames -= frames.mean(axis=1, keepdims=True)
        f0[b0:b0 + _BATCH] = _yin(frames, win, tau_min, tau_max, fft_len, sr)
    return PitchTrack(centres, f0, hop, bool(strided))


def _yin(frames: np.ndarray, win: int, tau_min: int, tau_max: int, fft_len: int, sr: float) -> np.ndarray:
    a = frames[:, :win]
    spec = np.conj(np.fft.rfft(a, fft_len)) * np.fft.rfft(frames, fft_len)
    r = np.fft.irfft(spec, fft_len)[:, :tau_max + 1]
    sq = np.concatenate((np.zeros((frames.shape[0], 1), np.float32), np.cumsum(frames ** 2, axis=1)), axis=1)
    taus = np.arange(tau_max + 1)
    e_tau = sq[:, taus + win] - sq[:, taus]
    d = np.maximum(sq[:, win:win + 1] + e_tau - 2.0 * r, 0.0)
    d[:, 0] = 0.0
    cum = np.cumsum(d[:, 1:], axis=1)
    cmnd = np.ones_like(d)
    with np.errstate(divide="ignore", invalid="ignore"):
        cmnd[:, 1:] = np.where(cum > 0, d[:, 1:] * taus[1:] / cum, 1.0)
    body = cmnd[:, tau_min:tau_max]
    # first dip under the threshold that has stopped falling: YIN's "absolute threshold" step
    cond = (body[:, :-1] < _YIN_THRESHOLD) & (body[:, :-1] <= body[:, 1:])
    has = cond.any(axis=1)
    k = np.argmax(cond, axis=1) + tau_min
    rows = np.arange(frames.shape[0])
    k = np.clip(k, 1, tau_max - 1)
    y0, y1, y2 = cmnd[rows, k - 1], cmnd[rows, k], cmnd[rows, k + 1]
    denom = y0 - 2 * y1 + y2
    with np.errstate(divide="ignore", invalid="ignore"):
        shift = np.where(np.abs(denom) > 1e-12, 0.5 * (y0 - y2) / denom, 0.0)
    shift = np.clip(np.nan_to_num(shift), -1.0, 1.0)
    f0 = sr / (k + shift)
    return np.where(has, f0, np.nan).astype(np.float32)


def _semitones(f0: np.ndarray) -> np.ndarray:
    ref = np.nanmedian(f0)
    st = 12.0 * np.log2(f0 / ref)
    # a jump of more than an octave from the speaker's median is an octave error, not intonation
    return st[np.abs(st) <= 12.0]


def analyze_pitch(track: PitchTrack, th: Thresholds, sentence_of) -> dict:
    voiced = ~np.isnan(track.f0)
    result: dict = {
        "available": True,
        "voiced_frames": int(voiced.sum()),
        "median_hz": None,
        "range_hz": None,
        "semitone_sd": None,
        "overall_semitone_sd": None,
        "semitone_sd_min": th.monotone_semitone_sd,
        "window_s": th.pitch_window_s,
        "timeline": [],
        "monotone_stretches": [],
        "strided": track.strided,
    }
    if voiced.sum() < 10:
        result["available"] = False
        result["reason"] = "no voiced speech found"
        return result
    f0 = track.f0[voiced].astype(np.float64)
    t = track.times[voiced]
    result["median_hz"] = round(float(np.median(f0)), 1)
    result["range_hz"] = [round(float(np.percentile(f0, 5)), 1), round(float(np.percentile(f0, 95)), 1)]
    st_all = _semitones(f0)
    result["overall_semitone_sd"] = round(float(np.std(st_all)), 2)
    window = th.pitch_window_s
    step = window / 2
    timeline = []
    t_end = float(t[-1])
    t0 = float(t[0])
    while True:
        sel = (t >= t0) & (t < t0 + window)
        if sel.sum() >= 15:  # at least 0.3 s of voiced frames
            timeline.append({"t": round(t0 + window / 2, 2), "start": round(t0, 2), "end": round(t0 + window, 2),
                             "semitone_sd": round(float(np.std(_semitones(f0[sel]))), 2)})
        if t0 + window >= t_end:
            break
        t0 += step
        if len(timeline) > 2000:  # far longer than any speech; stride keeps the report bounded
            step = max(step, (t_end - t0) / 500)
    result["timeline"] = [{"t": p["t"], "semitone_sd": p["semitone_sd"]} for p in timeline]
    sds = [p["semitone_sd"] for p in timeline]
    result["semitone_sd"] = round(float(np.median(sds)), 2) if sds else result["overall_semitone_sd"]
    flat = [p for p in timeline if p["semitone_sd"] < th.monotone_semitone_sd]
    merged: list[dict] = []
    for p in flat:
        if merged and p["start"] <= merged[-1]["end"]:
            merged[-1]["end"] = p["end"]
            merged[-1]["semitone_sd"] = min(merged[-1]["semitone_sd"], p["semitone_sd"])
        else:
            merged.append({"start": p["start"], "end": p["end"], "semitone_sd": p["semitone_sd"]})
    for m in merged:
        m["end"] = round(min(m["end"], t_end), 2)
        m["sentences"] = sentence_of(m["start"], m["end"])
    result["monotone_stretches"] = merged
    return result


def voiced_runs(track: PitchTrack, min_s: float = 0.0,
                max_s: float = float("inf")) -> list[tuple[float, float, float, float]]:
    """(start, end, semitone SD, mean log2 F0) of each run of consecutive voiced frames lasting min_s..max_s.

    Empty when the track is strided (frames are then not consecutive)."""
    if track.strided or track.f0.size == 0:
        return []
    voiced = ~np.isnan(track.f0)
    # a run breaks where voicing stops or where the analysed frames skip (silence between them)
    breaks = np.ones(track.f0.size, dtype=bool)
    breaks[1:] = (np.diff(track.times) > track.hop_s * 1.5) | ~voiced[:-1]
    starts = np.flatnonzero(voiced & breaks)
    if starts.size == 0:
        return []
    # each run ends at the next break (or unvoiced frame) after its start
    stop_points = np.flatnonzero(np.concatenate((breaks[1:] | ~voiced[1:], [True]))) + 1
    ends = stop_points[np.searchsorted(stop_points, starts, side="right")]
    dur = (ends - starts) * track.hop_s
    keep = (ends - starts >= 2) & (dur >= min_s) & (dur <= max_s)
    starts, ends = starts[keep], ends[keep]
    if starts.size == 0:
        return []
    logf = np.log2(np.where(voiced, track.f0, 1.0).astype(np.float64))
    c1 = np.concatenate(([0.0], np.cumsum(logf)))
    c2 = np.concatenate(([0.0], np.cumsum(logf * logf)))
    n = ends - starts
    mean = (c1[ends] - c1[starts]) / n
    var = np.maximum((c2[ends] - c2[starts]) / n - mean * mean, 0.0)
    sd = 12.0 * np.sqrt(var)  # SD in semitones: 12 x SD of log2(F0), whatever the reference
    half = track.hop_s / 2
    return [(float(track.times[a] - half), float(track.times[b - 1] + half), float(v), float(m))
            for a, b, v, m in zip(starts, ends, sd, mean)]
