"""Settings chosen in the window persist (settings.json) and take effect; the library folder
choice is remembered for the next start."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from narrative_coach.settings import load_settings
from ui_support import open_window, prepared_settings

pytestmark = pytest.mark.gui


def test_settings_dialog_saves_name_theme_model_and_microphone(qtbot, library_home):
    window = open_window(qtbot, prepared_settings(library_home))

    def fill_and_save() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None and dialog.windowTitle() == "Settings"
        dialog.author.setText("Mayor Ruiz")
        dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
        assert dialog.model.findData("tiny.en") >= 0  # the bundled model is offered
        dialog.accept()

    QTimer.singleShot(300, fill_and_save)
    window.open_settings()
    stored = load_settings(library_home)
    assert stored.author_name == "Mayor Ruiz"
    assert stored.theme == "dark"
    assert stored.model == "tiny.en"
    assert window.settings.author_name == "Mayor Ruiz"
    from narrative_coach.ui.theme import is_dark

    assert is_dark(QApplication.palette())
    assert "Settings saved" in window.banner.message
    # Back to light for the other tests sharing this QApplication.
    window.apply_settings(window.settings.with_changes(theme="light"))
    assert not is_dark(QApplication.palette())


def test_cancelling_the_dialog_changes_nothing(qtbot, library_home):
    window = open_window(qtbot, prepared_settings(library_home, author_name="Chief of staff"))
    QTimer.singleShot(300, lambda: QApplication.activeModalWidget().reject())
    window.open_settings()
    assert load_settings(library_home).author_name == "Chief of staff"


def test_library_folder_choice_is_remembered_for_the_next_start(monkeypatch, tmp_path):
    from narrative_coach.ui import settings_dialog

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("NARRATIVE_COACH_HOME", raising=False)
    chosen = tmp_path / "Speeches library"
    settings_dialog.remember_library_location(chosen)
    assert settings_dialog.library_location() == chosen
    # The environment still wins (tests, one-off runs).
    monkeypatch.setenv("NARRATIVE_COACH_HOME", str(tmp_path / "env-home"))
    assert settings_dialog.library_location() == tmp_path / "env-home"


def test_microphones_listed_from_the_audio_system(qtbot, library_home):
    from narrative_coach.audio.devices import AudioDevice
    from narrative_coach.ui.settings_dialog import SettingsDialog

    settings = prepared_settings(library_home, input_device="USB headset")
    mic = AudioDevice(3, "Desk microphone", "ALSA", 1, 0, 48000.0)
    dialog = SettingsDialog(settings, devices=[mic], models=[])
    qtbot.addWidget(dialog)
    names = [dialog.microphone.itemText(i) for i in range(dialog.microphone.count())]
    # The remembered device is kept (and says it is not connected) rather than silently dropped.
    assert names == ["System default", "Desk microphone", "USB headset (not connected)"]
    dialog.microphone.setCurrentIndex(1)
    assert dialog.result_settings().input_device == "Desk microphone"
    assert dialog.result() == QDialog.DialogCode.Rejected
