"""Record through the window with the virtual microphone (PulseAudio null sink started by
scripts/test.sh): the big button, timer, live meter, pause/resume, stop, then transcription and
analysis in the background. Closing the window while recording keeps the take, and the next
start offers it; a take interrupted by a crash is offered too."""

from __future__ import annotations

import subprocess
import time

import pytest

from speech_helpers import speak
from ui_support import open_window, prepared_settings, wait_saved

pytestmark = [pytest.mark.gui, pytest.mark.audio]

SENTENCE = "Tonight I ask every one of you to come to the council meeting on Tuesday."


def _play(path) -> subprocess.Popen:  # noqa: ANN001
    return subprocess.Popen(["paplay", str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.mark.slow
def test_record_pause_resume_stop_then_the_report(qtbot, library_home, virtual_mic, espeak, tmp_path):
    window = open_window(qtbot, prepared_settings(library_home))
    task = window.create_speech("Council ask", target_minutes=2)
    qtbot.waitUntil(lambda: task.done and window.sidebar.current_speech() is not None, timeout=20000)
    panel = window.record_panel
    window.record_action.trigger()
    assert window.stack.currentWidget() is panel
    assert panel.recording
    assert panel.target_bar.isVisible()
    qtbot.waitUntil(lambda: panel.recorder.elapsed_s > 0.3, timeout=10000)
    player = _play(speak(SENTENCE, tmp_path / "ask.wav"))
    loudest = -200.0
    while player.poll() is None:
        qtbot.wait(40)
        loudest = max(loudest, panel.meter.peak)
    qtbot.wait(600)
    assert loudest > -40, "the level meter never moved while speech was playing"
    panel.pause_button.click()
    assert panel.paused
    paused_at = panel.recorder.elapsed_s
    qtbot.wait(700)
    assert panel.recorder.elapsed_s - paused_at < 0.3  # nothing is written while paused
    panel.pause_button.click()
    assert not panel.paused
    qtbot.wait(300)
    assert panel.timer_label.text().startswith("00:0")
    panel.record_button.click()  # Stop
    assert not panel.recording
    assert panel.work_box.isVisible()
    assert wait_saved(qtbot, window, timeout=300000) == "saved"
    qtbot.waitUntil(lambda: window.draft_view.draft is not None, timeout=20000)
    draft = window.draft_view.draft
    assert draft.speech_title == "Council ask" and draft.source == "recorded"
    assert "council" in draft.report["text"].lower()
    assert window.stack.currentWidget() is window.draft_view


def test_closing_the_window_while_recording_keeps_the_take(qtbot, library_home, virtual_mic):
    settings = prepared_settings(library_home)
    window = open_window(qtbot, settings)
    window.show_record()
    qtbot.waitUntil(lambda: window.record_panel.recorder.elapsed_s > 0.5, timeout=10000)
    path = window.record_panel.recorder.path
    window.close()
    assert path.is_file() and path.stat().st_size > 0
    # The next start offers to finish it.
    again = open_window(qtbot, settings)
    assert again.banner.isVisible()
    assert "recorded take" in again.banner.message
    assert again.banner.action.text() == "Finish now"
    from narrative_coach.ui import pending

    entries = pending.load(settings)
    assert [e.kind for e in entries] == ["take"] and entries[0].path == str(path)


def test_a_take_interrupted_by_a_crash_is_offered_at_start(qtbot, library_home, virtual_mic, espeak, tmp_path):
    """A child process records and is killed mid-take; the window finds, repairs and analyses it."""
    settings = prepared_settings(library_home)
    speech = speak(SENTENCE, tmp_path / "ask.wav")
    child = subprocess.Popen(
        [_python(), "-c",
         "import sys, time; from narrative_coach.settings import load_settings; "
         "from narrative_coach.audio.record import Recorder; "
         f"r = Recorder(load_settings()); r.start(); print('go', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "go"
    _play(speech).wait()
    time.sleep(1.5)  # at least one flush after the speech
    child.kill()
    child.wait()
    window = open_window(qtbot, settings)
    assert "interrupted" in window.banner.message
    window.banner.action.click()  # Finish now
    assert wait_saved(qtbot, window, timeout=300000) == "saved"
    qtbot.waitUntil(lambda: window.draft_view.draft is not None, timeout=20000)
    assert window.draft_view.draft.source == "recorded"
    assert "council" in window.draft_view.draft.report["text"].lower()


def _python() -> str:
    import sys

    return sys.executable


@pytest.mark.slow
def test_play_from_a_clicked_word_highlights_the_words_as_they_are_heard(qtbot, library_home, virtual_mic,
                                                                         espeak, tmp_path):
    from PySide6.QtCore import Qt

    window = open_window(qtbot, prepared_settings(library_home))
    window.import_file(speak(SENTENCE, tmp_path / "council.wav"))
    assert wait_saved(qtbot, window, timeout=300000) == "saved"
    qtbot.waitUntil(lambda: window.draft_view.draft is not None, timeout=20000)
    view = window.draft_view.transcript
    words = window.draft_view.draft.report["transcript"]["words"]
    council = next(w for w in words if "council" in w["word"].lower())
    window.draft_view.tabs.setCurrentIndex(1)
    window.seek(council["start"])  # what a click on "council" does
    assert window.play_action.text() == "Pause"
    qtbot.waitUntil(lambda: (view.current_word or "").lower().startswith("council"), timeout=5000)
    # Playback moves on: a later word is highlighted, then Space pauses.
    qtbot.waitUntil(lambda: window.player.position > council["end"] + 0.3, timeout=10000)
    qtbot.waitUntil(lambda: not (view.current_word or "").lower().startswith("council"), timeout=5000)
    window.activateWindow()
    window.toggle_play()
    assert window.play_action.text() == "Play"
    paused_at = window.player.position
    qtbot.wait(400)
    assert abs(window.player.position - paused_at) < 0.05
