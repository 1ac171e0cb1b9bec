"""A really full disk (a small tmpfs; needs root to mount, skipped otherwise): the recorder stops
and saves when free space drops under its reserve, and a write that hits ENOSPC keeps what was
written and offers it for recovery once space is freed."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from narrative_coach.audio.record import STOP_DISK_LOW, STOP_WRITE_ERROR, Recorder
from narrative_coach.audio.recovery import find_interrupted_takes, recover_take
from narrative_coach.settings import load_settings

pytestmark = pytest.mark.audio
MB = 1024 * 1024


@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "small-disk"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (the monkeypatched disk test covers the logic)")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


@pytest.fixture
def noise_into_mic(tmp_path):
    """Loud-ish noise played into the virtual microphone: FLAC cannot compress it away."""
    path = tmp_path / "noise.wav"
    rng = np.random.default_rng(3)
    sf.write(str(path), (0.2 * rng.standard_normal(48000 * 60)).astype(np.float32), 48000)
    player = subprocess.Popen(["paplay", str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    yield
    player.kill()
    player.wait()


def fill(folder: Path, leave_bytes: int) -> Path:
    filler = folder / "filler.bin"
    free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
    with open(filler, "wb") as fh:
        remaining = max(0, free - leave_bytes)
        chunk = b"\0" * MB
        try:
            while remaining > 0:
                fh.write(chunk[: min(MB, remaining)])
                remaining -= MB
            fh.flush()
        except OSError:
            pass
    return filler


def wait_for(rec: Recorder, seconds: float) -> None:
    deadline = time.monotonic() + 15
    while rec.elapsed_s < seconds and time.monotonic() < deadline:
        time.sleep(0.05)
    assert rec.elapsed_s >= seconds, "no audio from the virtual microphone"


def test_reserve_reached_on_a_real_disk_stops_and_saves(virtual_mic, small_disk, noise_into_mic, monkeypatch):
    monkeypatch.setenv("NARRATIVE_COACH_HOME", str(small_disk / "library"))
    settings = load_settings()
    rec = Recorder(settings, min_free_bytes=8 * MB)
    rec.start()
    wait_for(rec, 1.0)
    fill(small_disk, leave_bytes=6 * MB)  # under the 8 MB reserve, with room to finish the file
    assert rec.wait(10), "the recorder kept going on a nearly full disk"
    take = rec.stop()
    assert take.stopped_because == STOP_DISK_LOW
    assert sf.info(str(take.path)).duration == pytest.approx(take.duration_s, abs=0.01)
    assert take.duration_s >= 1.0
    assert find_interrupted_takes(settings) == []


def test_disk_full_mid_write_keeps_the_audio_for_recovery(virtual_mic, small_disk, noise_into_mic, monkeypatch):
    monkeypatch.setenv("NARRATIVE_COACH_HOME", str(small_disk / "library"))
    settings = load_settings()
    rec = Recorder(settings, min_free_bytes=0)  # no reserve: the write itself hits ENOSPC
    rec.start()
    wait_for(rec, 1.5)
    filler = fill(small_disk, leave_bytes=0)
    at_full = rec.elapsed_s
    assert rec.wait(15), "a write error did not end the take"
    take = rec.stop()
    assert take.stopped_because == STOP_WRITE_ERROR
    assert any("free some disk space" in w for w in take.warnings)
    filler.unlink()  # the user frees space
    [interrupted] = find_interrupted_takes(settings)
    assert interrupted.path == take.path
    recovered = recover_take(interrupted)
    assert sf.info(str(recovered)).duration >= at_full - 1.0
