"""History of a speech: its scores across drafts (first, best and latest marked) and a table.

Reads `Library.progress(speech)`: the first/best/latest choice is the library's, not the view's.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from narrative_coach.ui.charts import ChartSpec, LineChart, Marker, Series
from narrative_coach.ui.library_sidebar import attr, score_text, when_text
from narrative_coach.ui.theme import PART_STYLES

SCORE_KEYS = ("overall", "self", "us", "now", "delivery")
SERIES_STYLE = {
    "overall": ("Overall", "#0072B2", False, "o"),
    "self": ("Self", PART_STYLES["self"].colour, True, "s"),
    "us": ("Us", PART_STYLES["us"].colour, True, "^"),
    "now": ("Now", PART_STYLES["now"].colour, True, "d"),
    "delivery": ("Delivery", "#CC79A7", True, "o"),
}


class HistoryView(QWidget):
    draft_activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("History")
        layout = QVBoxLayout(self)
        self.heading = QLabel("Pick a speech in the library to see its history.")
        f = self.heading.font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.2)
        self.heading.setFont(f)
        layout.addWidget(self.heading)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("History summary")
        layout.addWidget(self.summary)
        self.chart = LineChart(name="Scores across drafts")
        self.chart.setMinimumHeight(220)
        layout.addWidget(self.chart, 2)
        headers = ["Draft", "Created", "Length"] + [SERIES_STYLE[k][0] for k in SCORE_KEYS]
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setAccessibleName("Drafts of this speech (double-click to open)")
        self.table.cellDoubleClicked.connect(self._activated)
        layout.addWidget(self.table, 1)
        self.progress = None

    def set_progress(self, progress: object) -> None:
        self.progress = progress
        points = list(attr(progress, "points", default=[]) or [])
        title = attr(progress, "speech_title", default="")
        self.heading.setText(f"{title}: {len(points)} draft{'s' if len(points) != 1 else ''}")
        series = []
        for key in SCORE_KEYS:
            pts = [(float(p.number), float(p.scores[key])) for p in points
                   if isinstance(p.scores.get(key), (int, float))]
            if pts:
                name, colour, dashed, marker = SERIES_STYLE[key]
                series.append(Series(name, pts, colour, dashed, marker))
        labels: dict[tuple[float, float], list[str]] = {}
        for name in ("first", "best", "latest"):
            p = attr(progress, name)
            if p is not None and isinstance(p.scores.get("overall"), (int, float)):
                labels.setdefault((float(p.number), float(p.scores["overall"])), []).append(name)
        markers = [Marker(x, y, " & ".join(names)) for (x, y), names in labels.items()]
        first, best, latest = (attr(progress, n) for n in ("first", "best", "latest"))
        if first is not None and latest is not None and isinstance(first.scores.get("overall"), (int, float)) \
                and isinstance(latest.scores.get("overall"), (int, float)):
            text = (f"First draft {first.scores['overall']:.0f}, best {score_text(best.scores.get('overall'))} "
                    f"(draft {best.number}), latest {latest.scores['overall']:.0f}: "
                    f"{latest.scores['overall'] - first.scores['overall']:+.0f} since the first draft.")
        else:
            text = "No scored drafts yet."
        self.summary.setText(text)
        ticks = [(float(p.number), str(p.number)) for p in points]
        self.chart.set_spec(ChartSpec(series=series, y_range=(0, 100), x_ticks=ticks if len(ticks) <= 25 else None,
                                      x_label="draft number", markers=markers), text)
        self.table.setRowCount(len(points))
        for row, p in enumerate(reversed(points)):
            dur = p.duration_s
            values = [str(p.number), when_text(p.created),
                      f"{int(dur // 60)}:{int(dur % 60):02d}" if isinstance(dur, (int, float)) else "typed"]
            values += [score_text(p.scores.get(k)) for k in SCORE_KEYS]
            for col, v in enumerate(values):
                item = QTableWidgetItem(v)
                item.setData(Qt.ItemDataRole.UserRole, int(p.draft_id))
                if col >= 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)

    def _activated(self, row: int, _col: int) -> None:
        item = self.table.item(row, 0)
        if item is not None:
            self.draft_activated.emit(int(item.data(Qt.ItemDataRole.UserRole)))
