"""Charts painted with Qt's own QPainter (no plotting library to ship or keep up to date).

- `ScoreBars`: horizontal 0..100 bars, one per score, with the figure printed.
- `TimelineBar`: the structure of a speech across its duration: where self, us and now fall.
- `LineChart`: lines over x with an optional shaded recommended band and labelled markers; used
  for pace over time and for scores across drafts.
Every chart carries an accessible description with the figures, for screen readers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from narrative_coach.ui.theme import part_colour, part_style


def _text_colour(widget: QWidget) -> QColor:
    return widget.palette().color(QPalette.ColorRole.WindowText)


def _grid_colour(widget: QWidget) -> QColor:
    c = QColor(_text_colour(widget))
    c.setAlpha(45)
    return c


@dataclass
class Bar:
    label: str
    value: float | None
    colour: str
    tag: str = ""


class ScoreBars(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bars: list[Bar] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Scores")

    def set_bars(self, bars: list[Bar]) -> None:
        self._bars = bars
        self.setAccessibleDescription("; ".join(
            f"{b.label}: {'not scored' if b.value is None else round(b.value)} out of 100" for b in bars))
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(320, max(1, len(self._bars)) * 26 + 4)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.sizeHint().height())

    def paintEvent(self, _event) -> None:  # noqa: ANN001
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = QFontMetrics(self.font())
        label_w = max([fm.horizontalAdvance(b.label) for b in self._bars] + [60]) + 12
        value_w = fm.horizontalAdvance("100") + 12
        bar_w = max(10, self.width() - label_w - value_w)
        for i, bar in enumerate(self._bars):
            y = i * 26 + 4
            p.setPen(_text_colour(self))
            p.drawText(QRectF(0, y, label_w - 8, 18), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       bar.label)
            track = QRectF(label_w, y + 2, bar_w, 14)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(_grid_colour(self))
            p.drawRoundedRect(track, 3, 3)
            if bar.value is not None:
                filled = QRectF(track)
                filled.setWidth(bar_w * max(0.0, min(100.0, bar.value)) / 100.0)
                p.setBrush(QColor(bar.colour))
                p.drawRoundedRect(filled, 3, 3)
            p.setPen(_text_colour(self))
            text = "–" if bar.value is None else f"{round(bar.value)}"
            p.drawText(QRectF(label_w + bar_w + 6, y, value_w, 18),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
        p.end()


@dataclass
class Segment:
    start: float
    end: float
    part: str
    label: str = ""


class TimelineBar(QWidget):
    """A bar across the speech: one coloured, hatched and lettered block per sentence."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._segments: list[Segment] = []
        self._total = 0.0
        self._unit = "s"
        self._cursor: float | None = None
        self.setMinimumHeight(46)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)
        self.setAccessibleName("Structure timeline")

    def set_segments(self, segments: list[Segment], total: float, unit: str = "s") -> None:
        self._segments = [s for s in segments if s.end > s.start]
        self._total = max(total, max((s.end for s in self._segments), default=0.0))
        self._unit = unit
        # Runs of the same part, described in words for screen readers.
        runs: list[list] = []
        for s in self._segments:
            if runs and runs[-1][0] == s.part:
                runs[-1][2] = s.end
            else:
                runs.append([s.part, s.start, s.end])
        self.setAccessibleDescription(", ".join(
            f"{part_style(p).label} {self._fmt(a)} to {self._fmt(b)}" for p, a, b in runs))
        self.update()

    def set_cursor(self, value: float | None) -> None:
        self._cursor = value
        self.update()

    def _fmt(self, v: float) -> str:
        if self._unit == "s":
            return f"{int(v // 60)}:{int(v % 60):02d}"
        return f"{v:.0%}"

    def sizeHint(self) -> QSize:
        return QSize(400, 46)

    def _x(self, v: float) -> float:
        return 0 if self._total <= 0 else v / self._total * (self.width() - 1)

    def paintEvent(self, _event) -> None:  # noqa: ANN001
        p = QPainter(self)
        h = 28
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(_grid_colour(self))
        p.drawRect(QRectF(0, 0, self.width(), h))
        font = QFont(self.font())
        font.setBold(True)
        p.setFont(font)
        fm = QFontMetrics(font)
        for seg in self._segments:
            x0, x1 = self._x(seg.start), self._x(seg.end)
            rect = QRectF(x0, 0, max(1.0, x1 - x0), h)
            style = part_style(seg.part)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(part_colour(seg.part))
            p.drawRect(rect)
            if style.hatch != Qt.BrushStyle.SolidPattern:
                hatch = QBrush(QColor(255, 255, 255, 110), style.hatch)
                p.setBrush(hatch)
                p.drawRect(rect)
            if rect.width() > fm.horizontalAdvance(style.letter) + 6:
                p.setPen(QColor("#000000"))
                p.drawText(rect, Qt.AlignmentFlag.AlignCenter, style.letter)
        # Separators between sentences so runs of one part still show their sentences.
        p.setPen(QPen(self.palette().color(QPalette.ColorRole.Window), 1))
        for seg in self._segments[1:]:
            x = self._x(seg.start)
            p.drawLine(QPointF(x, 0), QPointF(x, h))
        if self._cursor is not None and self._total > 0:
            p.setPen(QPen(_text_colour(self), 2))
            x = self._x(self._cursor)
            p.drawLine(QPointF(x, -2), QPointF(x, h + 2))
        p.setFont(self.font())
        p.setPen(_text_colour(self))
        if self._total > 0:
            p.drawText(QRectF(0, h + 2, 80, 16), Qt.AlignmentFlag.AlignLeft, self._fmt(0))
            p.drawText(QRectF(self.width() - 80, h + 2, 80, 16), Qt.AlignmentFlag.AlignRight, self._fmt(self._total))
        p.end()

    def segment_at(self, x: float) -> Segment | None:
        if self._total <= 0 or self.width() <= 1:
            return None
        v = x / (self.width() - 1) * self._total
        for seg in self._segments:
            if seg.start <= v <= seg.end:
                return seg
        return None

    def mouseMoveEvent(self, event) -> None:  # noqa: ANN001
        seg = self.segment_at(event.position().x())
        if seg:
            QToolTip.showText(event.globalPosition().toPoint(),
                              f"{part_style(seg.part).label}: {seg.label}" if seg.label else part_style(seg.part).label,
                              self)
        else:
            QToolTip.hideText()


