"""Player through the virtual sound card: what it plays reaches the sink (recorded back from the
sink's monitor), and play/pause/seek/position behave."""

from __future__ import annotations

import time

import numpy as np
import pytest
import soundfile as sf

from narrative_coach.audio.meter import to_dbfs
from narrative_coach.audio.player import Player, PlayerState
from narrative_coach.audio.record import Recorder
from narrative_coach.errors import UserError
from speech_helpers import join_wavs, silence, speak

pytestmark = pytest.mark.audio


@pytest.fixture
def speech(espeak, tmp_path):
    words = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
    return join_wavs([speak(words, tmp_path / "w.wav"), silence(0.5)], tmp_path / "speech.wav")


def test_missing_file_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="does not exist"):
        Player(tmp_path / "nope.flac")


def test_play_pause_seek_and_position(virtual_mic, speech, settings):
    duration = sf.info(str(speech)).duration
    with Player(speech, settings=settings) as player:
        assert player.duration_s == pytest.approx(duration, abs=0.01)
        assert player.state == PlayerState.STOPPED and player.position == 0.0
        player.play()
        # Opening the ALSA->PulseAudio device can take a second on a busy machine; from the first
        # sound on, the position follows the wall clock.
        deadline = time.monotonic() + 10
        while player.position < 0.3 and time.monotonic() < deadline:
            time.sleep(0.01)
        start, t0 = player.position, time.monotonic()
        time.sleep(1.0)
        advanced = player.position - start
        assert advanced == pytest.approx(time.monotonic() - t0, abs=0.3), advanced
        player.pause()
        frozen = player.position
        time.sleep(0.5)
        assert player.state == PlayerState.PAUSED
        assert player.position == pytest.approx(frozen, abs=1e-6)
        player.seek(duration - 1.0)
        assert player.position == pytest.approx(duration - 1.0, abs=0.01)
        player.play()
        assert player.wait(10), "playback did not reach the end"
        assert player.state == PlayerState.FINISHED
        assert player.position == pytest.approx(duration, abs=0.01)
        # Seeking after the end and playing again works (a second listen).
        player.seek(0.5)
        assert player.state == PlayerState.PAUSED
        player.play()
        time.sleep(0.5)
        assert player.state == PlayerState.PLAYING and player.position >= 0.5
        player.pause()


def test_what_plays_reaches_the_sound_card(virtual_mic, speech, settings):
    # Record the null sink's monitor while the player plays into the sink.
    rec = Recorder(settings)
    rec.start()
    deadline = time.monotonic() + 10
    while rec.elapsed_s < 0.3 and time.monotonic() < deadline:
        time.sleep(0.05)
    with Player(speech, settings=settings) as player:
        player.play()
        assert player.wait(15)
    time.sleep(0.5)
    take = rec.stop()
    audio, rate = sf.read(str(take.path), dtype="float32")
    frame = rate // 10
    loud = [to_dbfs(float(np.sqrt(np.mean(audio[i : i + frame] ** 2)))) > -45 for i in range(0, len(audio) - frame, frame)]
    voiced_s = sum(loud) / 10
    played = sf.read(str(speech), dtype="float32")[0]
    expected = sum(
        to_dbfs(float(np.sqrt(np.mean(played[i : i + 2205] ** 2)))) > -45 for i in range(0, len(played) - 2205, 2205)
    ) / 10
    assert voiced_s == pytest.approx(expected, abs=0.6)


PLAYER_CHILD = """
import sys, time
from pathlib import Path
from narrative_coach.audio.player import Player
p = Player(Path(sys.argv[1]))
p.play()
print("playing", flush=True)
ended = p.wait(30)
print("ended" if ended else "timeout", p.state, p.lost_device, round(p.position, 2), flush=True)
"""


def test_output_device_gone_mid_playback_pauses_and_says_so(virtual_mic, espeak, tmp_path):
    import subprocess
    import sys

    from test_recording_faults import _start_private_pulse

    long_speech = join_wavs(
        [speak("This sentence keeps going while the headphones are pulled out of the laptop.", tmp_path / "a.wav"),
         silence(6.0)],
        tmp_path / "long.wav",
    )
    pulse, env, run_dir = _start_private_pulse()
    try:
        child = subprocess.Popen(
            [sys.executable, "-c", PLAYER_CHILD, str(long_speech)], env=env,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        assert child.stdout.readline().strip() == "playing"
        time.sleep(2.5)
        pulse.kill()
        pulse.wait(10)
        out, err = child.communicate(timeout=40)
    finally:
        if pulse.poll() is None:
            pulse.kill()
        import shutil

        shutil.rmtree(run_dir, ignore_errors=True)
    assert child.returncode == 0, err
    ended, state, lost, position = out.split()
    assert ended == "ended" and state == PlayerState.PAUSED and lost == "True"
    assert 0.5 < float(position) < sf.info(str(long_speech)).duration - 2
