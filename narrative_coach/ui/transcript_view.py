"""The transcript: sentences coloured by story part, fillers, hedges and long pauses marked,
click a word to play from there, the current word highlighted during playback, and find.

The document shows the report's `text` verbatim, plus pause signs inserted between words; an
offset map turns report character offsets into document positions and back.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (QColor, QFont, QKeySequence, QPainter, QPainterPath, QPalette, QPen, QShortcut,
                           QTextCharFormat, QTextCursor, QTextDocument, QTextFormat)
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QLineEdit, QPushButton, QTextEdit, QToolButton, QVBoxLayout,
                               QWidget)

from narrative_coach.ui.theme import (FILLER_COLOUR, HEDGE_COLOUR, PART_STYLES, PAUSE_COLOUR, is_dark,
                                      part_colour, part_style, tint)

LONG_PAUSE_S = 1.0


@dataclass
class WordSpan:
    start_char: int
    end_char: int
    start_s: float
    end_s: float


def align_words(text: str, words: list[dict]) -> list[WordSpan]:
    """Find each timed word in `text`, in order. Words that cannot be found are skipped."""
    spans: list[WordSpan] = []
    lowered = text.lower()
    pos = 0
    for w in words or []:
        token = str(w.get("word", "")).strip()
        if not token:
            continue
        at = lowered.find(token.lower(), pos)
        if at < 0 or at - pos > 200:  # not found nearby: the text was edited; do not jump far ahead
            core = token.strip(".,;:!?\"'()[]-—…").lower()
            at = lowered.find(core, pos) if core else -1
            if at < 0 or at - pos > 200:
                continue
            token = core
        try:
            start_s, end_s = float(w.get("start", 0.0)), float(w.get("end", 0.0))
        except (TypeError, ValueError):
            continue
        spans.append(WordSpan(at, at + len(token), start_s, end_s))
        pos = at + len(token)
    return spans


def _items(obj: object) -> list[dict]:
    """The list of marked items in a delivery sub-object, whatever key holds it."""
    if isinstance(obj, list):
        return [i for i in obj if isinstance(i, dict)]
    if isinstance(obj, dict):
        for key in ("items", "long", "long_pauses", "list"):
            if isinstance(obj.get(key), list):
                return [i for i in obj[key] if isinstance(i, dict)]
    return []


class Legend(QWidget):
    """Swatch + letter + underline style per part: the colour is never the only cue."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Legend")
        self.setAccessibleDescription(
            "; ".join(f"{s.label}: letter {s.letter}, {s.underline.name.replace('Underline', ' underline')}"
                      for s in PART_STYLES.values()) + "; fillers struck through; hedges dotted; long pauses ‖")
        self.setMinimumHeight(24)

    def sizeHint(self) -> QSize:
        return QSize(640, 24)

    def paintEvent(self, _event) -> None:  # noqa: ANN001
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = self.fontMetrics()
        x = 2.0
        text_colour = self.palette().color(QPalette.ColorRole.WindowText)
        for style in PART_STYLES.values():
            box = QRectF(x, 3, 18, 18)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(style.colour))
            p.drawRoundedRect(box, 3, 3)
            p.setPen(QColor("#000000"))
            f = QFont(self.font())
            f.setBold(True)
            p.setFont(f)
            p.drawText(box, Qt.AlignmentFlag.AlignCenter, style.letter)
            p.setFont(self.font())
            p.setPen(text_colour)
            lx = x + 24
            p.drawText(QPointF(lx, 16), style.label)
            w = fm.horizontalAdvance(style.label)
            _underline(p, style.underline, lx, lx + w, 20, QColor(style.colour))
            x = lx + w + 18
        for label, colour in (("filler", FILLER_COLOUR), ("hedge", HEDGE_COLOUR), ("‖ long pause", PAUSE_COLOUR)):
            p.setPen(QColor(colour))
            p.drawText(QPointF(x, 16), label)
            w = fm.horizontalAdvance(label)
            if label == "filler":
                p.drawLine(QPointF(x, 11), QPointF(x + w, 11))
            elif label == "hedge":
                pen = QPen(QColor(colour), 1.5, Qt.PenStyle.DotLine)
                p.setPen(pen)
                p.drawLine(QPointF(x, 19), QPointF(x + w, 19))
            x += w + 14
        p.end()


