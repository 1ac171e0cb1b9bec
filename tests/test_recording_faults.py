"""What goes wrong on a real laptop: no microphone, the remembered one unplugged, the sound
server gone mid-take, the disk filling up. Each keeps the take (or refuses cleanly) and says so."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
import soundfile as sf

from narrative_coach.audio import record as record_mod
from narrative_coach.audio.record import STOP_DISK_LOW, Recorder
from narrative_coach.errors import UserError

CLI = [sys.executable, "-m", "narrative_coach"]


def test_no_input_device_at_all_is_a_clear_error(tmp_path):
    # A sound server that is not there: PortAudio finds no device at all.
    env = dict(os.environ, PULSE_SERVER="unix:/nonexistent/pulse/native")
    out = subprocess.run([*CLI, "record", "--no-analyze"], capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 2, out.stderr
    assert "No microphone was found" in out.stderr
    assert "Traceback" not in out.stderr
    assert len([l for l in out.stderr.splitlines() if l.startswith("narrative-coach:")]) == 1
    devices = subprocess.run([*CLI, "devices"], capture_output=True, text=True, env=env, timeout=60)
    assert devices.returncode == 2 and "No audio devices" in devices.stderr


@pytest.mark.audio
def test_remembered_device_gone_falls_back_to_default_with_a_message(virtual_mic, settings):
    settings = settings.with_changes(input_device="USB Headset that was unplugged")
    rec = Recorder(settings)
    rec.start()
    try:
        assert rec.device is not None and rec.device.is_default_input
        assert any("USB Headset that was unplugged" in w and "default" in w for w in rec.warnings)
    finally:
        take = rec.stop()
    assert take.path.is_file()


@pytest.mark.audio
def test_an_explicit_device_that_does_not_exist_is_refused(virtual_mic, settings):
    with pytest.raises(UserError, match="no input device called 'Studio Mic 9000'"):
        Recorder(settings, "Studio Mic 9000").start()
    assert not settings.takes_dir.exists() or not list(settings.takes_dir.glob("*.flac"))


@pytest.mark.audio
def test_disk_running_low_stops_and_saves_the_take(virtual_mic, settings, monkeypatch):
    calls = {"n": 0}

    def fake_free(folder: Path) -> int:
        calls["n"] += 1
        return 50 * 1024**3 if calls["n"] == 1 else 10 * 1024**2  # plenty at start, then 10 MB

    monkeypatch.setattr(record_mod, "free_bytes", fake_free)
    rec = Recorder(settings)
    rec.start()
    assert rec.wait(20), "recording did not stop when the disk ran low"
    take = rec.stop()
    assert take.stopped_because == STOP_DISK_LOW
    assert any("almost full" in w for w in take.warnings)
    assert sf.info(str(take.path)).duration == pytest.approx(take.duration_s, abs=0.01)


@pytest.mark.audio
def test_too_little_disk_space_refuses_to_start(virtual_mic, settings, monkeypatch):
    monkeypatch.setattr(record_mod, "free_bytes", lambda folder: 20 * 1024**2)
    with pytest.raises(UserError, match="almost full"):
        Recorder(settings).start()


def _start_private_pulse() -> tuple[subprocess.Popen, dict[str, str], Path]:
    run_dir = Path(tempfile.mkdtemp(prefix="nc-rec-test-"))
    xdg = run_dir / "xdg"
    xdg.mkdir(mode=0o700)
    env = dict(os.environ, XDG_RUNTIME_DIR=str(xdg))
    env.pop("PULSE_SERVER", None)
    proc = subprocess.Popen(
        ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--disallow-exit", "--disable-shm=yes",
         "--load=module-native-protocol-unix", "--load=module-null-sink sink_name=nc_lost_sink rate=48000"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        if subprocess.run(["pactl", "info"], env=env, capture_output=True).returncode == 0:
            break
        time.sleep(0.1)
    subprocess.run(["pactl", "set-default-source", "nc_lost_sink.monitor"], env=env, check=True)
    return proc, env, run_dir


@pytest.mark.audio
def test_sound_server_stopped_mid_take_saves_the_take_and_says_so(virtual_mic, settings):
    if not shutil.which("pulseaudio"):
        pytest.fail("pulseaudio is not installed: run scripts/test.sh")
    # A private server, so stopping it does not disturb the rest of the test session.
    pulse, env, run_dir = _start_private_pulse()
    try:
        child = subprocess.Popen(
            [*CLI, "record", "--no-analyze", "--json"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        # Wait for the CLI to say it is recording (opening the device can take seconds on a busy
        # machine), then let it record a couple of seconds before the device vanishes.
        err_lines: list[str] = []
        recording = threading.Event()

        def _read_stderr() -> None:
            for line in child.stderr:
                err_lines.append(line)
                if line.startswith("Recording from"):
                    recording.set()

        reader = threading.Thread(target=_read_stderr, daemon=True)
        reader.start()
        assert recording.wait(60), "".join(err_lines)
        time.sleep(3.5)  # sound reaches the stream about a second after it opens
        pulse.kill()  # like yanking the USB headset: the device vanishes
        pulse.wait(10)
        out = child.stdout.read()
        child.wait(30)
        reader.join(10)
        err = "".join(err_lines)
    finally:
        if pulse.poll() is None:
            pulse.kill()
        shutil.rmtree(run_dir, ignore_errors=True)
    assert child.returncode == 0, err
    take = json.loads(out)
    assert take["stopped_because"] == "device_lost"
    assert "stopped sending sound" in err and "saved" in err
    assert "Traceback" not in err
    info = sf.info(take["path"])
    assert info.duration == pytest.approx(take["duration_s"], abs=0.01)
    assert 0.5 <= info.duration <= 5.0