@dataclass
class Series:
    name: str
    points: list[tuple[float, float]]
    colour: str
    dashed: bool = False
    marker: str = "o"  # "o", "s" (square), "^" (triangle), "d" (diamond): a non-colour cue


@dataclass
class Marker:
    x: float
    y: float
    text: str


@dataclass
class ChartSpec:
    series: list[Series] = field(default_factory=list)
    band: tuple[float, float] | None = None
    band_label: str = ""
    y_range: tuple[float, float] | None = None
    x_label: str = ""
    y_label: str = ""
    x_ticks: list[tuple[float, str]] | None = None
    markers: list[Marker] = field(default_factory=list)
    x_format: str = "num"  # "num" or "time"


class LineChart(QWidget):
    def __init__(self, parent: QWidget | None = None, *, name: str = "Chart") -> None:
        super().__init__(parent)
        self.spec = ChartSpec()
        self.setMinimumSize(260, 160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(name)

    def set_spec(self, spec: ChartSpec, description: str = "") -> None:
        self.spec = spec
        self.setAccessibleDescription(description)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(420, 200)

    def _ranges(self) -> tuple[float, float, float, float]:
        xs = [x for s in self.spec.series for x, _ in s.points]
        ys = [y for s in self.spec.series for _, y in s.points]
        x0, x1 = (min(xs), max(xs)) if xs else (0.0, 1.0)
        if x1 - x0 < 1e-9:
            x0, x1 = x0 - 0.5, x1 + 0.5
        if self.spec.y_range:
            y0, y1 = self.spec.y_range
        else:
            extra = list(self.spec.band or ())
            lo, hi = min(ys + extra, default=0.0), max(ys + extra, default=1.0)
            pad = (hi - lo) * 0.1 or 1.0
            y0, y1 = max(0.0, lo - pad), hi + pad
        return x0, x1, y0, y1

    def _fmt_x(self, v: float) -> str:
        if self.spec.x_format == "time":
            return f"{int(v // 60)}:{int(v % 60):02d}"
        return f"{v:g}"

    def paintEvent(self, _event) -> None:  # noqa: ANN001
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = QFontMetrics(self.font())
        legend_h = fm.height() + 8 if len(self.spec.series) > 1 else 0
        left, right, top, bottom = fm.horizontalAdvance("0000") + 14, 12, 10 + legend_h, fm.height() * 2 + 8
        plot = QRectF(left, top, max(10, self.width() - left - right), max(10, self.height() - top - bottom))
        x0, x1, y0, y1 = self._ranges()

        def X(v: float) -> float:
            return plot.left() + (v - x0) / (x1 - x0) * plot.width()

        def Y(v: float) -> float:
            return plot.bottom() - (v - y0) / ((y1 - y0) or 1) * plot.height()

        text = _text_colour(self)
        if self.spec.band:
            lo, hi = self.spec.band
            band = QRectF(plot.left(), Y(min(hi, y1)), plot.width(), Y(max(lo, y0)) - Y(min(hi, y1)))
            p.fillRect(band, QColor(0, 158, 115, 40))
            if self.spec.band_label:
                p.setPen(QColor("#009E73") if not _dark(self) else QColor("#4fd1a8"))
                p.drawText(band.adjusted(6, 2, -6, -2), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                           self.spec.band_label)
        # Grid and y ticks
        p.setPen(QPen(_grid_colour(self), 1))
        for tick in _nice_ticks(y0, y1, 4):
            p.drawLine(QPointF(plot.left(), Y(tick)), QPointF(plot.right(), Y(tick)))
            p.setPen(text)
            p.drawText(QRectF(0, Y(tick) - 8, left - 6, 16), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       f"{tick:g}")
            p.setPen(QPen(_grid_colour(self), 1))
        # x ticks
        p.setPen(text)
        ticks = self.spec.x_ticks if self.spec.x_ticks is not None else [(t, self._fmt_x(t)) for t in _nice_ticks(x0, x1, 5)]
        for tx, label in ticks:
            if x0 - 1e-9 <= tx <= x1 + 1e-9:
                w = fm.horizontalAdvance(label) + 4
                p.drawText(QRectF(X(tx) - w / 2, plot.bottom() + 3, w, fm.height()), Qt.AlignmentFlag.AlignHCenter, label)
        if self.spec.x_label:
            p.drawText(QRectF(plot.left(), plot.bottom() + fm.height() + 4, plot.width(), fm.height()),
                       Qt.AlignmentFlag.AlignHCenter, self.spec.x_label)
        if self.spec.y_label:
            p.drawText(QRectF(plot.left() + 6, plot.top() + 2, plot.width() - 12, fm.height()),
                       Qt.AlignmentFlag.AlignLeft, self.spec.y_label)
        p.setPen(QPen(_grid_colour(self), 1))
        p.drawRect(plot)
        # Series
        for s in self.spec.series:
            if not s.points:
                continue
            pen = QPen(QColor(s.colour), 2.2)
            if s.dashed:
                pen.setStyle(Qt.PenStyle.DashLine)
            p.setPen(pen)
            path = QPainterPath(QPointF(X(s.points[0][0]), Y(s.points[0][1])))
            for x, y in s.points[1:]:
                path.lineTo(QPointF(X(x), Y(y)))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(path)
            if len(s.points) <= 60:
                p.setBrush(QColor(s.colour))
                for x, y in s.points:
                    _draw_marker(p, s.marker, QPointF(X(x), Y(y)))
        # Labelled markers (first / best / latest)
        for m in self.spec.markers:
            pt = QPointF(X(m.x), Y(m.y))
            p.setPen(QPen(text, 1.5))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(pt, 7, 7)
            w = fm.horizontalAdvance(m.text) + 6
            tx = min(max(plot.left(), pt.x() - w / 2), plot.right() - w)
            ty = pt.y() - fm.height() - 9 if pt.y() - fm.height() - 9 > plot.top() else pt.y() + 9
            p.drawText(QRectF(tx, ty, w, fm.height()), Qt.AlignmentFlag.AlignCenter, m.text)
        # Legend, above the plot so it never hides a line
        if len(self.spec.series) > 1:
            x = plot.left()
            y = 4.0
            for s in self.spec.series:
                pen = QPen(QColor(s.colour), 2.2)
                if s.dashed:
                    pen.setStyle(Qt.PenStyle.DashLine)
                p.setPen(pen)
                p.drawLine(QPointF(x, y + 7), QPointF(x + 18, y + 7))
                p.setBrush(QColor(s.colour))
                _draw_marker(p, s.marker, QPointF(x + 9, y + 7))
                p.setPen(text)
                p.drawText(QPointF(x + 22, y + 11), s.name)
                x += 30 + fm.horizontalAdvance(s.name)
        p.end()


def _dark(widget: QWidget) -> bool:
    return widget.palette().color(QPalette.ColorRole.Window).lightness() < 128


def _draw_marker(p: QPainter, kind: str, pt: QPointF, r: float = 4.0) -> None:
    if kind == "s":
        p.drawRect(QRectF(pt.x() - r, pt.y() - r, 2 * r, 2 * r))
    elif kind == "^":
        path = QPainterPath(QPointF(pt.x(), pt.y() - r - 1))
        path.lineTo(pt.x() + r + 1, pt.y() + r)
        path.lineTo(pt.x() - r - 1, pt.y() + r)
        path.closeSubpath()
        p.drawPath(path)
    elif kind == "d":
        path = QPainterPath(QPointF(pt.x(), pt.y() - r - 1))
        path.lineTo(pt.x() + r + 1, pt.y())
        path.lineTo(pt.x(), pt.y() + r + 1)
        path.lineTo(pt.x() - r - 1, pt.y())
        path.closeSubpath()
        p.drawPath(path)
    else:
        p.drawEllipse(pt, r, r)


def _nice_ticks(lo: float, hi: float, n: int) -> list[float]:
    span = hi - lo
    if span <= 0:
        return [lo]
    raw = span / max(1, n)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.ceil(lo / step) * step
    ticks = []
    v = start
    while v <= hi + 1e-9:
        ticks.append(round(v, 6))
        v += step
    return ticks
