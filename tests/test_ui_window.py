"""The window opens, shows the analysed sample on first run, has the shortcuts, accessible names
and a sensible minimum size, and shows errors a person can act on."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from ui_support import SHORT_SPEECH, open_window, prepared_settings, wait_saved

pytestmark = pytest.mark.gui


def test_first_run_analyses_the_sample_and_shows_its_full_report(qtbot, library_home):
    settings = prepared_settings(library_home, first_run_done=False)
    window = open_window(qtbot, settings)
    assert window.windowTitle() == "Narrative Coach"
    assert window.stack.currentWidget() is window.welcome
    assert wait_saved(qtbot, window) == "saved"
    assert window.welcome.sample.isEnabled()
    with qtbot.waitSignal(window.draft_shown, timeout=20000):
        window.welcome.sample.click()
    report = window.draft_view.draft.report
    assert report["schema"] == "narrative-coach/report@1"
    assert window.stack.currentWidget() is window.draft_view
    # The report view shows the real figures: overall score, seven elements, coaching points, cards.
    assert f"{report['scores']['overall']:.0f}" in window.draft_view.report.overall.text()
    assert window.draft_view.report.elements.text().count("<tr>") == 7
    assert window.draft_view.report.card_titles() == ["Pace", "Pauses", "Fillers and hedges", "Pitch variation",
                                                      "Loudness", "Readability"]
    # Typed text has no timing: the pace card says so instead of inventing a figure.
    assert "needs a recording" in window.draft_view.report.cards.itemAt(0).widget().accessibleDescription()
    # The first run is remembered: the next start does not analyse the sample again.
    from narrative_coach.settings import load_settings

    assert load_settings(library_home).first_run_done
    window.close()
    again = open_window(qtbot, load_settings(library_home))
    assert not again.welcome.sample.isVisible()
    assert again.sidebar.speech_count() == 1


def test_shortcuts_minimum_size_and_accessible_names(qtbot, library_home):
    window = open_window(qtbot, prepared_settings(library_home))
    keys = {a.text(): a.shortcut().toString() for a in window.findChildren(type(window.record_action))}
    assert keys["Record"] == QKeySequence("Ctrl+R").toString()
    assert keys["Import audio"] == QKeySequence("Ctrl+I").toString()
    assert keys["Find"] == QKeySequence("Ctrl+F").toString()
    assert window.space.key() == QKeySequence(Qt.Key.Key_Space)
    assert window.minimumWidth() >= 800 and window.minimumHeight() >= 560
    from PySide6.QtWidgets import QAbstractButton, QLineEdit

    unnamed = [w for w in window.findChildren(QAbstractButton) + window.findChildren(QLineEdit)
               if w.isVisibleTo(window) and not (w.accessibleName() or w.text().strip())]
    assert not unnamed, [type(w).__name__ for w in unnamed]


def test_a_bad_file_shows_a_banner_not_a_traceback(qtbot, library_home, tmp_path):
    window = open_window(qtbot, prepared_settings(library_home))
    bogus = tmp_path / "notes.wav"
    bogus.write_text("this is not audio at all")
    window.import_file(bogus)
    assert wait_saved(qtbot, window) == "failed"
    assert window.banner.isVisible()
    message = window.banner.message
    assert "Traceback" not in message and message
    assert window.sidebar.speech_count() == 0
    # Nothing is left pending for a file that could never be analysed.
    from narrative_coach.ui import pending

    qtbot.waitUntil(lambda: pending.load(window.settings) == [], timeout=10000)


def test_find_highlights_matches_in_the_transcript(qtbot, library_home):
    window = open_window(qtbot, prepared_settings(library_home))
    window.analyze_text(SHORT_SPEECH, "Shelter speech")
    assert wait_saved(qtbot, window) == "saved"
    qtbot.waitUntil(lambda: window.draft_view.draft is not None, timeout=20000)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    view = window.draft_view.transcript
    assert view.find_bar.isVisible()
    qtbot.keyClicks(view.find_edit, "we")
    assert view.match_count >= 1
    assert view.find_next()
    assert view.text.textCursor().selectedText().lower() == "we"


def test_the_window_starts_without_loading_whisper_or_audio_libraries(library_home):
    """Cold start stays light: faster-whisper, CTranslate2 and PortAudio load only when needed."""
    import json
    import subprocess
    import sys

    prepared_settings(library_home)
    child = (
        "import json, sys\n"
        "from narrative_coach.ui.app import create_window\n"
        "app, w = create_window()\n"
        "w.show()\n"
        "w.ready.connect(lambda: (print(json.dumps(sorted(m for m in ('faster_whisper', 'ctranslate2',"
        " 'sounddevice') if m in sys.modules))), app.quit()))\n"
        "app.exec()\n"
    )
    out = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_the_log_file_records_the_session_but_never_the_speech(library_home):
    """A real session in a fresh process: the log lands in the library folder, without the text."""
    import subprocess
    import sys

    prepared_settings(library_home)
    secret = "Zanzibar marmalade committee"
    child = (
        "from PySide6.QtCore import QTimer\n"
        "from narrative_coach.ui.app import create_window\n"
        "app, w = create_window()\n"
        "w.show()\n"
        f"w.ready.connect(lambda: w.analyze_text('When I was nine I joined the {secret}. "
        "We are a town that shows up. Vote on Tuesday.', 'Log check'))\n"
        "w.work_finished.connect(lambda s: (print(s), w.close(), app.quit()))\n"
        "QTimer.singleShot(90000, app.quit)\n"
        "app.exec()\n"
    )
    out = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, timeout=180)
    assert out.stdout.strip().splitlines()[-1] == "saved", out.stderr[-2000:]
    log = (library_home / "narrative-coach.log").read_text(encoding="utf-8")
    assert "window opened" in log and "saved draft" in log
    assert secret.lower() not in log.lower()
