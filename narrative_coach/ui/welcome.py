"""The first page a new user sees: what the app does in three lines, three ways to start, and
the bundled sample speech (analysed in the background on first run) one click away."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from narrative_coach.ui.icons import icon


class WelcomePage(QWidget):
    record_clicked = Signal()
    import_clicked = Signal()
    paste_clicked = Signal()
    sample_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Welcome")
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        box = QVBoxLayout()
        title = QLabel("Welcome to Narrative Coach")
        f = title.font()
        f.setPointSizeF(f.pointSizeF() * 2)
        f.setBold(True)
        title.setFont(f)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box.addWidget(title)
        intro = QLabel(
            "Rehearse a speech in private. Narrative Coach listens on this computer only, then tells you "
            "how well you tell your <b>story of self</b>, the <b>story of us</b> and the <b>story of now</b>, "
            "and how you deliver it: pace, pauses, fillers, pitch and loudness. Every draft is kept, so you "
            "can see your progress.")
        intro.setWordWrap(True)
        intro.setAlignment(Qt.AlignmentFlag.AlignCenter)
        intro.setFixedWidth(640)
        # An aligned item does not get height-for-width from its layout: reserve the wrapped height.
        intro.setMinimumHeight(intro.heightForWidth(640))
        box.addWidget(intro, 0, Qt.AlignmentFlag.AlignHCenter)
        grid = QGridLayout()
        grid.setSpacing(12)
        self.record = self._big("record", "Record a take", "Ctrl+R", self.record_clicked)
        self.import_ = self._big("import", "Import audio", "Ctrl+I", self.import_clicked)
        self.paste = self._big("text", "Paste a script", "Ctrl+N", self.paste_clicked)
        for i, b in enumerate((self.record, self.import_, self.paste)):
            grid.addWidget(b, 0, i)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addLayout(grid)
        row.addStretch(1)
        box.addSpacing(12)
        box.addLayout(row)
        self.sample = QPushButton("Preparing the sample report…")
        self.sample.setAccessibleName("Open the sample speech's report")
        self.sample.setEnabled(False)
        self.sample.clicked.connect(self.sample_clicked)
        self.sample.setMinimumHeight(36)
        self.sample.setMinimumWidth(320)
        box.addSpacing(12)
        box.addWidget(self.sample, 0, Qt.AlignmentFlag.AlignHCenter)
        hint = QLabel("You can also drop an audio file anywhere on this window.")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box.addWidget(hint)
        outer.addLayout(box)
        outer.addStretch(2)

    def _big(self, icon_name: str, text: str, key: str, signal) -> QPushButton:  # noqa: ANN001
        b = QPushButton(icon(icon_name, 32), f"  {text}\n  {key}")
        b.setMinimumSize(190, 70)
        b.setAccessibleName(text)
        b.clicked.connect(signal)
        return b

    def sample_ready(self, ready: bool, text: str = "") -> None:
        self.sample.setEnabled(ready)
        self.sample.setText(text or ("Open the sample speech's report" if ready else "Preparing the sample report…"))

    def hide_sample(self) -> None:
        self.sample.hide()
