"""Navigate the library, follow a speech across drafts (history chart), compare two drafts, and
keep notes: all through the real window on a real SQLite library."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from ui_support import SHORT_SPEECH, open_window, prepared_settings, wait_saved

pytestmark = pytest.mark.gui

BETTER = SHORT_SPEECH + (
    " I remember the night the shelter roof fell in and what I learned from it. "
    "Imagine a city where no family sleeps outside. Sign up at the table by the door tonight."
)


def _add(qtbot, window, text: str, title: str) -> None:  # noqa: ANN001
    window.analyze_text(text, title)
    assert wait_saved(qtbot, window) == "saved", window.banner.message


def test_new_speech_two_drafts_history_compare_and_notes(qtbot, library_home):
    window = open_window(qtbot, prepared_settings(library_home))
    task = window.create_speech("Budget address", occasion="council", audience="residents", target_minutes=4)
    qtbot.waitUntil(lambda: task.done and window.sidebar.speech_count() == 1, timeout=20000)
    qtbot.waitUntil(lambda: window.sidebar.current_speech() is not None, timeout=20000)
    speech = window.sidebar.current_speech()
    assert speech.title == "Budget address" and speech.target_minutes == 4
    # With the speech selected, new drafts go to it.
    _add(qtbot, window, SHORT_SPEECH, window._current_title())
    qtbot.waitUntil(lambda: window.draft_view.draft is not None and window.draft_view.draft.number == 1, timeout=20000)
    _add(qtbot, window, BETTER, window._current_title())
    qtbot.waitUntil(lambda: window.draft_view.draft is not None and window.draft_view.draft.number == 2, timeout=20000)
    assert window.sidebar.speech_count() == 1

    # History: both drafts on the chart, first/best/latest marked by the library's progress.
    history = window.draft_view.history
    qtbot.waitUntil(lambda: history.progress is not None and len(history.progress.points) == 2, timeout=20000)
    assert history.table.rowCount() == 2
    labels = " ".join(m.text for m in history.chart.spec.markers)
    assert "first" in labels and "latest" in labels and "best" in labels
    assert history.chart.spec.series[0].name == "Overall"

    # Compare: pickers hold both drafts, pressing Compare shows the word diff and deltas.
    compare = window.draft_view.compare
    qtbot.waitUntil(lambda: compare.a.count() == 2, timeout=20000)
    window.draft_view.tabs.setCurrentIndex(3)
    compare.go.click()
    qtbot.waitUntil(lambda: compare.comparison is not None, timeout=20000)
    c = compare.comparison
    assert (c.a.number, c.b.number) == (1, 2)
    assert c.words_added > 0
    assert "roof" in compare.diff.toPlainText()
    assert "Draft 1 → draft 2" in compare.summary.toPlainText()

    # Navigate back to draft 1 from the sidebar.
    with qtbot.waitSignal(window.draft_shown, timeout=20000):
        window.select_draft(c.a.id)
    assert window.draft_view.draft.number == 1

    # Notes are saved as you type and survive a restart.
    window.draft_view.tabs.setCurrentIndex(4)
    qtbot.keyClicks(window.draft_view.notes, "Slow down in the story of self.")
    qtbot.waitUntil(lambda: (window.draft_view.draft.notes or "") == "Slow down in the story of self.", timeout=10000)
    window.close()
    from narrative_coach.app.library import Library

    with Library.open(window.settings) as lib:
        assert lib.get_draft(c.a.id).notes == "Slow down in the story of self."


def test_search_filters_the_sidebar(qtbot, library_home):
    window = open_window(qtbot, prepared_settings(library_home))
    _add(qtbot, window, SHORT_SPEECH, "Vigil for the flood victims")
    _add(qtbot, window, SHORT_SPEECH, "Budget address")
    qtbot.waitUntil(lambda: window.sidebar.speech_count() == 2, timeout=20000)
    qtbot.keyClicks(window.sidebar.search, "vigil")
    visible = [i for i in window.sidebar._speech_items.values() if not i.isHidden()]
    assert [i.data(0, Qt.ItemDataRole.UserRole).title for i in visible] == ["Vigil for the flood victims"]


def test_notes_typed_just_before_closing_are_kept(qtbot, library_home):
    window = open_window(qtbot, prepared_settings(library_home))
    _add(qtbot, window, SHORT_SPEECH, "Toast")
    qtbot.waitUntil(lambda: window.draft_view.draft is not None, timeout=20000)
    draft_id = window.draft_view.draft.id
    window.draft_view.notes.setPlainText("Cut the second joke.")
    window.close()  # before the typing debounce fires
    from narrative_coach.app.library import Library

    with Library.open(window.settings) as lib:
        assert lib.get_draft(draft_id).notes == "Cut the second joke."


def test_a_note_on_selected_words_carries_the_author_and_can_be_marked_done(qtbot, library_home):
    window = open_window(qtbot, prepared_settings(library_home, author_name="Coach Dana"))
    _add(qtbot, window, SHORT_SPEECH, "Shelter speech")
    qtbot.waitUntil(lambda: window.draft_view.draft is not None, timeout=20000)
    view = window.draft_view.transcript
    text = window.draft_view.draft.report["text"]
    a = text.index("my father lost his job")
    b = a + len("my father lost his job")
    start, end, t0, t1 = view.span_for_selection(view.doc_pos(a), view.doc_pos(b - 1) + 1)
    assert (start, end) == (a, b) and t0 == -1.0  # typed text: no times
    window.draft_view.add_annotation("Say which year: make it a moment.", start, end, t0, t1)
    notes = window.draft_view.annotations
    qtbot.waitUntil(lambda: notes.count() == 1, timeout=20000)
    assert "Coach Dana" in notes.item(0).text() and "my father lost his job" in notes.item(0).text()
    notes.setCurrentRow(0)
    window.draft_view.resolve_button.click()
    qtbot.waitUntil(lambda: notes.count() == 1 and notes.item(0).text().startswith("✓"), timeout=20000)
    from narrative_coach.app.library import Library

    window.close()
    with Library.open(window.settings) as lib:
        [note] = lib.list_annotations(window.draft_view.draft.id)
        assert note.author == "Coach Dana" and note.resolved and (note.start_char, note.end_char) == (a, b)


def test_rename_and_delete_from_the_sidebar(qtbot, library_home):
    window = open_window(qtbot, prepared_settings(library_home))
    _add(qtbot, window, SHORT_SPEECH, "Draft title")
    _add(qtbot, window, BETTER, "Draft title")
    qtbot.waitUntil(lambda: window.draft_view.draft is not None and window.draft_view.draft.number == 2, timeout=20000)
    speech_id = window.draft_view.draft.speech_id
    second = window.draft_view.draft.id
    task = window.rename_speech(speech_id, "Harbour festival welcome")
    qtbot.waitUntil(lambda: task.done and window.sidebar.speech(speech_id).title == "Harbour festival welcome",
                    timeout=20000)
    task = window.delete_draft(second, confirm=False)
    qtbot.waitUntil(lambda: task.done and window.sidebar.speech(speech_id).draft_count == 1, timeout=20000)
    assert window.draft_view.draft is None and window.stack.currentWidget() is window.welcome
    task = window.delete_speech(window.sidebar.speech(speech_id), confirm=False)
    qtbot.waitUntil(lambda: task.done and window.sidebar.speech_count() == 0, timeout=20000)
