"""The views on their own, fed real reports from the analyser: offsets of marks inside the
transcript, the report refreshed from one recording to another, charts with odd data."""

from __future__ import annotations

import re

import pytest

from narrative_coach.analysis import analyze
from narrative_coach.ui.charts import ChartSpec, LineChart, ScoreBars, Series, TimelineBar
from narrative_coach.ui.report_view import ReportView
from narrative_coach.ui.transcript_view import TranscriptView, align_words

pytestmark = pytest.mark.gui

SPEECH = ("Um, when I was nine my father lost his job. I decided to help at the shelter. "
          "We are a city that looks after its neighbours. "
          "Tonight I just ask you to vote yes on Tuesday at seven.")


def timed_words(text: str, wpm: float = 150.0, pause_after: str = "neighbours.", pause_s: float = 2.0) -> list[dict]:
    """Words with plausible times (Whisper-style leading spaces), one long pause inside."""
    words, t, step = [], 0.0, 60.0 / wpm
    for m in re.finditer(r"\S+", text):
        words.append({"word": " " + m.group(), "start": round(t, 2), "end": round(t + step * 0.8, 2),
                      "probability": 0.9})
        t += step + (pause_s if m.group() == pause_after else 0.0)
    return words


def report_for(text: str) -> dict:
    words = timed_words(text)
    return analyze(text, words=words, transcript={"language": "en", "model": "tiny.en", "words": words},
                   duration_s=words[-1]["end"] + 0.5)


def test_align_words_maps_every_word_to_its_characters():
    words = timed_words(SPEECH)
    spans = align_words(SPEECH, words)
    assert len(spans) == len(words)
    for span, w in zip(spans, words):
        assert SPEECH[span.start_char:span.end_char] == w["word"].strip()


def test_transcript_marks_do_not_shift_the_text(qtbot):
    report = report_for(SPEECH)
    view = TranscriptView()
    qtbot.addWidget(view)
    view.set_report(report)
    shown = view.text.toPlainText()
    # Every sentence still sits at the document position the offset map gives.
    for s in report["sentences"]:
        a = view.doc_pos(s["start_char"])
        assert shown[a:a + len(s["text"])] == s["text"]
        assert view.char_at(a) == s["start_char"]
    # The 2-second pause is marked before the word after it; the part tags are inserted too.
    assert re.search(r"‖ 2\.\d s", shown)  # 2 s of silence plus the tail of the word before
    assert shown.index("‖") < shown.index("Tonight")
    for letter in {"S", "U", "N"} & {s["part"][0].upper() for s in report["sentences"]}:
        assert f" {letter} " in shown
    # The word at a time, and the word under a document position.
    i = view.word_index_at_time(timed_words(SPEECH)[5]["start"] + 0.01)
    assert i == 5
    assert view.word_at_doc(view.doc_pos(SPEECH.index("Tuesday")) + 1) is not None


def test_astral_characters_keep_offsets_right(qtbot):
    text = "We did it together 🎉. Tonight I ask you to vote on Tuesday."
    report = analyze(text)
    view = TranscriptView()
    qtbot.addWidget(view)
    view.set_report(report)
    last = report["sentences"][-1]
    # Document positions count UTF-16 units (the emoji is two): select through the document.
    from PySide6.QtGui import QTextCursor

    cursor = QTextCursor(view.text.document())
    cursor.setPosition(view.doc_pos(last["start_char"]))
    cursor.setPosition(view.doc_pos(last["end_char"] - 1) + 1, QTextCursor.MoveMode.KeepAnchor)
    assert cursor.selectedText() == last["text"]


def test_report_view_refreshes_from_one_recording_to_another(qtbot):
    view = ReportView()
    qtbot.addWidget(view)
    long_speech = " ".join([SPEECH] * 5)  # over a minute: a pace timeline with several points
    first, second = report_for(long_speech), report_for(long_speech + " Thank you all.")
    view.set_report(first)
    view.set_report(second)  # the pace chart of the first report is gone; a new one is drawn
    qtbot.wait(50)
    pace = view.cards.itemAt(0).widget()
    assert "words per minute" in pace.accessibleDescription()
    assert "recommended" in pace.accessibleDescription()
    assert view.pace_chart.spec.band == tuple(second["delivery"]["wpm_range"])
    # Typed text after a recording: no chart, and the pace card says why.
    view.set_report(analyze(SPEECH))
    qtbot.wait(50)
    assert "needs a recording" in view.cards.itemAt(0).widget().accessibleDescription()


def test_charts_paint_with_empty_and_degenerate_data(qtbot):
    for widget in (ScoreBars(), TimelineBar(), LineChart()):
        qtbot.addWidget(widget)
        widget.resize(300, 120)
        widget.show()
    chart = LineChart()
    qtbot.addWidget(chart)
    chart.set_spec(ChartSpec(series=[Series("one point", [(1.0, 50.0)], "#000000")], y_range=(0, 100)))
    chart.resize(300, 200)
    assert not chart.grab().isNull()
    bar = TimelineBar()
    qtbot.addWidget(bar)
    bar.set_segments([], 0.0)
    bar.resize(300, 50)
    assert not bar.grab().isNull()
