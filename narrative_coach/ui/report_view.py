"""The coach's report: scores, the structure timeline, the element checklist with quoted
evidence, the top coaching points and the delivery cards (each figure with its recommended range).

Everything shown is read from the report dict (ARCHITECTURE.md's report contract); nothing is
computed here beyond layout.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QFrame, QGridLayout, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout,
                               QWidget)

from narrative_coach.ui.charts import Bar, ChartSpec, LineChart, ScoreBars, Segment, Series, TimelineBar
from narrative_coach.ui.theme import BAD_COLOUR, GOOD_COLOUR, PART_STYLES, part_style

ELEMENTS = (
    ("self_challenge", "self", "A challenge you faced"),
    ("self_choice", "self", "The choice you made"),
    ("self_outcome", "self", "What came of it, what you learned"),
    ("us_values", "us", "Values and experience we share"),
    ("now_urgency", "now", "Why now: the stakes, the deadline"),
    ("now_hope", "now", "Hope: what success looks like"),
    ("now_action", "now", "A specific ask: who does what, when"),
)

AREA_NAMES = {"self": "Story of self", "us": "Story of us", "now": "Story of now", "structure": "Structure",
              "delivery": "Delivery"}


def _quote(text: str, limit: int = 160) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _num(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _section(title: str) -> QLabel:
    label = QLabel(title)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.2)
    font.setBold(True)
    label.setFont(font)
    label.setAccessibleName(title)
    return label


class Card(QFrame):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("QFrame#card { border: 1px solid palette(mid); border-radius: 6px; }")
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(10, 8, 10, 8)
        self.title = QLabel(title)
        f = self.title.font()
        f.setBold(True)
        self.title.setFont(f)
        self.layout_.addWidget(self.title)
        self.setAccessibleName(title)


def _fmt(value: object, unit: str = "") -> str:
    v = _num(value)
    if v is None:
        return "–"
    text = f"{v:.0f}" if abs(v) >= 10 or v == int(v) else f"{v:.1f}"
    return f"{text}{unit}"


def _range_text(rng: object, unit: str = "") -> str:
    if isinstance(rng, (list, tuple)) and len(rng) == 2:
        lo, hi = rng
        if lo is None:
            return f"recommended: at most {_fmt(hi)}{unit}"
        if hi is None:
            return f"recommended: at least {_fmt(lo)}{unit}"
        return f"recommended: {_fmt(lo)}–{_fmt(hi)}{unit}"
    if isinstance(rng, dict) and ("min" in rng or "max" in rng):
        return _range_text([rng.get("min"), rng.get("max")], unit)
    return ""


def _verdict(value: object, rng: object, low_word: str = "low", high_word: str = "high") -> tuple[str, str]:
    v = _num(value)
    if v is None or not isinstance(rng, (list, tuple)) or len(rng) != 2:
        return "", ""
    lo, hi = rng
    if lo is not None and v < lo:
        return f"▼ {low_word}", BAD_COLOUR
    if hi is not None and v > hi:
        return f"▲ {high_word}", BAD_COLOUR
    return "✓ in range", GOOD_COLOUR


class ReportView(QScrollArea):
    sentence_activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAccessibleName("Report")
        self._report: dict = {}
        inner = QWidget()
        self.setWidget(inner)
        self.v = QVBoxLayout(inner)
        self.v.setContentsMargins(14, 10, 14, 14)
        self.v.setSpacing(10)

        # Scores
        top = QHBoxLayout()
        self.overall = QLabel("–")
        self.overall.setAccessibleName("Overall score")
        self.overall.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.overall.setMinimumWidth(120)
        top.addWidget(self.overall)
        self.bars = ScoreBars()
        top.addWidget(self.bars, 1)
        self.v.addLayout(top)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.v.addWidget(self.notice)

        self.v.addWidget(_section("Structure"))
        self.timeline = TimelineBar()
        self.v.addWidget(self.timeline)
        self.parts_line = QLabel()
        self.parts_line.setWordWrap(True)
        self.v.addWidget(self.parts_line)

        cols = QHBoxLayout()
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(_section("Top coaching points"))
        self.feedback = QLabel()
        self.feedback.setWordWrap(True)
        self.feedback.setTextFormat(Qt.TextFormat.RichText)
        self.feedback.setAccessibleName("Top coaching points")
        self.feedback.linkActivated.connect(self._on_link)
        self.feedback.setAlignment(Qt.AlignmentFlag.AlignTop)
        left.addWidget(self.feedback)
        left.addStretch(1)
        right.addWidget(_section("Public narrative checklist"))
        self.elements = QLabel()
        self.elements.setWordWrap(True)
        self.elements.setTextFormat(Qt.TextFormat.RichText)
        self.elements.setAccessibleName("Public narrative checklist")
        self.elements.linkActivated.connect(self._on_link)
        self.elements.setAlignment(Qt.AlignmentFlag.AlignTop)
        right.addWidget(self.elements)
        right.addStretch(1)
        cols.addLayout(left, 1)
        cols.addSpacing(16)
        cols.addLayout(right, 1)
        self.v.addLayout(cols)

        self.v.addWidget(_section("Delivery"))
        self.cards_host = QWidget()
        self.cards = QGridLayout(self.cards_host)
        self.cards.setContentsMargins(0, 0, 0, 0)
        self.cards.setSpacing(8)
        self.v.addWidget(self.cards_host)
        self.pace_chart = LineChart(name="Pace over time")
        self.v.addStretch(1)

    def _on_link(self, href: str) -> None:
        if href.startswith("#s"):
            try:
                self.sentence_activated.emit(int(href[2:]))
            except ValueError:
                pass

    # ---- content ---------------------------------------------------------------------------------
    def set_report(self, report: dict) -> None:
        self._report = report
        scores = report.get("scores") or {}
        overall = _num(scores.get("overall"))
        self.overall.setText(
            f"<div style='font-size:34pt; font-weight:600'>{_fmt(overall)}</div><div>overall, of 100</div>")
        self.overall.setAccessibleDescription(f"Overall score {_fmt(overall)} out of 100")
        self.bars.set_bars([
            Bar("Story of self", _num(scores.get("self")), PART_STYLES["self"].colour),
            Bar("Story of us", _num(scores.get("us")), PART_STYLES["us"].colour),
            Bar("Story of now", _num(scores.get("now")), PART_STYLES["now"].colour),
            Bar("Structure", _num(scores.get("structure")), "#0072B2"),
            Bar("Delivery", _num(scores.get("delivery")), "#CC79A7"),
        ])
        message = report.get("language_message") or report.get("message")
        if report.get("language_supported") is False or message:
            self.notice.setText(f"ℹ {html.escape(str(message or 'Scoring is for English speeches only.'))}")
            self.notice.show()
        else:
            self.notice.hide()
        self._set_timeline(report)
        self.feedback.setText(self._feedback_html(report))
        self.elements.setText(self._elements_html(report))
        self._set_cards(report)

    def _set_timeline(self, report: dict) -> None:
        sentences = report.get("sentences") or []
        duration = _num(report.get("duration_s"))
        timed = duration and all(_num(s.get("start_s")) is not None and _num(s.get("end_s")) is not None
                                 for s in sentences)
        segments = []
        if timed:
            for s in sentences:
                segments.append(Segment(float(s["start_s"]), float(s["end_s"]), s.get("part") or "other",
                                        _quote(s.get("text", ""), 80)))
            self.timeline.set_segments(segments, float(duration), unit="s")
        else:
            total = max(1, len(report.get("text") or ""))
            for s in sentences:
                segments.append(Segment(int(s.get("start_char", 0)) / total, int(s.get("end_char", 0)) / total,
                                        s.get("part") or "other", _quote(s.get("text", ""), 80)))
            self.timeline.set_segments(segments, 1.0, unit="%")
        parts = report.get("parts") or {}
        bits = []
        for name in ("self", "us", "now"):
            info = parts.get(name) or {}
            share = _num(info.get("share_words"))
            secs = _num(info.get("seconds"))
            style = part_style(name)
            detail = f"{share:.0%} of words" if share is not None else ""
            if secs:
                detail += f", {secs:.0f} s"
            n = info.get("sentence_count")
            if isinstance(n, int):
                detail += f", {n} sentence{'s' if n != 1 else ''}"
            bits.append(f"<b style='color:{style.colour}'>[{style.letter}]</b> {style.label}: {detail or '–'}")
        self.parts_line.setText(" &nbsp;&nbsp; ".join(bits))

    def _sentence_text(self, index: object) -> str | None:
        sentences = self._report.get("sentences") or []
        if isinstance(index, int) and 0 <= index < len(sentences):
            return str(sentences[index].get("text", ""))
        return None

    def _evidence_links(self, indices: Iterable[object], limit: int = 2) -> str:
        out = []
        for i in list(indices or [])[:limit]:
            text = self._sentence_text(i)
            if text:
                out.append(f"<a href='#s{i}' style='text-decoration:none'>“{html.escape(_quote(text, 140))}”</a>")
        return "<br>".join(out)

    def _feedback_html(self, report: dict) -> str:
        items = [f for f in report.get("feedback") or [] if isinstance(f, dict)]
        if not items:
            return "<i>No coaching points: nothing stood out.</i>"
        rows = []
        for n, item in enumerate(items[:3], 1):
            area = AREA_NAMES.get(str(item.get("area")), str(item.get("area", "")).capitalize())
            ev = self._evidence_links(item.get("evidence") or [], limit=1)
            rows.append(
                f"<p><b>{n}. {html.escape(area)}</b><br>{html.escape(str(item.get('message', '')))}"
                + (f"<br><span style='font-size:small'>{ev}</span>" if ev else "") + "</p>")
        if len(items) > 3:
            more = "".join(
                f"<li>{html.escape(AREA_NAMES.get(str(i.get('area')), str(i.get('area', ''))))}: "
                f"{html.escape(str(i.get('message', '')))}</li>" for i in items[3:8])
            rows.append(f"<p style='margin-top:4px'><i>Also:</i></p><ul style='margin-top:0'>{more}</ul>")
        return "".join(rows)

    def _elements_html(self, report: dict) -> str:
        elements = report.get("elements") or {}
        rows = []
        for key, part, label in ELEMENTS:
            info = elements.get(key) or {}
            present = bool(info.get("present"))
            style = part_style(part)
            mark = (f"<span style='color:{GOOD_COLOUR}'>✓</span>" if present
                    else f"<span style='color:{BAD_COLOUR}'>✗</span>")
            ev = self._evidence_links(info.get("evidence") or []) if present else "<i>not found</i>"
            rows.append(f"<tr><td valign='top' style='padding-right:6px; font-size:large'>{mark}</td>"
                        f"<td><b>[{style.letter}] {html.escape(label)}</b> "
                        f"<span style='font-size:small'>({'present' if present else 'missing'})</span>"
                        f"<br><span style='font-size:small'>{ev}</span></td></tr>")
        return "<table cellspacing='3'>" + "".join(rows) + "</table>"

    # ---- delivery cards --------------------------------------------------------------------------
    def _set_cards(self, report: dict) -> None:
        while self.cards.count():
            item = self.cards.takeAt(0)
            w = item.widget()
            if w is not None:
                w.deleteLater()
        delivery = report.get("delivery") or {}
        cards = [self._pace_card(delivery), self._pauses_card(delivery.get("pauses")),
                 self._fillers_card(delivery.get("fillers"), delivery.get("hedges")),
                 self._pitch_card(delivery.get("pitch")), self._loudness_card(delivery.get("loudness")),
                 self._readability_card(delivery.get("readability"))]
        for i, card in enumerate(cards):
            if i == 0:
                self.cards.addWidget(card, 0, 0, 1, 3)
            else:
                self.cards.addWidget(card, 1 + (i - 1) // 3, (i - 1) % 3)

    def _figure(self, card: Card, figure: str, unit: str, range_text: str, verdict: tuple[str, str]) -> None:
        row = QHBoxLayout()
        big = QLabel(f"<span style='font-size:20pt; font-weight:600'>{html.escape(figure)}</span> {html.escape(unit)}")
        row.addWidget(big)
        if verdict[0]:
            v = QLabel(f"<span style='color:{verdict[1]}; font-weight:600'>{html.escape(verdict[0])}</span>")
            row.addWidget(v)
        row.addStretch(1)
        card.layout_.addLayout(row)
        if range_text:
            card.layout_.addWidget(QLabel(range_text))
        card.setAccessibleDescription(f"{figure} {unit}. {range_text}. {verdict[0]}")

    def _lines(self, card: Card, lines: list[str]) -> None:
        for line in lines:
            label = QLabel(line)
            label.setWordWrap(True)
            card.layout_.addWidget(label)

    def _unavailable(self, card: Card, why: str) -> Card:
        label = QLabel(f"<i>{html.escape(why)}</i>")
        label.setWordWrap(True)
        card.layout_.addWidget(label)
        card.setAccessibleDescription(why)
        return card

    def _pace_card(self, d: dict) -> Card:
        card = Card("Pace")
        wpm = _num(d.get("wpm"))
        if wpm is None:
            return self._unavailable(card, "Pace needs a recording: typed text has no timing.")
        rng = d.get("wpm_range")
        self._figure(card, _fmt(wpm), "words per minute", _range_text(rng, " wpm"),
                     _verdict(wpm, rng, "slow", "fast"))
        timeline = [(float(p["t"]), float(p["wpm"])) for p in d.get("wpm_timeline") or []
                    if _num(p.get("t")) is not None and _num(p.get("wpm")) is not None]
        if len(timeline) >= 2:
            # A new chart each time: the old card (and the chart inside it) is deleted on refresh.
            self.pace_chart = LineChart(name="Pace over time")
            band = tuple(rng) if isinstance(rng, (list, tuple)) and len(rng) == 2 and None not in rng else None
            self.pace_chart.set_spec(ChartSpec(series=[Series("pace", timeline, "#0072B2")], band=band,
                                               band_label="recommended range" if band else "", x_format="time",
                                               x_label="time into the speech (min:s)", y_label="words per minute"),
                                     f"Pace from {min(v for _, v in timeline):.0f} to "
                                     f"{max(v for _, v in timeline):.0f} words per minute")
            self.pace_chart.setMinimumHeight(170)
            card.layout_.addWidget(self.pace_chart)
        return card

    def _pauses_card(self, d: object) -> Card:
        card = Card("Pauses")
        if not isinstance(d, dict) or d.get("available") is False:
            return self._unavailable(card, "Pauses need a recording.")
        by_class = d.get("by_class") or {}
        per_min = _num(d.get("per_minute"))
        self._figure(card, f"{per_min:.1f}" if per_min is not None else _fmt(d.get("count")),
                     "pauses a minute" if per_min is not None else "pauses", "", ("", ""))
        lines = []
        if by_class:
            lines.append(f"{by_class.get('brief', 0)} brief, {by_class.get('medium', 0)} medium, "
                         f"{by_class.get('long', 0)} long (over 1 s)")
        longest = _num(d.get("longest_s"))
        if longest is not None:
            lines.append(f"Longest pause: {longest:.1f} s")
        inside = d.get("long_inside_sentence") or []
        limit = _num(d.get("long_inside_sentence_s"))
        if limit is not None:
            verdict = (f"<span style='color:{BAD_COLOUR}'>▲ {len(inside)} inside a sentence</span>" if inside
                       else f"<span style='color:{GOOD_COLOUR}'>✓ none inside a sentence</span>")
            lines.append(f"recommended: no pause over {limit:g} s inside a sentence. {verdict}")
        self._lines(card, lines)
        return card

    def _fillers_card(self, d: object, hedges: object) -> Card:
        card = Card("Fillers and hedges")
        if not isinstance(d, dict):
            return self._unavailable(card, "No filler count.")
        per_min = _num(d.get("per_minute"))
        if per_min is not None:
            mx = _num(d.get("per_minute_max"))
            rng = [None, mx] if mx is not None else None
            self._figure(card, f"{per_min:.1f}", "fillers a minute", _range_text(rng, " a minute"),
                         _verdict(per_min, rng, "low", "too many"))
        else:
            per100 = _num(d.get("per_100_words"))
            mx = _num(d.get("per_100_words_max"))
            rng = [None, mx] if mx is not None else None
            self._figure(card, f"{per100:.1f}" if per100 is not None else "–", "fillers per 100 words",
                         _range_text(rng, " per 100 words"), _verdict(per100, rng, "low", "too many"))
        lines = [f"{d.get('count', 0)} in all"]
        top = [t for t in d.get("top") or [] if isinstance(t, dict)]
        if top:
            lines[0] += ": " + ", ".join(f"“{t.get('word')}” ×{t.get('count')}" for t in top[:4])
        if isinstance(hedges, dict) and isinstance(hedges.get("count"), int):
            hc = hedges["count"]
            text = f"{hc} hedge{'s' if hc != 1 else ''}"
            htop = [t for t in hedges.get("top") or [] if isinstance(t, dict)]
            if htop:
                text += ": " + ", ".join(f"“{t.get('phrase')}” ×{t.get('count')}" for t in htop[:3])
            hpm, hmax = _num(hedges.get("per_minute")), _num(hedges.get("per_minute_max"))
            if hpm is not None and hmax is not None:
                text += f" ({hpm:.1f} a minute; recommended: at most {hmax:g})"
            lines.append(text)
        self._lines(card, lines)
        return card

    def _pitch_card(self, d: object) -> Card:
        card = Card("Pitch variation")
        if not isinstance(d, dict) or d.get("available") is False or _num(d.get("semitone_sd")) is None:
            reason = d.get("reason") if isinstance(d, dict) else None
            return self._unavailable(card, f"Not measured: {reason}." if reason else "Pitch needs a recording.")
        sd = _num(d.get("semitone_sd"))
        mn = _num(d.get("semitone_sd_min"))
        rng = [mn, None] if mn is not None else None
        self._figure(card, f"{sd:.1f}", "semitones of variation", _range_text(rng, " semitones"),
                     _verdict(sd, rng, "monotone", "wide"))
        lines = []
        if _num(d.get("median_hz")) is not None:
            lines.append(f"Median pitch {d['median_hz']:.0f} Hz")
        flat = d.get("monotone_stretches") or []
        if flat:
            lines.append(f"{len(flat)} flat stretch{'es' if len(flat) != 1 else ''}, first at "
                         f"{int(flat[0]['start'] // 60)}:{int(flat[0]['start'] % 60):02d}")
        self._lines(card, lines)
        return card

    def _loudness_card(self, d: object) -> Card:
        card = Card("Loudness")
        if not isinstance(d, dict) or _num(d.get("mean_dbfs")) is None:
            reason = d.get("reason") if isinstance(d, dict) else None
            return self._unavailable(card, f"Not measured: {reason}." if reason else "Loudness needs a recording.")
        mean = _num(d.get("mean_dbfs"))
        quiet = _num(d.get("quiet_below_dbfs"))
        rng = [quiet, None] if quiet is not None else None
        self._figure(card, f"{mean:.0f}", "dBFS on average", _range_text(rng, " dBFS"),
                     _verdict(mean, rng, "quiet", "loud"))
        lines = []
        sd, sd_min = _num(d.get("sd_db")), _num(d.get("sd_db_min"))
        if sd is not None:
            text = f"Variation {sd:.1f} dB"
            if sd_min is not None:
                text += f" (recommended: at least {sd_min:g} dB) " + ("✓" if sd >= sd_min else "▼ flat")
            lines.append(text)
        clipping = d.get("clipping") or {}
        if isinstance(clipping, dict) and clipping.get("samples"):
            lines.append(f"▲ Clipping in {clipping.get('runs', 0)} place(s): move back from the microphone")
        self._lines(card, lines)
        return card

    def _readability_card(self, d: object) -> Card:
        card = Card("Readability")
        if not isinstance(d, dict) or _num(d.get("grade")) is None:
            return self._unavailable(card, "Too little text to measure.")
        grade = _num(d.get("grade"))
        gmax = _num(d.get("grade_max"))
        rng = [None, gmax] if gmax is not None else None
        self._figure(card, f"{grade:.0f}", "school grade level", _range_text(rng),
                     _verdict(grade, rng, "simple", "hard"))
        lines = []
        ease = _num(d.get("flesch_reading_ease"))
        if ease is not None:
            lines.append(f"Flesch reading ease {ease:.0f} (higher is easier)")
        avg, smax = _num(d.get("avg_sentence_words")), _num(d.get("sentence_words_max"))
        if avg is not None:
            lines.append(f"{avg:.0f} words per sentence on average"
                         + (f" (recommended: at most {smax:g})" if smax is not None else ""))
        self._lines(card, lines)
        return card

    def card_titles(self) -> list[str]:
        return [self.cards.itemAt(i).widget().accessibleName() for i in range(self.cards.count())]
