"""Compare two drafts: the text diff, score deltas and narrative elements gained and lost.

Reads `Library.compare(a, b)`. Insertions are underlined and deletions struck through, so the
diff reads without colour too.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QPushButton, QSplitter, QTextBrowser, QVBoxLayout,
                               QWidget)
from PySide6.QtCore import Qt

from narrative_coach.ui.library_sidebar import attr, score_text, when_text
from narrative_coach.ui.report_view import ELEMENTS
from narrative_coach.ui.theme import BAD_COLOUR, GOOD_COLOUR

SCORE_LABELS = (("overall", "Overall"), ("self", "Story of self"), ("us", "Story of us"), ("now", "Story of now"),
                ("structure", "Structure"), ("delivery", "Delivery"))
METRIC_LABELS = {"duration_s": ("Length", " s"), "word_count": ("Words", ""), "wpm": ("Pace", " wpm"),
                 "fillers_per_minute": ("Fillers a minute", "")}
ELEMENT_LABELS = {key: label for key, _part, label in ELEMENTS}


class CompareView(QWidget):
    compare_requested = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Compare drafts")
        layout = QVBoxLayout(self)
        picker = QHBoxLayout()
        self.a = QComboBox()
        self.a.setAccessibleName("Earlier draft")
        self.b = QComboBox()
        self.b.setAccessibleName("Later draft")
        self.go = QPushButton("Compare")
        self.go.setAccessibleName("Compare the two drafts")
        self.go.clicked.connect(self._request)
        picker.addWidget(QLabel("Compare"))
        picker.addWidget(self.a, 1)
        picker.addWidget(QLabel("with"))
        picker.addWidget(self.b, 1)
        picker.addWidget(self.go)
        layout.addLayout(picker)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.summary = QTextBrowser()
        self.summary.setAccessibleName("Score changes and elements")
        self.diff = QTextBrowser()
        self.diff.setAccessibleName("Text changes")
        split.addWidget(self.summary)
        split.addWidget(self.diff)
        split.setSizes([320, 560])
        layout.addWidget(split, 1)
        self.comparison = None
        self.summary.setHtml("<p>Pick two drafts of the same speech and press Compare.</p>")

    def set_drafts(self, drafts: list) -> None:
        """Fill both pickers (oldest first); preselect the two latest drafts."""
        for combo in (self.a, self.b):
            combo.clear()
            for d in drafts:
                combo.addItem(f"Draft {d.number} · {when_text(d.created)} · {score_text(d.scores.get('overall'))}",
                              int(d.id))
        if len(drafts) >= 2:
            self.a.setCurrentIndex(len(drafts) - 2)
            self.b.setCurrentIndex(len(drafts) - 1)
        self.go.setEnabled(len(drafts) >= 2)

    def select(self, a_id: int, b_id: int) -> None:
        for combo, value in ((self.a, a_id), (self.b, b_id)):
            i = combo.findData(value)
            if i >= 0:
                combo.setCurrentIndex(i)

    def _request(self) -> None:
        a, b = self.a.currentData(), self.b.currentData()
        if a is not None and b is not None:
            self.compare_requested.emit(int(a), int(b))

    def set_comparison(self, c: object) -> None:
        self.comparison = c
        a, b = attr(c, "a"), attr(c, "b")
        rows = []
        for key, label in SCORE_LABELS:
            delta = c.score_deltas.get(key)
            rows.append(f"<tr><td>{label}</td><td align='right'>{score_text(a.scores.get(key))}</td>"
                        f"<td align='right'>{score_text(b.scores.get(key))}</td>"
                        f"<td align='right'>{_delta_html(delta)}</td></tr>")
        for key, (label, unit) in METRIC_LABELS.items():
            delta = c.metric_deltas.get(key)
            if delta is not None:
                rows.append(f"<tr><td>{label}</td><td></td><td></td>"
                            f"<td align='right'>{delta:+.0f}{unit}</td></tr>")
        gained = "".join(f"<li>✓ {html.escape(ELEMENT_LABELS.get(k, k))}</li>" for k in c.elements_gained)
        lost = "".join(f"<li>✗ {html.escape(ELEMENT_LABELS.get(k, k))}</li>" for k in c.elements_lost)
        self.summary.setHtml(
            f"<h3>Draft {a.number} → draft {b.number}</h3>"
            f"<p>{c.words_added} words added, {c.words_removed} removed; {c.similarity:.0%} the same.</p>"
            "<table cellspacing='4'><tr><th align='left'>Score</th><th>A</th><th>B</th><th>change</th></tr>"
            + "".join(rows) + "</table>"
            + f"<h4>Elements gained</h4><ul>{gained or '<li>none</li>'}</ul>"
            + f"<h4>Elements lost</h4><ul>{lost or '<li>none</li>'}</ul>")
        parts = []
        for op in c.diff:
            if op.op == "equal":
                parts.append(html.escape(op.a))
            if op.op in ("delete", "replace") and op.a:
                parts.append(f"<span style='color:{BAD_COLOUR}; text-decoration:line-through'>"
                             f"{html.escape(op.a)}</span>")
            if op.op in ("insert", "replace") and op.b:
                parts.append(f"<span style='color:{GOOD_COLOUR}; text-decoration:underline'>"
                             f"{html.escape(op.b)}</span>")
        self.diff.setHtml(
            "<p style='font-size:small'>Struck through: only in the earlier draft. Underlined: new in the later draft.</p>"
            "<p style='line-height:140%'>" + " ".join(parts) + "</p>")


def _delta_html(delta: object) -> str:
    if not isinstance(delta, (int, float)):
        return "–"
    if abs(delta) < 0.5:
        return "±0"
    colour, arrow = (GOOD_COLOUR, "▲") if delta > 0 else (BAD_COLOUR, "▼")
    return f"<span style='color:{colour}'>{arrow} {delta:+.0f}</span>"
