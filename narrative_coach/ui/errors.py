"""Errors in the window: a banner a person can act on, never a traceback.

A `UserError` shows its message and hint. Anything else is a bug: the banner says so in plain
words and points at the log file, where the traceback is written (without transcript text).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from narrative_coach.errors import Cancelled, UserError

log = logging.getLogger("narrative_coach.ui")


def describe(exc: BaseException, log_path: object = None) -> tuple[str, str]:
    """(message, what to do) for any exception."""
    if isinstance(exc, UserError):
        return exc.message, exc.hint
    if isinstance(exc, Cancelled):
        return "Stopped.", ""
    if isinstance(exc, MemoryError):
        return "The computer ran out of memory.", "Close other programs, or try a shorter recording."
    if isinstance(exc, OSError) and exc.strerror:
        where = f" ({exc.filename})" if exc.filename else ""
        return f"The file system refused: {exc.strerror}{where}.", "Check the file and the free disk space, then try again."
    where = f" in {log_path}" if log_path else " in the log file in your library folder"
    return (f"Something went wrong ({type(exc).__name__}).",
            f"Your drafts are safe. Details are{where}; please report it.")


class Banner(QFrame):
    """A dismissable strip at the top of the window for errors and notices."""

    action_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setAccessibleName("Message banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.icon = QLabel()
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action = QPushButton()
        self.action.setVisible(False)
        self.action.clicked.connect(self.action_clicked)
        close = QPushButton("Dismiss")
        close.setAccessibleName("Dismiss message")
        close.clicked.connect(self.hide)
        layout.addWidget(self.icon)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.action)
        layout.addWidget(close)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def show_message(self, message: str, hint: str = "", *, kind: str = "error", action: str = "",
                     timeout_ms: int = 0) -> None:
        colours = {"error": ("#fbe3d6", "#D55E00", "⚠"), "info": ("#dcecf7", "#0072B2", "ℹ"),
                   "success": ("#d8f0e8", "#009E73", "✓")}
        bg, border, glyph = colours.get(kind, colours["info"])
        self.setStyleSheet(
            f"QFrame#banner {{ background: {bg}; border: 1px solid {border}; border-radius: 4px; }}"
            "QFrame#banner QLabel { color: #1a1a1a; }"
        )
        self.icon.setText(glyph)
        body = f"<b>{_esc(message)}</b>" + (f"<br>{_esc(hint)}" if hint else "")
        self.text.setText(body)
        self.action.setText(action)
        self.action.setVisible(bool(action))
        self.setAccessibleDescription(f"{message} {hint}".strip())
        self.show()
        if timeout_ms:
            self._timer.start(timeout_ms)
        else:
            self._timer.stop()

    def show_error(self, exc: BaseException, log_path: object = None) -> None:
        message, hint = describe(exc, log_path)
        self.show_message(message, hint, kind="info" if isinstance(exc, Cancelled) else "error")

    @property
    def message(self) -> str:
        return self.accessibleDescription()


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
