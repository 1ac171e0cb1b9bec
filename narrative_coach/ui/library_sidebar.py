"""The library sidebar: speeches and their drafts, search, and a "New speech" form.

It only displays what the main window hands it (the `Library` use cases run on the database
worker) and emits what the user picked.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QLabel, QLineEdit,
                               QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

SPEECH_ROLE = Qt.ItemDataRole.UserRole
DRAFT_ROLE = Qt.ItemDataRole.UserRole + 1
_LOADING = "loading…"


def attr(obj: object, *names: str, default: object = None) -> object:
    """First present attribute (or key) among `names`: the library returns plain dataclasses."""
    for name in names:
        if isinstance(obj, dict) and name in obj:
            return obj[name]
        if hasattr(obj, name):
            return getattr(obj, name)
    return default


def score_text(value: object) -> str:
    return f"{value:.0f}" if isinstance(value, (int, float)) else "–"


def when_text(value: object) -> str:
    if isinstance(value, datetime):
        return value.strftime("%d %b %Y %H:%M")
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value).strftime("%d %b %Y %H:%M")
        except ValueError:
            return value
    return ""


def draft_overall(draft: object) -> object:
    scores = attr(draft, "scores")
    if isinstance(scores, dict):
        return scores.get("overall")
    return attr(draft, "overall", "score_overall")


class NewSpeechDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New speech")
        form = QFormLayout(self)
        self.title = QLineEdit()
        self.title.setPlaceholderText("e.g. State of the City 2027")
        self.title.setAccessibleName("Speech title")
        self.occasion = QLineEdit()
        self.occasion.setPlaceholderText("e.g. council chamber, vigil, ribbon cutting")
        self.occasion.setAccessibleName("Occasion")
        self.audience = QLineEdit()
        self.audience.setPlaceholderText("e.g. residents, department heads")
        self.audience.setAccessibleName("Audience")
        self.target = QDoubleSpinBox()
        self.target.setRange(0, 180)
        self.target.setDecimals(1)
        self.target.setSingleStep(0.5)
        self.target.setValue(5)
        self.target.setSuffix(" min")
        self.target.setSpecialValueText("no target")
        self.target.setAccessibleName("Target length in minutes")
        form.addRow("&Title", self.title)
        form.addRow("&Occasion", self.occasion)
        form.addRow("&Audience", self.audience)
        form.addRow("Target &length", self.target)
        self.error = QLabel()
        self.error.setStyleSheet("color: #D55E00")
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _accept(self) -> None:
        if not self.title.text().strip():
            self.error.setText("Give the speech a title.")
            self.title.setFocus()
            return
        self.accept()

    def values(self) -> dict:
        target = self.target.value()
        return {"title": self.title.text().strip(), "occasion": self.occasion.text().strip() or None,
                "audience": self.audience.text().strip() or None, "target_minutes": target or None}


class LibrarySidebar(QWidget):
    rename_requested = Signal(object)  # a speech
    delete_speech_requested = Signal(object)
    delete_draft_requested = Signal(int)
    draft_selected = Signal(int)
    speech_selected = Signal(object)
    speech_expanded = Signal(object)
    new_speech_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Library")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search speeches")
        self.search.setAccessibleName("Search speeches")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        layout.addWidget(self.search)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName("Speeches and drafts")
        self.tree.setUniformRowHeights(True)
        self.tree.itemExpanded.connect(self._on_expanded)
        self.tree.currentItemChanged.connect(self._on_current)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._menu)
        layout.addWidget(self.tree, 1)
        self.new_button = QPushButton("New speech…")
        self.new_button.setAccessibleName("New speech")
        self.new_button.clicked.connect(self.new_speech_requested)
        layout.addWidget(self.new_button)
        self._speech_items: dict[int, QTreeWidgetItem] = {}
        self.setMinimumWidth(220)

    # ---- data ------------------------------------------------------------------------------------
    def set_speeches(self, speeches: list) -> None:
        expanded = {sid for sid, item in self._speech_items.items() if item.isExpanded()}
        current = self.current_draft_id()
        current_speech = self.current_speech()
        current_sid = int(attr(current_speech, "id")) if current_speech is not None else None
        self.tree.blockSignals(True)
        self.tree.clear()
        self._speech_items.clear()
        for speech in speeches:
            sid = int(attr(speech, "id"))
            item = QTreeWidgetItem([self._speech_label(speech)])
            item.setData(0, SPEECH_ROLE, speech)
            item.setToolTip(0, self._speech_tip(speech))
            n = attr(speech, "draft_count", "drafts", default=0)
            if isinstance(n, int) and n > 0:
                QTreeWidgetItem(item, [_LOADING])
            self.tree.addTopLevelItem(item)
            self._speech_items[sid] = item
        self.tree.blockSignals(False)
        self._filter(self.search.text())
        for sid in expanded:
            if sid in self._speech_items:
                self._speech_items[sid].setExpanded(True)
        # Keep the selection across a refresh: the speech at once, its draft once the drafts load.
        if current_sid in self._speech_items:
            self.tree.blockSignals(True)
            self.tree.setCurrentItem(self._speech_items[current_sid])
            self.tree.blockSignals(False)
        if current is not None:
            self._pending_select = current

    def _speech_label(self, speech: object) -> str:
        n = attr(speech, "draft_count", "drafts", default=0)
        latest = attr(speech, "latest_scores", "latest_score", "latest_overall")
        if isinstance(latest, dict):
            latest = latest.get("overall")
        count = f"{n} draft{'s' if n != 1 else ''}" if isinstance(n, int) else ""
        score = f" · {score_text(latest)}" if isinstance(latest, (int, float)) else ""
        return f"{attr(speech, 'title')}  ({count}{score})"

    def _speech_tip(self, speech: object) -> str:
        bits = [str(attr(speech, "title"))]
        for name, label in (("occasion", "Occasion"), ("audience", "Audience")):
            v = attr(speech, name)
            if v:
                bits.append(f"{label}: {v}")
        t = attr(speech, "target_minutes")
        if t:
            bits.append(f"Target: {t:g} min")
        return "\n".join(bits)

    def set_drafts(self, speech_id: int, drafts: list) -> None:
        item = self._speech_items.get(speech_id)
        if item is None:
            return
        self.tree.blockSignals(True)
        item.takeChildren()
        for d in drafts:
            child = QTreeWidgetItem([self._draft_label(d)])
            child.setData(0, DRAFT_ROLE, int(attr(d, "id")))
            child.setToolTip(0, f"Overall score {score_text(draft_overall(d))}")
            item.addChild(child)
        self.tree.blockSignals(False)
        pending = getattr(self, "_pending_select", None)
        if pending is not None and self.select_draft(pending):
            self._pending_select = None

    def _draft_label(self, d: object) -> str:
        number = attr(d, "number")
        source = attr(d, "source", default="")
        dur = attr(d, "duration_s")
        dur_text = f" · {int(dur // 60)}:{int(dur % 60):02d}" if isinstance(dur, (int, float)) else ""
        return (f"Draft {number} · {when_text(attr(d, 'created', 'created_at'))} · {source}{dur_text}"
                f" · {score_text(draft_overall(d))}")

    # ---- selection -------------------------------------------------------------------------------
    def select_draft(self, draft_id: int) -> bool:
        for item in self._speech_items.values():
            for i in range(item.childCount()):
                child = item.child(i)
                if child.data(0, DRAFT_ROLE) == draft_id:
                    item.setExpanded(True)
                    self.tree.blockSignals(True)
                    self.tree.setCurrentItem(child)
                    self.tree.blockSignals(False)
                    return True
        self._pending_select = draft_id
        return False

    def select_speech(self, speech_id: int, expand: bool = True) -> None:
        item = self._speech_items.get(speech_id)
        if item:
            self.tree.setCurrentItem(item)
            if expand:
                item.setExpanded(True)

    def current_draft_id(self) -> int | None:
        item = self.tree.currentItem()
        return item.data(0, DRAFT_ROLE) if item else None

    def current_speech(self) -> object | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        if item.parent() is not None:
            item = item.parent()
        return item.data(0, SPEECH_ROLE)

    def speech(self, speech_id: int) -> object | None:
        item = self._speech_items.get(speech_id)
        return item.data(0, SPEECH_ROLE) if item else None

    def speech_count(self) -> int:
        return len(self._speech_items)

    def _on_expanded(self, item: QTreeWidgetItem) -> None:
        speech = item.data(0, SPEECH_ROLE)
        if speech is not None:
            self.speech_expanded.emit(speech)

    def _on_current(self, item: QTreeWidgetItem | None, _prev: QTreeWidgetItem | None) -> None:
        if item is None:
            return
        draft_id = item.data(0, DRAFT_ROLE)
        if draft_id is not None:
            self.draft_selected.emit(int(draft_id))
        elif item.data(0, SPEECH_ROLE) is not None:
            self.speech_selected.emit(item.data(0, SPEECH_ROLE))

    def _menu(self, pos) -> None:  # noqa: ANN001
        from PySide6.QtWidgets import QMenu

        item = self.tree.itemAt(pos)
        if item is None:
            return
        menu = QMenu(self)
        draft_id = item.data(0, DRAFT_ROLE)
        speech = (item.parent() or item).data(0, SPEECH_ROLE)
        if draft_id is not None:
            menu.addAction("Delete this draft…", lambda: self.delete_draft_requested.emit(int(draft_id)))
        menu.addAction("Rename speech…", lambda: self.rename_requested.emit(speech))
        menu.addAction("Delete speech and all its drafts…", lambda: self.delete_speech_requested.emit(speech))
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    def _filter(self, text: str) -> None:
        needle = text.strip().lower()
        for item in self._speech_items.values():
            speech = item.data(0, SPEECH_ROLE)
            hay = " ".join(str(attr(speech, k) or "") for k in ("title", "occasion", "audience")).lower()
            item.setHidden(bool(needle) and needle not in hay)
