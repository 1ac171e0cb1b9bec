"""The window stays responsive while a 4-minute recording is transcribed and analysed.

A 10 ms precise timer runs on the GUI thread during the whole import (decode, Whisper in its
spawned child, analysis, saving); every tick records how late it fired. benchmarks/ui_latency.py
prints the same figures.

A control runs beside it: a separate, trivial process that sleeps 10 ms in a loop and records
its own lateness. On a shared, overloaded machine that control is also late by hundreds of
milliseconds at times (the CPU run queue), so it tells what the machine imposes on any process.

Asserted: 99 % of GUI ticks are less than 100 ms late, and the worst GUI tick is under 100 ms or
no more than 100 ms worse than the control's worst (the window itself adds less than 100 ms).
On a quiet machine the worst tick measured 82 ms with no allowance needed."""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtCore import Qt, QTimer

from conftest import AUDIO_CORPUS
from ui_support import open_window, prepared_settings, wait_saved

pytestmark = [pytest.mark.gui, pytest.mark.slow]

TICK_MS = 10
BOUND_MS = 100.0

CONTROL = r"""
import sys, time
late, end, last = [], time.perf_counter() + float(sys.argv[1]), time.perf_counter()
while time.perf_counter() < end:
    time.sleep(0.01)
    now = time.perf_counter()
    late.append((now - last) * 1000 - 10)
    last = now
    if sys.stdin in __import__("select").select([sys.stdin], [], [], 0)[0]:
        break
late.sort()
print(late[len(late) // 2], late[int(0.99 * (len(late) - 1))], late[-1])
"""


class ControlProbe:
    """The same 10 ms lateness measured by a separate, idle Python process."""

    def __init__(self, max_seconds: float = 900.0) -> None:
        import subprocess
        import sys

        self.proc = subprocess.Popen([sys.executable, "-c", CONTROL, str(max_seconds)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)

    def stop(self) -> dict:
        out, _ = self.proc.communicate("stop\n", timeout=30)
        median, p99, worst = (float(v) for v in out.split())
        return {"median_ms": median, "p99_ms": p99, "max_ms": worst}


def four_minute_file(out: Path) -> Path:
    """The 32 LJ Speech clips of the corpus, end to end (about 4 minutes)."""
    clips = sorted((AUDIO_CORPUS / "ljspeech").glob("LJ*.wav"))
    assert len(clips) == 32, "the LJ Speech clips are missing from ../shared/corpus/audio/ljspeech"
    parts, rate = [], None
    for clip in clips:
        data, sr = sf.read(str(clip), dtype="float32", always_2d=True)
        rate = rate or sr
        assert sr == rate
        parts.append(data.mean(axis=1))
    sf.write(str(out), np.concatenate(parts), rate)
    return out


class LatencyProbe:
    def __init__(self) -> None:
        self.late_ms: list[float] = []
        self._last = None
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        if self._last is not None:
            late = max(0.0, (now - self._last) * 1000 - TICK_MS)
            self.late_ms.append(late)
            if late > self.worst[0]:
                self.worst = (late, now - self._start)
        self._last = now

    def start(self) -> None:
        self._last = None
        self._start = time.perf_counter()
        self.worst = (0.0, 0.0)
        self.timer.start()

    def stop(self) -> dict:
        self.timer.stop()
        late = sorted(self.late_ms)
        return {"ticks": len(late), "median_ms": statistics.median(late),
                "p99_ms": late[int(0.99 * (len(late) - 1))], "max_ms": late[-1], "worst_at_s": self.worst[1]}


def test_gui_thread_latency_while_a_four_minute_file_is_transcribed(qtbot, library_home, tmp_path):
    audio = four_minute_file(tmp_path / "ljspeech_4min.wav")
    assert sf.info(str(audio)).duration > 200
    window = open_window(qtbot, prepared_settings(library_home))
    probe = LatencyProbe()
    control = ControlProbe()
    probe.start()
    started = time.perf_counter()
    window.import_file(audio)
    assert wait_saved(qtbot, window, timeout=900000) == "saved"
    figures = probe.stop()
    figures["control"] = control.stop()
    figures["work_s"] = round(time.perf_counter() - started, 1)
    figures["load_average"] = os.getloadavg()[0]
    print(f"\nGUI event-loop latency during a 4-minute import: {figures}")
    qtbot.waitUntil(lambda: window.draft_view.draft is not None, timeout=20000)
    assert window.draft_view.draft.duration_s > 200
    assert figures["ticks"] > 100
    assert figures["p99_ms"] < BOUND_MS, figures
    assert figures["max_ms"] < BOUND_MS or figures["max_ms"] < figures["control"]["max_ms"] + BOUND_MS, figures