def _underline(p: QPainter, style: QTextCharFormat.UnderlineStyle, x0: float, x1: float, y: float,
               colour: QColor) -> None:
    pen = QPen(colour, 2)
    U = QTextCharFormat.UnderlineStyle
    if style == U.DashUnderline:
        pen.setStyle(Qt.PenStyle.DashLine)
    if style == U.NoUnderline:
        return
    p.setPen(pen)
    if style == U.WaveUnderline:
        path = QPainterPath(QPointF(x0, y))
        x, up = x0, True
        while x < x1:
            path.quadTo(QPointF(x + 2, y - 2 if up else y + 2), QPointF(min(x + 4, x1), y))
            x += 4
            up = not up
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)
    else:
        p.drawLine(QPointF(x0, y), QPointF(x1, y))


class _Text(QTextEdit):
    clicked_at = Signal(int)
    note_requested = Signal(int, int)  # document positions of the selection

    def contextMenuEvent(self, event) -> None:  # noqa: ANN001
        menu = self.createStandardContextMenu(event.pos())
        cursor = self.textCursor()
        menu.addSeparator()
        add = menu.addAction("Add a note on the selected words…")
        add.setEnabled(cursor.hasSelection())
        add.triggered.connect(lambda: self.note_requested.emit(cursor.selectionStart(), cursor.selectionEnd()))
        menu.exec(event.globalPos())
        menu.deleteLater()

    def mouseReleaseEvent(self, event) -> None:  # noqa: ANN001
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            self.clicked_at.emit(self.cursorForPosition(event.position().toPoint()).position())


