"""Import a real recording (espeak-ng -> Whisper tiny.en -> analysis) through the window: the
transcript is timed, a click on a word asks to play from that word, playback highlights the
current word; drag and drop imports too; Cancel stops the work and keeps nothing half-done."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QTextCursor

from speech_helpers import join_wavs, silence, speak
from ui_support import open_window, prepared_settings, wait_saved

pytestmark = [pytest.mark.gui, pytest.mark.slow]

TEXT = ("When I was young the river flooded our street. We rebuilt it together. "
        "Tonight I ask you to vote on Tuesday.")


@pytest.fixture(scope="module")
def speech_wav(tmp_path_factory, espeak):  # noqa: ANN001
    folder = tmp_path_factory.mktemp("ui-audio")
    a = speak("When I was young the river flooded our street. We rebuilt it together.", folder / "a.wav")
    b = speak("Tonight I ask you to vote on Tuesday.", folder / "b.wav")
    return join_wavs([a, silence(1.6), b], folder / "river_speech.wav")


def test_import_audio_gives_a_timed_transcript_click_to_seek_and_word_highlight(qtbot, library_home, speech_wav):
    window = open_window(qtbot, prepared_settings(library_home))
    window.import_file(speech_wav)
    assert window.work_box.isVisible()
    assert wait_saved(qtbot, window, timeout=300000) == "saved"
    qtbot.waitUntil(lambda: window.draft_view.draft is not None, timeout=20000)
    draft = window.draft_view.draft
    assert draft.speech_title == "river speech"  # named after the file when no speech is selected
    assert draft.source == "imported" and draft.audio_path is not None
    report = draft.report
    assert "river" in report["text"].lower()
    assert window.play_action.isEnabled()

    view = window.draft_view.transcript
    assert view.has_timing
    # The long pause between the two parts is marked inline.
    assert "‖" in view.text.toPlainText()
    # Click on the word "Tuesday": the view asks to play from that word's start time.
    words = report["transcript"]["words"]
    tuesday = next(w for w in words if "tuesday" in w["word"].lower())
    at = report["text"].lower().index("tuesday")
    cursor = QTextCursor(view.text.document())
    cursor.setPosition(view.doc_pos(at) + 2)
    point = view.text.cursorRect(cursor).center()
    with qtbot.waitSignal(view.seek_requested, timeout=5000) as sig:
        qtbot.mouseClick(view.text.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert sig.args[0] == pytest.approx(tuesday["start"], abs=0.01)
    # During playback the word being spoken is highlighted.
    view.set_position(tuesday["start"] + 0.01)
    assert view.current_word.lower().startswith("tuesday")
    view.set_position(None)
    assert view.current_word is None

    # The report has measured delivery for a recording: pace with its recommended range.
    pace_card = window.draft_view.report.cards.itemAt(0).widget()
    assert "words per minute" in pace_card.accessibleDescription()
    assert "recommended" in pace_card.accessibleDescription()


def test_drop_a_file_on_the_window_imports_it(qtbot, library_home, speech_wav):
    window = open_window(qtbot, prepared_settings(library_home))
    script = speech_wav.parent / "toast.txt"
    script.write_text("We are a town that shows up. I ask you to join us on Saturday at nine.", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(script))])
    event = QDropEvent(QPointF(200, 200), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    assert wait_saved(qtbot, window) == "saved"
    qtbot.waitUntil(lambda: window.draft_view.draft is not None, timeout=20000)
    assert window.draft_view.draft.speech_title == "toast"
    assert window.draft_view.draft.source == "typed"


def test_cancel_stops_transcription_and_saves_nothing(qtbot, library_home, tmp_path, espeak):
    window = open_window(qtbot, prepared_settings(library_home))
    clip = speak("This take is long enough to cancel while it is being transcribed. " * 6, tmp_path / "long.wav")
    window.import_file(clip)
    qtbot.wait(1500)
    window.cancel_button.click()
    assert wait_saved(qtbot, window, timeout=120000) == "cancelled"
    assert "Stopped" in window.banner.message
    assert window.sidebar.speech_count() == 0
    assert not window.work_box.isVisible()
    from narrative_coach.ui import pending

    qtbot.waitUntil(lambda: pending.load(window.settings) == [], timeout=10000)
