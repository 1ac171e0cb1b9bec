"""One draft: a header, then tabs for the report, the transcript, the speech's history, compare
and notes."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (QHBoxLayout, QInputDialog, QLabel, QListWidget, QListWidgetItem, QPlainTextEdit,
                               QPushButton, QTabWidget, QVBoxLayout, QWidget)

from narrative_coach.ui.compare_view import CompareView
from narrative_coach.ui.history_view import HistoryView
from narrative_coach.ui.library_sidebar import when_text
from narrative_coach.ui.report_view import ReportView
from narrative_coach.ui.transcript_view import TranscriptView

TAB_REPORT, TAB_TRANSCRIPT, TAB_HISTORY, TAB_COMPARE, TAB_NOTES = range(5)


class DraftView(QWidget):
    notes_changed = Signal(int, str)
    annotation_added = Signal(int, str, int, int, float, float)  # draft, body, chars, seconds (-1: none)
    annotation_resolved = Signal(int, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.draft = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        self.header = QLabel()
        self.header.setAccessibleName("Draft")
        self.header.setWordWrap(True)
        layout.addWidget(self.header)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Draft views")
        self.report = ReportView()
        self.transcript = TranscriptView()
        self.history = HistoryView()
        self.compare = CompareView()
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName("Notes on this draft")
        self.notes.setPlaceholderText("Your notes on this draft: what to change next time. Saved as you type.")
        self.tabs.addTab(self.report, "&Report")
        self.tabs.addTab(self.transcript, "&Transcript")
        self.tabs.addTab(self.history, "&History")
        self.tabs.addTab(self.compare, "&Compare")
        notes_page = QWidget()
        nv = QVBoxLayout(notes_page)
        nv.addWidget(QLabel("<b>Notes on this draft</b>"))
        nv.addWidget(self.notes, 1)
        nv.addWidget(QLabel("<b>Notes on passages</b> (select words in the transcript, right-click, "
                            "<i>Add a note on the selected words</i>)"))
        self.annotations = QListWidget()
        self.annotations.setAccessibleName("Notes on passages")
        self.annotations.itemDoubleClicked.connect(self._show_annotation)
        nv.addWidget(self.annotations, 1)
        row = QHBoxLayout()
        self.resolve_button = QPushButton("Mark done")
        self.resolve_button.setAccessibleName("Mark the selected note as done, or reopen it")
        self.resolve_button.clicked.connect(self._toggle_resolved)
        row.addStretch(1)
        row.addWidget(self.resolve_button)
        nv.addLayout(row)
        self.tabs.addTab(notes_page, "N&otes")
        self.transcript.note_requested.connect(self._ask_note)
        layout.addWidget(self.tabs, 1)
        self.report.sentence_activated.connect(self.show_sentence)
        self._notes_timer = QTimer(self)
        self._notes_timer.setSingleShot(True)
        self._notes_timer.setInterval(800)
        self._notes_timer.timeout.connect(self.flush_notes)
        self.notes.textChanged.connect(self._notes_timer.start)
        self._loading_notes = False

    def set_draft(self, draft) -> None:  # noqa: ANN001 - DraftDetail
        self.flush_notes()
        self.draft = draft
        report = draft.report or {}
        dur = draft.duration_s
        length = f"{int(dur // 60)}:{int(dur % 60):02d}" if isinstance(dur, (int, float)) else "typed text"
        self.header.setText(
            f"<span style='font-size:15pt; font-weight:600'>{_esc(draft.speech_title)}</span>"
            f" &nbsp; Draft {draft.number} · {when_text(draft.created)} · {draft.source} · {length}"
            f" · {draft.word_count} words")
        self.report.set_report(report)
        self.transcript.set_report(report)
        self._loading_notes = True
        self.notes.setPlainText(draft.notes or "")
        self._loading_notes = False
        self._notes_timer.stop()

    def set_annotations(self, draft_id: int, notes: list) -> None:
        if self.draft is None or self.draft.id != draft_id:
            return
        self.annotations.clear()
        text = (self.draft.report or {}).get("text") or ""
        for n in notes:
            quote = ""
            if n.start_char is not None and n.end_char is not None:
                quote = " ".join(text[n.start_char:n.end_char].split())
                quote = f"“{quote[:80]}{'…' if len(quote) > 80 else ''}” "
            when = f" at {int(n.start_s // 60)}:{int(n.start_s % 60):02d}" if n.start_s is not None else ""
            item = QListWidgetItem(f"{'✓ ' if n.resolved else ''}{n.author or 'Someone'}{when}: {quote}— {n.body}")
            item.setData(Qt.ItemDataRole.UserRole, n)
            if n.resolved:
                f = item.font()
                f.setStrikeOut(True)
                item.setFont(f)
            self.annotations.addItem(item)

    def _ask_note(self, start: int, end: int, t0: float, t1: float) -> None:
        if self.draft is None:
            return
        passage = " ".join(((self.draft.report or {}).get("text") or "")[start:end].split())
        body, ok = QInputDialog.getMultiLineText(self, "Note on a passage", f"“{passage[:120]}”\n\nYour note:")
        if ok and body.strip():
            self.add_annotation(body.strip(), start, end, t0, t1)

    def add_annotation(self, body: str, start: int, end: int, t0: float = -1.0, t1: float = -1.0) -> None:
        if self.draft is not None:
            self.annotation_added.emit(int(self.draft.id), body, start, end, t0, t1)

    def _show_annotation(self, item: QListWidgetItem) -> None:
        note = item.data(Qt.ItemDataRole.UserRole)
        if note.start_char is not None and note.end_char is not None:
            self.tabs.setCurrentIndex(TAB_TRANSCRIPT)
            self.transcript.select_chars(note.start_char, note.end_char)

    def _toggle_resolved(self) -> None:
        item = self.annotations.currentItem()
        if item is not None:
            note = item.data(Qt.ItemDataRole.UserRole)
            self.annotation_resolved.emit(int(note.id), not note.resolved)

    def flush_notes(self) -> None:
        """Save the notes now if they changed (also called before switching drafts and on close)."""
        self._notes_timer.stop()
        if self.draft is None or self._loading_notes:
            return
        text = self.notes.toPlainText()
        if text != (self.draft.notes or ""):
            self.notes_changed.emit(int(self.draft.id), text)

    def notes_saved(self, draft_id: int, text: str) -> None:
        if self.draft is not None and self.draft.id == draft_id:
            from dataclasses import replace

            self.draft = replace(self.draft, notes=text)

    def show_sentence(self, index: int) -> None:
        sentences = (self.draft.report or {}).get("sentences") or [] if self.draft else []
        if not 0 <= index < len(sentences):
            return
        self.tabs.setCurrentIndex(TAB_TRANSCRIPT)
        s = sentences[index]
        view = self.transcript
        cursor = QTextCursor(view.text.document())
        cursor.setPosition(view.doc_pos(int(s["start_char"])))
        cursor.setPosition(view.doc_pos(max(int(s["start_char"]), int(s["end_char"]) - 1)) + 1,
                           QTextCursor.MoveMode.KeepAnchor)
        view.text.setTextCursor(cursor)
        view.text.ensureCursorVisible()
        view.text.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_playback_position(self, seconds: float | None) -> None:
        self.transcript.set_position(seconds)
        self.report.timeline.set_cursor(seconds)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
