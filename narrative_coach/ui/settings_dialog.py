"""Settings: microphone, speech model, library folder, your name (author of notes), appearance.

Saved with `narrative_coach.settings.save_settings`, so the command line sees the same choices.
The library folder itself cannot live inside settings.json (which is stored in that folder): the
window remembers it in a one-line pointer file in the user's config folder (see `library_location`).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QWidget)

from narrative_coach.settings import ENV_HOME, Settings, default_home, remember_home

THEMES = (("system", "Follow the system (light or dark)"), ("light", "Light"), ("dark", "Dark"))


def library_location() -> Path:
    """The library folder: NARRATIVE_COACH_HOME, else the folder chosen in Settings, else the default."""
    return default_home()


def remember_library_location(folder: Path) -> None:
    remember_home(folder)


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None, *, devices: list | None = None,
                 models: list | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setMinimumWidth(520)
        self.settings = settings
        form = QFormLayout(self)

        self.microphone = QComboBox()
        self.microphone.setAccessibleName("Microphone")
        self.microphone.addItem("System default", None)
        for dev in devices or []:
            self.microphone.addItem(dev.name, dev.name)
        if settings.input_device and self.microphone.findData(settings.input_device) < 0:
            self.microphone.addItem(f"{settings.input_device} (not connected)", settings.input_device)
        self.microphone.setCurrentIndex(max(0, self.microphone.findData(settings.input_device)))
        form.addRow("&Microphone", self.microphone)

        self.model = QComboBox()
        self.model.setAccessibleName("Speech model")
        for m in models or []:
            self.model.addItem(f"{m.name} ({'English only' if m.english_only else 'multilingual'})", m.name)
        if self.model.findData(settings.model) < 0:
            self.model.addItem(settings.model, settings.model)
        self.model.setCurrentIndex(max(0, self.model.findData(settings.model)))
        form.addRow("Speech &model", self.model)
        if "model" in settings.env_overrides:
            self.model.setEnabled(False)
            self.model.setToolTip("Set by NARRATIVE_COACH_MODEL for this session.")

        folder_row = QHBoxLayout()
        self.folder = QLineEdit(str(settings.home))
        self.folder.setAccessibleName("Library folder")
        browse = QPushButton("Choose…")
        browse.setAccessibleName("Choose the library folder")
        browse.clicked.connect(self._browse)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        form.addRow("Library folder", folder_row)
        note = QLabel("Holds your speeches, recordings and the log file. A new folder is used from the next start.")
        note.setWordWrap(True)
        form.addRow("", note)
        if os.environ.get(ENV_HOME):
            self.folder.setEnabled(False)
            browse.setEnabled(False)
            note.setText(f"Set by {ENV_HOME} for this session.")

        self.author = QLineEdit(settings.author_name)
        self.author.setPlaceholderText("Shown as the author of your notes")
        self.author.setAccessibleName("Your name")
        form.addRow("Your &name", self.author)

        self.theme = QComboBox()
        self.theme.setAccessibleName("Appearance")
        for key, label in THEMES:
            self.theme.addItem(label, key)
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.theme)))
        form.addRow("&Appearance", self.theme)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Library folder", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def chosen_folder(self) -> Path:
        return Path(self.folder.text().strip() or str(self.settings.home)).expanduser()

    def result_settings(self) -> Settings:
        return self.settings.with_changes(
            input_device=self.microphone.currentData(),
            model=self.model.currentData() or self.settings.model,
            author_name=self.author.text().strip(),
            theme=self.theme.currentData(),
        )
