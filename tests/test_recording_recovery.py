"""Interrupted takes: found at start, repaired, discarded; a recorder killed with SIGKILL leaves a
readable take with the audio up to about a second before the kill."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from narrative_coach.audio.recovery import (
    TakeMarker,
    discard_take,
    find_interrupted_takes,
    recover_take,
    repair_wav_header,
)
from narrative_coach.errors import UserError
from speech_helpers import speak

RATE = 48000


def tone(seconds: float) -> np.ndarray:
    return (0.3 * np.sin(2 * np.pi * 220 * np.arange(int(RATE * seconds)) / RATE)).astype(np.float32)


def _crashed_take(folder: Path, fmt: str, seconds: float) -> Path:
    """Write a take in a child process that is SIGKILLed before closing the file."""
    folder.mkdir(parents=True, exist_ok=True)
    audio = folder / f"take-crash.{fmt.lower()}"
    code = f"""
import os, numpy as np, soundfile as sf
from pathlib import Path
from narrative_coach.audio.recovery import TakeMarker
path = Path({str(audio)!r})
TakeMarker(path, {{"started_at": "2026-01-01T20:00:00", "device": "test", "sample_rate": {RATE}}})
f = sf.SoundFile(str(path), "w", samplerate={RATE}, channels=1, format="{fmt}", subtype="PCM_16")
x = (0.3 * np.sin(2 * np.pi * 220 * np.arange({RATE}) / {RATE})).astype(np.float32)
for _ in range({int(seconds)}):
    f.write(x); f.flush()
os.kill(os.getpid(), 9)
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    return audio


@pytest.mark.parametrize("fmt", ["FLAC", "WAV"])
def test_killed_writer_leaves_a_take_that_is_found_and_repaired(settings, fmt):
    audio = _crashed_take(settings.takes_dir, fmt, 4)
    found = find_interrupted_takes(settings)
    assert [t.path for t in found] == [audio]
    assert found[0].device == "test" and found[0].sample_rate == RATE and found[0].estimated_s > 0
    path = recover_take(found[0])
    info = sf.info(str(path))
    assert 3.9 <= info.duration <= 4.0  # FLAC loses at most the last partial block
    data, _ = sf.read(str(path), dtype="float32")
    assert np.max(np.abs(data)) == pytest.approx(0.3, abs=0.01)
    assert find_interrupted_takes(settings) == []
    marker = json.loads(path.with_name(path.stem + ".take.json").read_text())
    assert marker["state"] == "recovered"


def test_a_take_still_being_recorded_is_not_offered(settings):
    settings.takes_dir.mkdir(parents=True)
    audio = settings.takes_dir / "take-live.flac"
    sf.write(str(audio), tone(1.0), RATE)
    marker = TakeMarker(audio, {"started_at": "now", "device": "d", "sample_rate": RATE})
    try:
        assert find_interrupted_takes(settings) == []  # its lock is held
    finally:
        marker.release()
    # The lock is gone but the state still says "recording": that is an interrupted take.
    assert [t.path for t in find_interrupted_takes(settings)] == [audio]
    marker2 = TakeMarker(audio, {"started_at": "now", "device": "d", "sample_rate": RATE})
    marker2.complete(duration_s=1.0)
    assert find_interrupted_takes(settings) == []


def test_discard_removes_the_take_and_its_marker(settings):
    audio = _crashed_take(settings.takes_dir, "FLAC", 1)
    [take] = find_interrupted_takes(settings)
    discard_take(take)
    assert not audio.exists() and not take.marker.exists()


def test_wav_header_with_zero_sizes_is_rewritten(tmp_path):
    path = tmp_path / "t.wav"
    sf.write(str(path), tone(2.0), RATE, subtype="PCM_16")
    raw = bytearray(path.read_bytes())
    data_at = raw.index(b"data")
    raw[4:8] = b"\0\0\0\0"
    raw[data_at + 4 : data_at + 8] = b"\0\0\0\0"
    raw += b"\x01"  # half a sample at the end, as a kill mid-write can leave
    path.write_bytes(bytes(raw))
    assert repair_wav_header(path) == 2 * RATE
    assert sf.info(str(path)).frames == 2 * RATE


def test_a_take_with_no_audio_cannot_be_recovered(settings):
    settings.takes_dir.mkdir(parents=True)
    audio = settings.takes_dir / "take-empty.flac"
    audio.write_bytes(b"fLaC")
    marker = TakeMarker(audio, {"started_at": "x", "device": "d", "sample_rate": RATE})
    marker.release()
    [take] = find_interrupted_takes(settings)
    with pytest.raises(UserError):
        recover_take(take)
    assert audio.exists()  # nothing is deleted without the user asking


RECORDER_CHILD = """
import sys, time
from narrative_coach.settings import load_settings
from narrative_coach.audio.record import Recorder
rec = Recorder(load_settings())
print("PATH", rec.start(), flush=True)
while True:
    print("ELAPSED", rec.elapsed_s, flush=True)
    time.sleep(0.05)
"""


@pytest.mark.audio
def test_recorder_killed_mid_take_keeps_audio_up_to_a_second_before(virtual_mic, espeak, settings, tmp_path):
    speech = speak(
        "We rebuilt the library after the fire, and every family on this street carried books back in. "
        "Now the school needs the same from us.",
        tmp_path / "s.wav",
    )
    child = subprocess.Popen(
        [sys.executable, "-c", RECORDER_CHILD], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    player = subprocess.Popen(["paplay", str(speech)])
    try:
        path = None
        elapsed = 0.0
        start = time.monotonic()
        while elapsed < 4.0 and time.monotonic() - start < 30:
            line = child.stdout.readline()
            if line.startswith("PATH"):
                path = Path(line.split(None, 1)[1].strip())
            elif line.startswith("ELAPSED"):
                elapsed = float(line.split()[1])
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
    finally:
        player.kill()
        child.kill()
    assert path is not None and elapsed >= 4.0
    [take] = find_interrupted_takes(settings)
    assert take.path == path
    recovered = recover_take(take)
    duration = sf.info(str(recovered)).duration
    assert elapsed - 1.0 <= duration <= elapsed + 0.5
    audio, _ = sf.read(str(recovered), dtype="float32")
    assert np.max(np.abs(audio)) > 0.05  # the speech is in it


def test_a_torn_marker_still_offers_the_take(settings):
    audio = _crashed_take(settings.takes_dir, "FLAC", 1)
    marker = audio.with_name(audio.stem + ".take.json")
    marker.write_text('{"started_at": "2026-01-01T20:0')  # cut off mid-write
    [take] = find_interrupted_takes(settings)
    assert take.path == audio
    assert sf.info(str(recover_take(take))).duration == pytest.approx(1.0, abs=0.1)


def test_a_take_cut_in_the_middle_of_a_frame_keeps_every_whole_frame(settings):
    audio = _crashed_take(settings.takes_dir, "FLAC", 4)
    size = audio.stat().st_size
    with open(audio, "r+b") as fh:
        fh.truncate(size * 5 // 8 + 3)  # power cut: the tail never reached the disk
    [take] = find_interrupted_takes(settings)
    duration = sf.info(str(recover_take(take))).duration
    assert 2.0 <= duration <= 2.7  # ~5/8 of 4 s, less the broken frame
