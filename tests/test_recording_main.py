"""The main path, for real: espeak-ng speech played into the virtual microphone (PulseAudio null
sink, started by scripts/test.sh), recorded by the Recorder, transcribed by the real model."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import jiwer
import pytest
import soundfile as sf

from narrative_coach.audio.record import STOP_MAX_LENGTH, STOP_USER, Recorder, RecorderState
from narrative_coach.audio.recovery import find_interrupted_takes
from speech_helpers import join_wavs, silence, speak

pytestmark = pytest.mark.audio

SENTENCE = "Our city kept its promise to the families on Maple Street, and tonight I ask you to help."


def play(path: Path) -> subprocess.Popen:
    """Play a file into the default sink (the virtual microphone's speaker side)."""
    return subprocess.Popen(["paplay", str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_until(cond, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.05)
    return cond()


@pytest.mark.slow
def test_record_a_spoken_sentence_and_transcribe_it(virtual_mic, espeak, settings, tmp_path):
    from narrative_coach.transcription import transcribe

    speech = speak(SENTENCE, tmp_path / "sentence.wav")
    speech_s = sf.info(str(speech)).duration
    rec = Recorder(settings)
    path = rec.start()
    assert rec.state == RecorderState.RECORDING
    assert wait_until(lambda: rec.elapsed_s > 0.2, 10), "no audio arrived from the virtual microphone"
    player = play(speech)
    peaks = []
    while player.poll() is None:
        peaks.append(rec.levels().peak_dbfs)
        time.sleep(1 / 30)
    time.sleep(0.7)  # let the tail of the sentence come through
    take = rec.stop()

    assert take.path == path and path.is_file()
    assert take.stopped_because == STOP_USER
    assert take.overflows == 0
    info = sf.info(str(path))
    assert info.channels == 1 and info.samplerate == take.sample_rate
    assert abs(info.duration - take.duration_s) < 0.01
    # The take holds the whole sentence plus the lead-in and tail, not much more.
    assert speech_s + 0.3 < take.duration_s < speech_s + 6.0
    # The meter saw speech at a sensible level while it was playing.
    assert max(peaks) > -30.0
    assert not find_interrupted_takes(settings)

    transcript = transcribe(path, settings=settings)
    error = jiwer.wer(
        jiwer.RemovePunctuation()(SENTENCE.lower()), jiwer.RemovePunctuation()(transcript.text.lower()).strip()
    )
    assert error <= 0.25, transcript.text
    assert abs(transcript.duration_s - take.duration_s) < 0.1
    # Words sit where the sentence was played, inside the take.
    assert transcript.words and 0.0 <= transcript.words[0].start < transcript.words[-1].end <= take.duration_s + 0.05


def test_pause_leaves_the_paused_audio_out(virtual_mic, espeak, settings, tmp_path):
    # Beep-free check with speech: record ~1 s, pause during a 2 s sentence, resume; the take is
    # shorter than the wall time by about the pause.
    speech = join_wavs([speak("one two three four five six seven eight", tmp_path / "a.wav"), silence(1.0)], tmp_path / "b.wav")
    rec = Recorder(settings)
    rec.start()
    assert wait_until(lambda: rec.elapsed_s > 0.2, 10)
    player = play(speech)
    time.sleep(1.0)
    rec.pause()
    assert rec.state == RecorderState.PAUSED
    frozen = rec.elapsed_s
    time.sleep(1.5)
    assert rec.elapsed_s - frozen < 0.15  # nothing written while paused (allow one block in flight)
    assert rec.levels().t > 0  # but the meter keeps running so the user sees the mic is alive
    rec.resume()
    time.sleep(1.0)
    player.wait(10)
    take = rec.stop()
    t0 = rec.levels().t
    assert take.duration_s < t0 - 1.2


def test_maximum_length_ends_and_keeps_the_take(virtual_mic, settings):
    rec = Recorder(settings, max_seconds=1.5)
    rec.start()
    assert rec.wait(15), "the take did not end at its maximum length"
    take = rec.stop()
    assert take.stopped_because == STOP_MAX_LENGTH
    assert take.duration_s == pytest.approx(1.5, abs=0.01)
    assert sf.info(str(take.path)).duration == pytest.approx(1.5, abs=0.01)
    assert any("maximum length" in w for w in take.warnings)


def test_digital_silence_is_reported(virtual_mic, settings):
    # Nothing plays into the sink: its monitor delivers exact zeros, like a muted microphone.
    rec = Recorder(settings)
    rec.start()
    assert wait_until(lambda: rec.levels().silent, 12), "three seconds of zeros went unnoticed"
    take = rec.stop()
    assert any("hear nothing" in w for w in take.warnings)
    assert take.duration_s >= 3.0


def test_discard_deletes_the_take(virtual_mic, settings):
    rec = Recorder(settings)
    path = rec.start()
    assert wait_until(lambda: rec.elapsed_s > 0.3, 10)
    rec.discard()
    assert not path.exists() and not list(settings.takes_dir.iterdir())
    assert rec.state == RecorderState.STOPPED
