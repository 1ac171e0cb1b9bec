"""Level meter maths (pure numpy, no device)."""

from __future__ import annotations

import numpy as np
import pytest

from narrative_coach.audio.meter import FLOOR_DBFS, LevelMeter, to_dbfs

RATE = 48000


def sine(amplitude: float, seconds: float, freq: float = 440.0) -> np.ndarray:
    t = np.arange(int(RATE * seconds)) / RATE
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def test_dbfs_of_full_scale_half_and_silence():
    assert to_dbfs(1.0) == 0.0
    assert to_dbfs(0.5) == pytest.approx(-6.02, abs=0.01)
    assert to_dbfs(0.0) == FLOOR_DBFS


def test_sine_rms_and_peak():
    meter = LevelMeter(RATE)
    meter.feed(sine(0.5, 0.5))
    lv = meter.levels()
    assert lv.peak_dbfs == pytest.approx(-6.02, abs=0.1)
    assert lv.rms_dbfs == pytest.approx(-9.03, abs=0.1)  # sine RMS = peak / sqrt(2)
    assert not lv.clipping and not lv.silent
    assert lv.t == pytest.approx(0.5, abs=1 / 30)


def test_about_thirty_readings_a_second_whatever_the_block_size():
    meter = LevelMeter(RATE)
    times = set()
    signal = sine(0.3, 1.0)
    for start in range(0, len(signal), 700):  # odd block size
        meter.feed(signal[start : start + 700])
        times.add(meter.levels().t)
    assert 29 <= len(times) <= 31


def test_clipping_is_flagged_and_held_for_a_second():
    meter = LevelMeter(RATE)
    meter.feed(sine(1.0, 0.1))
    assert meter.levels().clipping and meter.levels().clipped_samples > 0
    meter.feed(sine(0.1, 0.5))
    assert meter.levels().clipping  # still held so a 30 Hz display cannot miss it
    meter.feed(sine(0.1, 0.6))
    assert not meter.levels().clipping


def test_digital_silence_after_three_seconds_but_not_a_quiet_room():
    meter = LevelMeter(RATE)
    meter.feed(np.zeros(int(RATE * 2.9), dtype=np.float32))
    assert not meter.levels().silent
    meter.feed(np.zeros(int(RATE * 0.2), dtype=np.float32))
    assert meter.levels().silent and meter.levels().silent_s >= 3.0
    # Room noise at -70 dBFS is not digital silence: the warning clears.
    rng = np.random.default_rng(1)
    meter.feed((rng.standard_normal(RATE) * 10 ** (-70 / 20)).astype(np.float32))
    assert not meter.levels().silent


def test_silence_is_not_counted_while_paused():
    meter = LevelMeter(RATE)
    meter.feed(np.zeros(RATE * 5, dtype=np.float32), count_silence=False)
    assert not meter.levels().silent
