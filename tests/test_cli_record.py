"""`narrative-coach record` and `devices` end to end through the virtual microphone."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import jiwer
import pytest
import soundfile as sf

from speech_helpers import join_wavs, silence, speak

CLI = [sys.executable, "-m", "narrative_coach"]
SPEECH = (
    "When the river flooded my street, my neighbours came with pumps at two in the morning. "
    "That is who we are. Vote yes on the levee bond this Tuesday."
)

pytestmark = pytest.mark.audio


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout)


@pytest.mark.slow
def test_record_transcribe_analyse_and_store_a_draft(virtual_mic, espeak, settings, tmp_path):
    speech = join_wavs([silence(1.0), speak(SPEECH, tmp_path / "s.wav")], tmp_path / "speech.wav")
    speech_s = sf.info(str(speech)).duration
    seconds = round(speech_s + 3.0)
    proc = subprocess.Popen(
        [*CLI, "record", "--seconds", str(seconds), "--speech", "Levee bond", "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    time.sleep(1.0)
    subprocess.run(["paplay", str(speech)], check=True, timeout=60)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    report = json.loads(out)
    assert report["schema"] == "narrative-coach/report@1"
    assert report["duration_s"] == pytest.approx(seconds, abs=0.1)
    clean = jiwer.RemovePunctuation()
    assert jiwer.wer(clean(SPEECH.lower()), clean(report["text"].lower()).strip()) <= 0.3, report["text"]
    assert "Recording from" in err and "REC " in err and "Saved as draft 1 of 'Levee bond'" in err

    from narrative_coach.app.library import Library

    library = Library.open(settings)
    try:
        [draft] = library.history("Levee bond")
        assert draft.source == "recorded" and draft.has_audio
        assert draft.duration_s == pytest.approx(seconds, abs=0.1)
    finally:
        library.close()
    # The library holds its own copy; the take itself is cleared away.
    assert not list(settings.takes_dir.glob("*.flac"))


def test_ctrl_c_stops_and_keeps_the_take(virtual_mic, settings):
    proc = subprocess.Popen([*CLI, "record", "--no-analyze"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(4.0)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    path = out.strip()
    assert path.endswith(".flac") and "Saved the take" in err
    assert 1.0 < sf.info(path).duration < 4.5
    marker = json.loads(open(path[: -len(".flac")] + ".take.json").read())
    assert marker["state"] == "complete" and marker["stopped_because"] == "stopped"


def test_bad_seconds_is_a_usage_error():
    out = run("record", "--seconds", "0")
    assert out.returncode == 2 and "--seconds must be more than 0" in out.stderr


def test_devices_lists_and_remembers_the_microphone(virtual_mic, settings):
    out = run("devices", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["inputs"] and any(d["is_default_input"] for d in data["inputs"])
    name = data["inputs"][-1]["name"]
    chosen = run("devices", "--use", name)
    assert chosen.returncode == 0 and f"Will record from '{name}'" in chosen.stdout
    assert "(remembered)" in chosen.stdout
    from narrative_coach.settings import load_settings

    assert load_settings(settings.home).input_device == name
    missing = run("devices", "--use", "No Such Microphone")
    assert missing.returncode == 2 and "no input device called" in missing.stderr


def test_recover_repairs_an_interrupted_take(settings):
    from test_recording_recovery import _crashed_take

    audio = _crashed_take(settings.takes_dir, "FLAC", 2)
    notice = run("record", "--seconds", "0")  # any record run mentions it before anything else
    assert "interrupted take" in notice.stderr
    out = run("record", "--recover")
    assert out.returncode == 0 and out.stdout.strip() == str(audio)
    assert sf.info(str(audio)).duration == pytest.approx(2.0, abs=0.1)