class TranscriptView(QWidget):
    seek_requested = Signal(float)
    # A passage to annotate: (start_char, end_char, start_s or -1, end_s or -1) in report offsets.
    note_requested = Signal(int, int, float, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._report: dict | None = None
        self._text = ""
        self._inserts: list[tuple[int, int]] = []  # (char position, inserted length), sorted
        self._insert_pos: list[int] = []
        self._u16: list[int] | None = None
        self._words: list[WordSpan] = []
        self._word_starts: list[float] = []
        self._current_word: int | None = None
        self._find_selections: list[QTextEdit.ExtraSelection] = []

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.legend = Legend()
        layout.addWidget(self.legend)

        self.find_bar = QWidget()
        fb = QHBoxLayout(self.find_bar)
        fb.setContentsMargins(0, 0, 0, 0)
        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText("Find in transcript")
        self.find_edit.setAccessibleName("Find in transcript")
        self.find_edit.setClearButtonEnabled(True)
        self.find_edit.textChanged.connect(self._highlight_all)
        self.find_edit.returnPressed.connect(self.find_next)
        self.find_count = QLabel()
        prev_btn = QToolButton()
        prev_btn.setText("▲")
        prev_btn.setAccessibleName("Previous match")
        prev_btn.clicked.connect(lambda: self.find_next(backward=True))
        next_btn = QToolButton()
        next_btn.setText("▼")
        next_btn.setAccessibleName("Next match")
        next_btn.clicked.connect(self.find_next)
        close_btn = QPushButton("Close")
        close_btn.setAccessibleName("Close find")
        close_btn.clicked.connect(self.close_find)
        for w in (QLabel("Find:"), self.find_edit, self.find_count, prev_btn, next_btn, close_btn):
            fb.addWidget(w)
        self.find_bar.hide()
        layout.addWidget(self.find_bar)

        self.text = _Text()
        self.text.setReadOnly(True)
        self.text.setAccessibleName("Transcript")
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.text.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
        self.text.clicked_at.connect(self._on_click)
        self.text.note_requested.connect(self._on_note)
        font = self.text.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.text.setFont(font)
        layout.addWidget(self.text, 1)

        esc = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.find_edit)
        esc.activated.connect(self.close_find)

    # ---- offsets ------------------------------------------------------------------------------
    def doc_pos(self, char: int) -> int:
        base = self._u16[char] if self._u16 is not None else char
        shift = 0
        k = bisect.bisect_right(self._insert_pos, char)
        for _, n in self._inserts[:k]:
            shift += n
        return base + shift

    def char_at(self, doc: int) -> int:
        # doc_pos is increasing in char: binary search for the last char at or before `doc`.
        lo, hi = 0, len(self._text)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.doc_pos(mid) <= doc:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def word_at_doc(self, doc: int) -> int | None:
        char = self.char_at(doc)
        starts = [w.start_char for w in self._words]
        i = bisect.bisect_right(starts, char) - 1
        if i >= 0 and self._words[i].start_char <= char <= self._words[i].end_char:
            return i
        return None

    # ---- content -----------------------------------------------------------------------------
    def clear(self) -> None:
        self._report = None
        self._text = ""
        self._words = []
        self._word_starts = []
        self.text.clear()

    def set_report(self, report: dict) -> None:
        self._report = report
        self._text = text = str(report.get("text") or "")
        transcript = report.get("transcript") or {}
        self._words = align_words(text, transcript.get("words") or [])
        self._word_starts = [w.start_s for w in self._words]
        self._current_word = None
        if any(ord(c) > 0xFFFF for c in text):
            acc, u16 = 0, []
            for c in text:
                u16.append(acc)
                acc += 2 if ord(c) > 0xFFFF else 1
            u16.append(acc)
            self._u16 = u16
        else:
            self._u16 = None

        delivery = report.get("delivery") or {}
        # Inserted marks: a letter tag where a run of one part begins (the non-colour cue), and a
        # pause sign before the first word after each long pause.
        inserts: dict[int, list[tuple[str, QTextCharFormat]]] = {}
        previous = None
        for sentence in report.get("sentences") or []:
            part = sentence.get("part") or "other"
            if part != previous:
                style = part_style(part)
                tag = QTextCharFormat()
                tag.setFontWeight(QFont.Weight.Bold)
                tag.setForeground(QColor("#000000"))
                tag.setBackground(part_colour(part))
                tag.setToolTip(style.label)
                tag.setFontPointSize(max(6.0, self.text.font().pointSizeF() * 0.8))
                inserts.setdefault(int(sentence.get("start_char", 0)), []).append((f" {style.letter} ", tag))
                inserts[int(sentence.get("start_char", 0))].append((" ", QTextCharFormat()))
            previous = part
        pause_fmt = QTextCharFormat()
        pause_fmt.setForeground(QColor(PAUSE_COLOUR))
        pause_fmt.setFontWeight(QFont.Weight.Bold)
        for pos, label in self._pause_marks(delivery.get("pauses")):
            fmt = QTextCharFormat(pause_fmt)
            fmt.setToolTip(f"Long pause: {label.strip()[1:].strip()}")
            inserts.setdefault(pos, []).append((label, fmt))
        self._inserts = sorted((pos, sum(len(t) for t, _ in items)) for pos, items in inserts.items())
        self._insert_pos = [pos for pos, _ in self._inserts]

        doc = QTextDocument(self)
        doc.setDefaultFont(self.text.font())
        cursor = QTextCursor(doc)
        plain = QTextCharFormat()
        cuts = sorted({0, len(text), *inserts.keys()})
        for a, b in zip(cuts, cuts[1:] + [None]):
            for label, fmt in inserts.get(a, []):
                cursor.insertText(label, fmt)
            if b is not None and b > a:
                cursor.insertText(text[a:b], plain)
        self.text.setDocument(doc)
        self.text.setFont(self.text.font())

        for sentence in report.get("sentences") or []:
            self._format_span(int(sentence.get("start_char", 0)), int(sentence.get("end_char", 0)),
                              self._sentence_format(sentence))
        for start, end, fmt in self._marks(report, delivery):
            self._format_span(start, end, fmt)
        self._highlight_all()

    def _sentence_format(self, sentence: dict) -> QTextCharFormat:
        part = sentence.get("part") or "other"
        style = part_style(part)
        fmt = QTextCharFormat()
        fmt.setBackground(tint(part))
        fmt.setUnderlineStyle(style.underline)
        # The underline must stand out from the tint: darker on light, lighter on dark.
        fmt.setUnderlineColor(part_colour(part).lighter(150) if is_dark() else part_colour(part).darker(160))
        tip = style.label
        conf = sentence.get("confidence")
        if isinstance(conf, (int, float)):
            tip += f" (confidence {conf:.0%})"
        cues = sentence.get("cues") or []
        if cues:
            tip += "\nCues: " + ", ".join(str(c) for c in cues[:6])
        fmt.setToolTip(f"[{style.letter}] {tip}")
        return fmt

    def _pause_marks(self, pauses: object) -> list[tuple[int, str]]:
        """Pause signs before the first word after each long pause."""
        if not self._words:
            return []
        marks: dict[int, str] = {}
        for item in _items(pauses):
            try:
                start = float(item.get("start", 0.0))
                end = float(item.get("end", start + float(item.get("duration", 0.0))))
            except (TypeError, ValueError):
                continue
            duration = float(item.get("duration", end - start) or (end - start))
            if duration < LONG_PAUSE_S and item.get("kind") not in ("long",) and item.get("class") != "long":
                continue
            i = bisect.bisect_left(self._word_starts, end - 0.05)
            if i >= len(self._words):
                continue
            marks[self._words[i].start_char] = f"‖ {duration:.1f} s "
        return sorted(marks.items())

    def _marks(self, report: dict, delivery: dict) -> list[tuple[int, int, QTextCharFormat]]:
        out: list[tuple[int, int, QTextCharFormat]] = []
        sentences = report.get("sentences") or []
        filler = QTextCharFormat()
        filler.setForeground(QColor(FILLER_COLOUR))
        filler.setFontStrikeOut(True)
        filler.setFontWeight(QFont.Weight.Bold)
        filler.setToolTip("Filler word")
        hedge = QTextCharFormat()
        hedge.setForeground(QColor(HEDGE_COLOUR))
        hedge.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
        hedge.setUnderlineColor(QColor(HEDGE_COLOUR))
        hedge.setFontItalic(True)
        hedge.setToolTip("Hedge: a word that weakens what you say")
        for fmt, key in ((filler, "fillers"), (hedge, "hedges")):
            for item in _items(delivery.get(key)):
                span = self._locate(item, sentences)
                if span:
                    out.append((span[0], span[1], fmt))
        return out

    def _locate(self, item: dict, sentences: list[dict]) -> tuple[int, int] | None:
        if "start_char" in item and "end_char" in item:
            return int(item["start_char"]), int(item["end_char"])
        if item.get("source") == "acoustic":  # heard, not transcribed: no word in the text to mark
            return None
        phrase = str(item.get("word") or item.get("phrase") or item.get("text") or "").strip()
        char = item.get("char")
        if isinstance(char, int) and phrase and not phrase.startswith("("):
            # The delivery analyser gives the character where the filler or hedge starts.
            m = re.match(rf"{re.escape(phrase)}(?!\w)", self._text[char:char + len(phrase) + 2], re.IGNORECASE)
            if m:
                return char, char + m.end()
        start = item.get("start")
        if isinstance(start, (int, float)) and self._words:
            i = bisect.bisect_left(self._word_starts, float(start) - 0.05)
            if i < len(self._words) and abs(self._words[i].start_s - float(start)) < 0.3:
                return self._words[i].start_char, self._words[i].end_char
        phrase = str(item.get("word") or item.get("phrase") or item.get("text") or "").strip()
        idx = item.get("sentence")
        if phrase and isinstance(idx, int) and 0 <= idx < len(sentences):
            s = sentences[idx]
            a, b = int(s.get("start_char", 0)), int(s.get("end_char", 0))
            m = re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", self._text[a:b], re.IGNORECASE)
            if m:
                return a + m.start(), a + m.end()
        return None

    def _format_span(self, start: int, end: int, fmt: QTextCharFormat) -> None:
        if end <= start or start < 0 or end > len(self._text):
            return
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(self.doc_pos(start))
        cursor.setPosition(self.doc_pos(end - 1) + (2 if self._u16 and ord(self._text[end - 1]) > 0xFFFF else 1),
                           QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(fmt)

    def span_for_selection(self, doc_start: int, doc_end: int) -> tuple[int, int, float, float]:
        """Report offsets (and times, -1 if untimed) of a selection in the document."""
        a, b = self.char_at(doc_start), self.char_at(max(doc_start, doc_end - 1)) + 1
        b = min(b, len(self._text))
        t0 = t1 = -1.0
        inside = [w for w in self._words if w.end_char > a and w.start_char < b]
        if inside:
            t0, t1 = inside[0].start_s, inside[-1].end_s
        return a, b, t0, t1

    def _on_note(self, doc_start: int, doc_end: int) -> None:
        self.note_requested.emit(*self.span_for_selection(doc_start, doc_end))

    def select_chars(self, start: int, end: int) -> None:
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(self.doc_pos(start))
        cursor.setPosition(self.doc_pos(max(start, end - 1)) + 1, QTextCursor.MoveMode.KeepAnchor)
        self.text.setTextCursor(cursor)
        self.text.ensureCursorVisible()

    # ---- playback --------------------------------------------------------------------------------
    @property
    def has_timing(self) -> bool:
        return bool(self._words)

    def _on_click(self, doc: int) -> None:
        i = self.word_at_doc(doc)
        if i is not None:
            self.seek_requested.emit(self._words[i].start_s)

    def word_index_at_time(self, seconds: float) -> int | None:
        i = bisect.bisect_right(self._word_starts, seconds) - 1
        return i if i >= 0 else None

    def set_position(self, seconds: float | None) -> None:
        """Highlight the word being spoken at `seconds` (None clears it)."""
        i = None if seconds is None else self.word_index_at_time(seconds)
        if i == self._current_word:
            return
        self._current_word = i
        self._apply_selections(scroll=True)

    @property
    def current_word(self) -> str | None:
        if self._current_word is None:
            return None
        w = self._words[self._current_word]
        return self._text[w.start_char:w.end_char]

    def _apply_selections(self, scroll: bool = False) -> None:
        selections = list(self._find_selections)
        if self._current_word is not None:
            w = self._words[self._current_word]
            sel = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.text.document())
            cursor.setPosition(self.doc_pos(w.start_char))
            cursor.setPosition(self.doc_pos(w.end_char - 1) + 1, QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cursor
            fmt = QTextCharFormat()
            fmt.setBackground(self.palette().color(QPalette.ColorRole.Highlight))
            fmt.setForeground(self.palette().color(QPalette.ColorRole.HighlightedText))
            fmt.setProperty(QTextFormat.Property.OutlinePen, QPen(QColor("#000000")))
            sel.format = fmt
            selections.append(sel)
            if scroll:
                view_cursor = QTextCursor(cursor)
                view_cursor.clearSelection()
                rect = self.text.cursorRect(view_cursor)
                if not self.text.viewport().rect().contains(rect):
                    self.text.setTextCursor(view_cursor)
                    self.text.ensureCursorVisible()
        self.text.setExtraSelections(selections)

    # ---- find ------------------------------------------------------------------------------------
    def open_find(self) -> None:
        self.find_bar.show()
        self.find_edit.setFocus()
        self.find_edit.selectAll()

    def close_find(self) -> None:
        self.find_edit.clear()
        self.find_bar.hide()
        self.text.setFocus()

    def _highlight_all(self) -> None:
        needle = self.find_edit.text()
        self._find_selections = []
        if needle:
            doc = self.text.document()
            cursor = doc.find(needle, 0)
            fmt = QTextCharFormat()
            fmt.setBackground(QColor("#F0E442"))  # Okabe-Ito yellow
            fmt.setForeground(QColor("#000000"))
            while not cursor.isNull():
                sel = QTextEdit.ExtraSelection()
                sel.cursor = cursor
                sel.format = fmt
                self._find_selections.append(sel)
                cursor = doc.find(needle, cursor)
            n = len(self._find_selections)
            self.find_count.setText(f"{n} match{'es' if n != 1 else ''}" if n else "no match")
        else:
            self.find_count.setText("")
        self._apply_selections()

    def find_next(self, backward: bool = False) -> bool:
        needle = self.find_edit.text()
        if not needle:
            return False
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        found = self.text.find(needle, flags)
        if not found:  # wrap around
            cursor = self.text.textCursor()
            cursor.movePosition(QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start)
            self.text.setTextCursor(cursor)
            found = self.text.find(needle, flags)
        return found

    @property
    def match_count(self) -> int:
        return len(self._find_selections)
