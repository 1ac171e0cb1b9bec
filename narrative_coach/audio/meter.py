"""Level meter for live recording: RMS and peak in dBFS about 30 times a second, clipping, and
"we hear nothing" after a few seconds of digital silence.

Pure numpy, no Qt, no audio I/O: the recorder's writer thread feeds it mono blocks and the window
reads the latest `Levels` (an immutable value swapped in one assignment, so reading it from another
thread needs no lock).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

FLOOR_DBFS = -100.0
# One step of 16-bit audio: anything quieter is digital silence, i.e. the microphone sends zeros
# (muted, disconnected in software, wrong device) rather than a quiet room.
DIGITAL_SILENCE = 1.0 / 32768.0
CLIP_LEVEL = 0.999
SILENCE_WARNING_S = 3.0
CLIP_HOLD_S = 1.0


def to_dbfs(value: float) -> float:
    """Amplitude (1.0 = full scale) to dBFS, floored so silence is a finite number."""
    if value <= 0.0:
        return FLOOR_DBFS
    return max(FLOOR_DBFS, 20.0 * math.log10(value))


@dataclass(frozen=True)
class Levels:
    """The latest meter reading.

    `rms_dbfs`/`peak_dbfs` cover the last ~1/30 s window; `clipping` stays true for a second after
    a clipped sample so a 30 Hz display cannot miss it; `silent` is true once the input has been
    digital silence for `SILENCE_WARNING_S` seconds; `t` is the audio time of the reading.
    """

    rms_dbfs: float = FLOOR_DBFS
    peak_dbfs: float = FLOOR_DBFS
    clipping: bool = False
    clipped_samples: int = 0
    silent: bool = False
    silent_s: float = 0.0
    t: float = 0.0


class LevelMeter:
    """Turns a stream of mono float32 blocks into `Levels` readings at `rate_hz`."""

    def __init__(
        self,
        sample_rate: int,
        *,
        rate_hz: float = 30.0,
        silence_warning_s: float = SILENCE_WARNING_S,
    ) -> None:
        self.sample_rate = int(sample_rate)
        self.window = max(1, int(round(self.sample_rate / rate_hz)))
        self.silence_warning_s = silence_warning_s
        self._buffer = np.zeros(self.window, dtype=np.float32)
        self._filled = 0
        self._samples_seen = 0
        self._silent_samples = 0
        self._clipped_total = 0
        self._last_clip_sample = -(10**12)
        self._latest = Levels()

    def levels(self) -> Levels:
        return self._latest

    def reset_silence(self) -> None:
        """Forget the silence run (e.g. while paused, silence is expected)."""
        self._silent_samples = 0

    def feed(self, samples: np.ndarray, *, count_silence: bool = True) -> None:
        """Add mono samples; emits a new reading each time a window fills."""
        pos = 0
        n = len(samples)
        while pos < n:
            take = min(self.window - self._filled, n - pos)
            self._buffer[self._filled : self._filled + take] = samples[pos : pos + take]
            self._filled += take
            pos += take
            if self._filled == self.window:
                self._emit(count_silence)
                self._filled = 0

    def _emit(self, count_silence: bool) -> None:
        block = self._buffer
        self._samples_seen += self.window
        peak = float(np.max(np.abs(block)))
        rms = float(np.sqrt(np.mean(np.square(block, dtype=np.float64))))
        clipped = int(np.count_nonzero(np.abs(block) >= CLIP_LEVEL))
        if clipped:
            self._clipped_total += clipped
            self._last_clip_sample = self._samples_seen
        if not count_silence:
            self._silent_samples = 0
        elif peak < DIGITAL_SILENCE:
            self._silent_samples += self.window
        else:
            self._silent_samples = 0
        silent_s = self._silent_samples / self.sample_rate
        self._latest = Levels(
            rms_dbfs=to_dbfs(rms),
            peak_dbfs=to_dbfs(peak),
            clipping=(self._samples_seen - self._last_clip_sample) <= CLIP_HOLD_S * self.sample_rate,
            clipped_samples=self._clipped_total,
            silent=silent_s >= self.silence_warning_s,
            silent_s=silent_s,
            t=self._samples_seen / self.sample_rate,
        )
