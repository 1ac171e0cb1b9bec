"""The main window: library sidebar, the draft view, the recording panel, a toolbar and the
background work that connects them to the use cases (`narrative_coach.app`).

Every database call goes through `Runner.run` (the serial DB thread); every transcription or
analysis through `Runner.run(..., parallel=True)`. Results land here, on the GUI thread.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QMainWindow, QPlainTextEdit, QProgressBar, QPushButton, QSplitter,
                               QStackedWidget, QToolBar, QVBoxLayout, QWidget)

from narrative_coach.errors import UserError
from narrative_coach.settings import Settings, save_settings
from narrative_coach.ui import pending
from narrative_coach.ui.draft_view import TAB_TRANSCRIPT, DraftView
from narrative_coach.ui.errors import Banner
from narrative_coach.ui.gc_guard import collect_on_gui_thread
from narrative_coach.ui.icons import icon, sample_speech
from narrative_coach.ui.library_sidebar import LibrarySidebar, NewSpeechDialog, attr
from narrative_coach.ui.record_panel import RecordPanel
from narrative_coach.ui.welcome import WelcomePage
from narrative_coach.ui.workers import Runner, Task

log = logging.getLogger("narrative_coach.ui")

AUDIO_FILTER = ("Audio or text (*.wav *.flac *.mp3 *.m4a *.ogg *.opus *.webm *.mp4 *.aac *.txt *.md);;"
                "All files (*)")
SAMPLE_TITLE = "Sample: the flood-park speech"
PAGE_WELCOME, PAGE_DRAFT, PAGE_RECORD = range(3)


class PasteDialog(QDialog):
    """New draft from text: paste or type a script."""

    def __init__(self, speech_title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New draft from text")
        self.resize(640, 480)
        form = QFormLayout(self)
        self.title = QLineEdit(speech_title)
        self.title.setAccessibleName("Speech title")
        self.title.setPlaceholderText("Which speech is this a draft of?")
        self.text = QPlainTextEdit()
        self.text.setAccessibleName("Speech text")
        self.text.setPlaceholderText("Paste or type the speech here.")
        form.addRow("Speech &title", self.title)
        form.addRow("&Text", self.text)
        self.error = QLabel()
        self.error.setStyleSheet("color: #D55E00")
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Analyse")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _accept(self) -> None:
        if not self.title.text().strip():
            self.error.setText("Give the speech a title.")
        elif not self.text.toPlainText().strip():
            self.error.setText("Paste or type the speech first.")
        else:
            self.accept()


class MainWindow(QMainWindow):
    """`ready` fires once the library is open and the sidebar is filled (cold-start benchmark)."""

    ready = Signal()
    draft_shown = Signal(int)
    work_finished = Signal(str)  # "saved", "cancelled" or "failed"

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        collect_on_gui_thread()
        self.settings = settings
        self.library = None
        self.runner = Runner(self)
        self.player = None
        self._player_path: Path | None = None
        self.current_task: Task | None = None
        self._current_speech_id: int | None = None
        self._closing = False
        self.setWindowTitle("Narrative Coach")
        self.setWindowIcon(icon("app", 64))
        self.setMinimumSize(QSize(900, 600))
        self.resize(1280, 840)
        self.setAcceptDrops(True)

        central = QWidget()
        v = QVBoxLayout(central)
        v.setContentsMargins(6, 6, 6, 0)
        self.banner = Banner()
        self.banner.action_clicked.connect(self._banner_action)
        self._banner_callback = None
        v.addWidget(self.banner)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.sidebar = LibrarySidebar()
        self.stack = QStackedWidget()
        self.welcome = WelcomePage()
        self.draft_view = DraftView()
        self.record_panel = RecordPanel(settings)
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.draft_view)
        self.stack.addWidget(self.record_panel)
        split.addWidget(self.sidebar)
        split.addWidget(self.stack)
        split.setStretchFactor(1, 1)
        split.setSizes([300, 980])
        v.addWidget(split, 1)
        self.setCentralWidget(central)
        self._build_actions()
        self._build_status()
        self._connect()

        self._play_timer = QTimer(self)
        self._play_timer.setInterval(50)
        self._play_timer.timeout.connect(self._poll_player)
        self.statusBar().showMessage("Opening the library…")
        self.runner.run(self._open_library, on_result=self._library_opened, on_error=self._library_failed,
                        name="open library")

    # ---- construction ---------------------------------------------------------------------------
    def _build_actions(self) -> None:
        self._icons: list[tuple[QAction, str]] = []
        tb = QToolBar("Main")
        tb.setObjectName("main-toolbar")
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        tb.setMovable(False)
        self.addToolBar(tb)

        def action(name: str, icon_name: str, key: Any, slot: Any, tip: str) -> QAction:
            a = QAction(icon(icon_name), name, self)
            self._icons.append((a, icon_name))
            if key:
                a.setShortcut(QKeySequence(key))
            a.setToolTip(f"{tip} ({QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)})" if key else tip)
            a.setStatusTip(tip)
            a.triggered.connect(slot)
            tb.addAction(a)
            return a

        self.record_action = action("Record", "record", "Ctrl+R", self.show_record, "Record a practice take")
        self.import_action = action("Import audio", "import", "Ctrl+I", self.import_dialog,
                                    "Import a recording or a text file")
        self.text_action = action("New draft from text", "text", "Ctrl+N", self.paste_dialog, "Paste a script")
        tb.addSeparator()
        self.play_action = action("Play", "play", None, self.toggle_play, "Play or pause the draft's recording (Space)")
        self.play_action.setEnabled(False)
        self.find_action = action("Find", "find", "Ctrl+F", self.open_find, "Find in the transcript")
        tb.addSeparator()
        self.settings_action = action("Settings", "settings", "Ctrl+,", self.open_settings,
                                      "Microphone, model, library folder, your name, appearance")
        # Space plays/pauses anywhere except where it types (text fields take it first).
        self.space = QShortcut(QKeySequence(Qt.Key.Key_Space), self)
        self.space.activated.connect(self.toggle_play)
        for a, name in ((self.record_action, "Record"), (self.import_action, "Import audio"),
                        (self.text_action, "New draft from text"), (self.play_action, "Play or pause"),
                        (self.find_action, "Find in transcript"), (self.settings_action, "Settings")):
            w = tb.widgetForAction(a)
            if w is not None:
                w.setAccessibleName(name)

    def _build_status(self) -> None:
        box = QWidget()
        h = QHBoxLayout(box)
        h.setContentsMargins(0, 0, 0, 0)
        self.work_label = QLabel()
        self.work_bar = QProgressBar()
        self.work_bar.setRange(0, 100)
        self.work_bar.setMaximumWidth(240)
        self.work_bar.setAccessibleName("Background work progress")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel background work")
        self.cancel_button.clicked.connect(self.cancel_work)
        h.addWidget(self.work_label)
        h.addWidget(self.work_bar)
        h.addWidget(self.cancel_button)
        box.hide()
        self.work_box = box
        self.statusBar().addPermanentWidget(box)

    def _connect(self) -> None:
        self.sidebar.draft_selected.connect(self.open_draft)
        self.sidebar.speech_selected.connect(self._speech_selected)
        self.sidebar.speech_expanded.connect(self._load_drafts)
        self.sidebar.new_speech_requested.connect(self.new_speech_dialog)
        self.sidebar.rename_requested.connect(self.rename_speech_dialog)
        self.sidebar.delete_speech_requested.connect(self.delete_speech)
        self.sidebar.delete_draft_requested.connect(self.delete_draft)
        self.welcome.record_clicked.connect(self.show_record)
        self.welcome.import_clicked.connect(self.import_dialog)
        self.welcome.paste_clicked.connect(self.paste_dialog)
        self.welcome.sample_clicked.connect(self.open_sample)
        self.record_panel.take_finished.connect(self._take_finished)
        self.record_panel.cancel_requested.connect(self.cancel_work)
        self.record_panel.error.connect(self.show_error)
        self.draft_view.transcript.seek_requested.connect(self.seek)
        self.draft_view.notes_changed.connect(self._save_notes)
        self.draft_view.annotation_added.connect(self._add_annotation)
        self.draft_view.annotation_resolved.connect(self._resolve_annotation)
        self.draft_view.history.draft_activated.connect(self.select_draft)
        self.draft_view.compare.compare_requested.connect(self.compare)

    # ---- library ---------------------------------------------------------------------------------
    def _open_library(self) -> Any:
        from narrative_coach.app.library import Library

        library = Library.open(self.settings)
        return library, library.list_speeches()

    def _library_opened(self, result: tuple) -> None:
        self.library, speeches = result
        self.sidebar.set_speeches(speeches)
        self.statusBar().showMessage(f"{len(speeches)} speech{'es' if len(speeches) != 1 else ''} in the library",
                                     5000)
        self.ready.emit()
        self._offer_recovery()  # before the first run adds its own (sample) entry
        self._first_run()

    def _library_failed(self, exc: BaseException) -> None:
        self.show_error(exc)
        self.statusBar().showMessage("The library could not be opened.")
        for a in (self.record_action, self.import_action, self.text_action):
            a.setEnabled(False)

    def _db(self, method: str, *args: Any, **kwargs: Any) -> Task | None:
        """Run a `Library` use case on the database thread (nothing once the window has closed)."""
        if self.library is None:
            return None
        return self.runner.run(getattr(self.library, method), *args, **kwargs)

    def refresh_speeches(self, then: Any = None) -> None:
        if self.library is None:
            return

        def done(speeches: list) -> None:
            self.sidebar.set_speeches(speeches)
            self.statusBar().showMessage(
                f"{len(speeches)} speech{'es' if len(speeches) != 1 else ''} in the library", 5000)
            if then:
                then()

        self._db("list_speeches", on_result=done, on_error=self.show_error)

    def _load_drafts(self, speech: Any) -> None:
        sid = int(attr(speech, "id"))
        self._db("history", sid, on_result=lambda drafts: self._drafts_loaded(sid, drafts),
                        on_error=self.show_error)

    def _drafts_loaded(self, sid: int, drafts: list) -> None:
        self.sidebar.set_drafts(sid, drafts)
        if sid == self._current_speech_id:
            self.draft_view.compare.set_drafts(drafts)

    def _speech_selected(self, speech: Any) -> None:
        self._set_current_speech(int(attr(speech, "id")))
        if self.draft_view.draft is None or self.draft_view.draft.speech_id != int(attr(speech, "id")):
            latest = attr(speech, "latest_draft_id")
            if latest:
                self.open_draft(int(latest), keep_tab=True)
                return
        self.stack.setCurrentIndex(PAGE_DRAFT if self.draft_view.draft else PAGE_WELCOME)

    def _set_current_speech(self, sid: int) -> None:
        if sid == self._current_speech_id:
            return
        self._current_speech_id = sid
        self._db("progress", sid, on_result=self.draft_view.history.set_progress,
                        on_error=self.show_error)
        self._db("history", sid, on_result=lambda d: self._drafts_loaded(sid, d),
                        on_error=self.show_error)

    def new_speech_dialog(self) -> None:
        if self.library is None:
            return
        dialog = NewSpeechDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        values = dialog.values()
        self.create_speech(**values)

    def create_speech(self, title: str, occasion: str | None = None, audience: str | None = None,
                      target_minutes: float | None = None) -> Task:
        def created(speech: Any) -> None:
            self.refresh_speeches(then=lambda: self.sidebar.select_speech(int(speech.id)))
            self.banner.show_message(f"Created “{speech.title}”.", "Record, import or paste its first draft.",
                                     kind="success", timeout_ms=6000)

        return self._db("create_speech", title, occasion=occasion, audience=audience,
                               target_minutes=target_minutes, on_result=created, on_error=self.show_error)

    def rename_speech_dialog(self, speech: Any) -> None:
        from PySide6.QtWidgets import QInputDialog

        title, ok = QInputDialog.getText(self, "Rename speech", "New title:", text=str(attr(speech, "title")))
        if ok and title.strip():
            self.rename_speech(int(attr(speech, "id")), title.strip())

    def rename_speech(self, speech_id: int, title: str) -> Task | None:
        return self._db("rename_speech", speech_id, title, on_error=self.show_error,
                        on_result=lambda s: self.refresh_speeches(then=lambda: self.sidebar.select_speech(int(s.id))))

    def _confirm(self, question: str) -> bool:
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(self, "Narrative Coach", question,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                                      QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    def delete_draft(self, draft_id: int, confirm: bool = True) -> Task | None:
        if confirm and not self._confirm("Delete this draft, its recording and its notes? This cannot be undone."):
            return None

        def deleted(summary: Any) -> None:
            if self.draft_view.draft is not None and self.draft_view.draft.id == draft_id:
                self._stop_player()
                self.draft_view.draft = None
                self.stack.setCurrentIndex(PAGE_WELCOME)
            self._current_speech_id = None
            self.refresh_speeches()
            self.banner.show_message(f"Deleted draft {summary.number} of “{summary.speech_title}”.", kind="info",
                                     timeout_ms=5000)

        return self._db("delete_draft", draft_id, on_result=deleted, on_error=self.show_error)

    def delete_speech(self, speech: Any, confirm: bool = True) -> Task | None:
        title = str(attr(speech, "title"))
        if confirm and not self._confirm(f"Delete “{title}” with all its drafts, recordings and notes? "
                                         "This cannot be undone."):
            return None
        sid = int(attr(speech, "id"))

        def deleted(count: int) -> None:
            if self.draft_view.draft is not None and self.draft_view.draft.speech_id == sid:
                self._stop_player()
                self.draft_view.draft = None
                self.stack.setCurrentIndex(PAGE_WELCOME)
            self._current_speech_id = None
            self.refresh_speeches()
            self.banner.show_message(f"Deleted “{title}” and its {count} draft{'s' if count != 1 else ''}.",
                                     kind="info", timeout_ms=5000)

        return self._db("delete_speech", sid, on_result=deleted, on_error=self.show_error)

    def open_draft(self, draft_id: int, keep_tab: bool = False) -> None:
        if self.library is None:
            return

        def shown(draft: Any) -> None:
            self._stop_player()
            self.draft_view.set_draft(draft)
            self._set_current_speech(int(draft.speech_id))
            self.stack.setCurrentIndex(PAGE_DRAFT)
            self.play_action.setEnabled(bool(draft.audio_path))
            self._load_annotations(int(draft.id))
            self.draft_shown.emit(int(draft.id))

        self._db("get_draft", draft_id, on_result=shown, on_error=self.show_error)

    def select_draft(self, draft_id: int) -> None:
        self.sidebar.select_draft(draft_id)
        self.open_draft(draft_id)

    def compare(self, a_id: int, b_id: int) -> None:
        self._db("compare", a_id, b_id, on_result=self.draft_view.compare.set_comparison,
                        on_error=self.show_error)

    def _save_notes(self, draft_id: int, text: str) -> None:
        self._db("set_draft_notes", draft_id, text,
                        on_result=lambda d: self.draft_view.notes_saved(draft_id, text), on_error=self.show_error)

    def _load_annotations(self, draft_id: int) -> None:
        self._db("list_annotations", draft_id,
                 on_result=lambda notes: self.draft_view.set_annotations(draft_id, notes), on_error=self.show_error)

    def _add_annotation(self, draft_id: int, body: str, start: int, end: int, t0: float, t1: float) -> None:
        times = {"start_s": t0, "end_s": t1} if t0 >= 0 and t1 >= t0 else {}
        self._db("add_annotation", draft_id, body, author=self.settings.author_name or None,
                 start_char=start, end_char=end, **times,
                 on_result=lambda _n: self._load_annotations(draft_id), on_error=self.show_error)

    def _resolve_annotation(self, annotation_id: int, resolved: bool) -> None:
        self._db("resolve_annotation", annotation_id, resolved,
                 on_result=lambda n: self._load_annotations(int(n.draft_id)), on_error=self.show_error)

    # ---- first run and recovery ---------------------------------------------------------------------
    def _first_run(self) -> None:
        if self.settings.first_run_done:
            self.welcome.hide_sample()
            if self.sidebar.speech_count() == 0:
                self.stack.setCurrentIndex(PAGE_WELCOME)
            return
        self.stack.setCurrentIndex(PAGE_WELCOME)
        self.analyze_text(sample_speech(), SAMPLE_TITLE, first_run=True)

    def _sample_saved(self, draft_id: int) -> None:
        self._sample_id = draft_id
        self.welcome.sample_ready(True)
        self.settings = self.settings.with_changes(first_run_done=True)
        try:
            save_settings(self.settings)
        except OSError as exc:
            log.warning("could not save settings: %s", exc.strerror)

    def open_sample(self) -> None:
        draft_id = getattr(self, "_sample_id", None)
        if draft_id is not None:
            self.select_draft(draft_id)

    def _offer_recovery(self) -> None:
        try:
            from narrative_coach.audio.recovery import find_interrupted_takes

            interrupted = find_interrupted_takes(self.settings)
        except Exception as exc:  # noqa: BLE001 - recovery must never stop the window opening
            log.warning("could not look for interrupted takes: %s", type(exc).__name__)
            interrupted = []
        waiting = pending.load(self.settings)
        if not interrupted and not waiting:
            return
        self._recovery = (interrupted, waiting)
        n = len(interrupted) + len(waiting)
        lines = [p.describe() for p in waiting] + [
            f"a take interrupted on {t.started_at.replace('T', ' ')} (about {t.estimated_s:.0f} s)" for t in interrupted]
        self.show_notice(f"{n} unfinished draft{'s' if n != 1 else ''} from last time: " + "; ".join(lines[:3])
                         + ("…" if n > 3 else "") + ".", "Nothing is lost: finish them now, or later from here.",
                         action="Finish now", callback=self.recover_all)

    def recover_all(self) -> None:
        interrupted, waiting = getattr(self, "_recovery", ([], []))
        self._recovery = ([], [])
        queue: list[pending.PendingDraft] = list(waiting)
        if interrupted:
            from narrative_coach.audio.recovery import recover_take

            for take in interrupted:
                try:
                    path = recover_take(take)
                except UserError as exc:
                    self.show_error(exc)
                    continue
                title = self._default_title("Recovered take")
                queue.append(pending.add(self.settings, "take", title, path=path))
        self._recovery_queue = queue
        self._next_recovery()

    def _next_recovery(self) -> None:
        queue = getattr(self, "_recovery_queue", [])
        if not queue:
            return
        entry = queue.pop(0)
        self._run_analysis(entry, on_done=self._next_recovery)

    # ---- new drafts --------------------------------------------------------------------------------
    def _current_title(self) -> str | None:
        """The speech new drafts go to: the one picked in the sidebar, else the one on screen."""
        speech = self.sidebar.current_speech()
        if speech is not None:
            return str(attr(speech, "title"))
        draft = self.draft_view.draft
        return draft.speech_title if draft is not None and self.stack.currentIndex() == PAGE_DRAFT else None

    def _default_title(self, prefix: str = "Rehearsal") -> str:
        return f"{prefix} {datetime.now():%d %b %Y %H:%M}"

    def import_dialog(self) -> None:
        if self.library is None:
            return
        path, _ = QFileDialog.getOpenFileName(self, "Import a recording or a script", str(Path.home()), AUDIO_FILTER)
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path, speech_title: str | None = None) -> Task | None:
        title = speech_title or self._current_title() or path.stem.replace("_", " ").strip() or self._default_title()
        return self._run_analysis(pending.new("file", title, path=path))

    def paste_dialog(self) -> None:
        if self.library is None:
            return
        dialog = PasteDialog(self._current_title() or "", self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.analyze_text(dialog.text.toPlainText(), dialog.title.text().strip())

    def analyze_text(self, text: str, speech_title: str, first_run: bool = False) -> Task | None:
        return self._run_analysis(pending.new("text", speech_title, text=text), first_run=first_run)

    def show_record(self) -> None:
        if self.library is None:
            return
        if self.record_panel.recording:
            self.record_panel.stop()
            return
        speech = self.sidebar.current_speech()
        self.record_panel.set_target(attr(speech, "target_minutes") if speech else None,
                                     str(attr(speech, "title")) if speech else "")
        self._stop_player()
        self.stack.setCurrentIndex(PAGE_RECORD)
        self.record_panel.start()

    def _take_finished(self, take: Any) -> None:
        title = self._current_title() or self._default_title()
        self.record_panel.show_work("Transcribing and analysing your take…")
        self._run_analysis(pending.new("take", title, path=take.path))

    def _run_analysis(self, entry: pending.PendingDraft, *, first_run: bool = False,
                      on_done: Any = None) -> Task | None:
        """Transcribe/analyse in the background, then save the draft. The pending entry is removed
        only once the draft is saved, so nothing is lost if the window closes on the way."""
        if self.current_task is not None and not self.current_task.done:
            self.show_notice("Still working on the previous draft.", "Wait for it to finish, or press Cancel.")
            return None
        settings = self.settings

        def work(on_progress: Any = None, cancel: Any = None) -> Any:
            # Journal first (off the GUI thread: it fsyncs), so a close or crash from here on
            # leaves the draft to finish at the next start.
            if not first_run:  # the bundled sample needs no journal: it is analysed again if lost
                pending.record(settings, entry)
            if entry.kind == "text":  # a script: quick, no audio, analysed right here
                from narrative_coach.app import pipeline

                return pipeline.analyze_text(entry.text or "", settings)
            from narrative_coach.ui.analysis_process import analyze_in_child

            return analyze_in_child(entry.kind, settings, path=Path(entry.path or ""), on_progress=on_progress,
                                    cancel=cancel)

        label = {"text": "Analysing the script…", "take": "Transcribing and analysing your take…",
                 "file": f"Transcribing and analysing {Path(entry.path or '').name}…"}[entry.kind]
        if not first_run:
            self._show_work(label)

        library = self.library

        def save(result: Any) -> Any:
            summary = library.save_draft(entry.speech_title, result, source=entry.source)
            # Same thread, right after the commit: a window closed now cannot save it twice.
            pending.remove(settings, entry.id)
            return summary

        def analysed(result: Any) -> None:
            self.runner.run(save, result, on_result=saved, on_error=failed)

        def saved(summary: Any) -> None:
            self._work_done()
            if first_run:
                self._sample_saved(int(summary.id))
                self.refresh_speeches()
            else:
                self.refresh_speeches(then=lambda: self.sidebar.select_draft(int(summary.id)))
                self._current_speech_id = None  # its history and compare lists have a new draft
                self.open_draft(int(summary.id))
                self.banner.show_message(f"Draft {summary.number} of “{summary.speech_title}” is ready.",
                                         kind="success", timeout_ms=5000)
            self.work_finished.emit("saved")
            if on_done:
                on_done()

        def failed(exc: BaseException) -> None:
            self._work_done()
            if isinstance(exc, UserError) and entry.kind != "take" and not self._closing:
                # Bad input (not audio, empty text...): there is nothing to keep.
                self.runner.run(pending.remove, settings, entry.id)
            self.show_error(exc)
            self.work_finished.emit("failed")
            if on_done:
                on_done()

        def cancelled() -> None:
            self._work_done()
            if self._closing:
                return  # the entry stays: offered again at the next start
            if entry.kind == "take":
                self.show_notice("Stopped. Your take is kept.", "It is offered again the next time you open the app.")
            else:
                self.runner.run(pending.remove, settings, entry.id)
                self.show_notice("Stopped.", "Nothing was saved.")
            self.work_finished.emit("cancelled")

        self.current_task = self.runner.run(work, parallel=True, cancellable=True, on_progress=self._progress,
                                            on_result=analysed, on_error=failed, on_cancelled=cancelled,
                                            name="analyse")
        return self.current_task

    def _show_work(self, label: str) -> None:
        self.work_label.setText(label)
        self.work_bar.setRange(0, 0)
        self.work_box.show()
        self.record_action.setEnabled(False)

    def _progress(self, fraction: float) -> None:
        if self.work_bar.maximum() == 0:
            self.work_bar.setRange(0, 100)
        self.work_bar.setValue(int(max(0.0, min(1.0, fraction)) * 100))
        self.record_panel.set_work_progress(fraction)

    def _work_done(self) -> None:
        self.work_box.hide()
        self.record_action.setEnabled(True)
        self.record_panel.work_done()
        self.current_task = None

    def cancel_work(self) -> None:
        if self.current_task is not None:
            self.current_task.cancel()
            self.work_label.setText("Stopping…")

    # ---- playback -----------------------------------------------------------------------------------
    def toggle_play(self) -> None:
        draft = self.draft_view.draft
        if draft is None or not draft.audio_path or self.stack.currentIndex() != PAGE_DRAFT:
            return
        try:
            player = self._ensure_player(Path(draft.audio_path))
            if self._playing:
                player.pause()
                self._set_playing(False)
            else:
                player.play()
                self._set_playing(True)
        except Exception as exc:  # noqa: BLE001 - no sound device, unreadable file: say so, keep going
            self._player_failed(exc)

    _playing = False

    def _set_playing(self, playing: bool) -> None:
        self._playing = playing
        self.play_action.setText("Pause" if playing else "Play")
        self.play_action.setIcon(icon("pause" if playing else "play"))
        if playing:
            self._play_timer.start()
        else:
            self._play_timer.stop()

    def _ensure_player(self, path: Path) -> Any:
        if self.player is None or self._player_path != path:
            self._stop_player()
            from narrative_coach.audio.player import Player

            self.player = Player(path, settings=self.settings)
            self._player_path = path
        return self.player

    def seek(self, seconds: float) -> None:
        draft = self.draft_view.draft
        if draft is None or not draft.audio_path:
            return
        try:
            player = self._ensure_player(Path(draft.audio_path))
            player.seek(seconds)
            if not self._playing:
                player.play()
                self._set_playing(True)
        except Exception as exc:  # noqa: BLE001
            self._player_failed(exc)
        self.draft_view.set_playback_position(seconds)

    def _player_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, UserError):
            log.error("playback failed", exc_info=exc)
        self._stop_player()
        self.show_error(exc)

    def _poll_player(self) -> None:
        if self.player is None:
            return
        position = float(self.player.position)
        self.draft_view.set_playback_position(position)
        if getattr(self.player, "state", "playing") != "playing":  # reached the end, or the device went away
            self._set_playing(False)

    def _stop_player(self) -> None:
        if self.player is not None:
            try:
                self.player.pause()
                close = getattr(self.player, "close", None)
                if close:
                    close()
            except Exception as exc:  # noqa: BLE001 - a dying audio device must not block navigation
                log.warning("player stop failed: %s", type(exc).__name__)
        self.player = None
        self._player_path = None
        self._set_playing(False)
        self.draft_view.set_playback_position(None)

    # ---- misc ----------------------------------------------------------------------------------------
    def open_find(self) -> None:
        if self.draft_view.draft is None:
            return
        self.stack.setCurrentIndex(PAGE_DRAFT)
        self.draft_view.tabs.setCurrentIndex(TAB_TRANSCRIPT)
        self.draft_view.transcript.open_find()

    def open_settings(self) -> None:
        from narrative_coach.ui.settings_dialog import SettingsDialog, remember_library_location

        devices, models = [], []
        try:
            from narrative_coach.audio.devices import list_input_devices

            devices = list_input_devices()
        except Exception as exc:  # noqa: BLE001 - no audio system: the dialog still opens
            log.warning("could not list microphones: %s", type(exc).__name__)
        try:
            from narrative_coach.transcription.models import available_models

            models = available_models(self.settings)
        except Exception as exc:  # noqa: BLE001
            log.warning("could not list models: %s", type(exc).__name__)
        dialog = SettingsDialog(self.settings, self, devices=devices, models=models)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.apply_settings(dialog.result_settings(), dialog.chosen_folder())
        if dialog.chosen_folder() != self.settings.home:
            remember_library_location(dialog.chosen_folder())

    def apply_settings(self, new: Settings, folder: Path | None = None) -> None:
        try:
            save_settings(new)
        except OSError as exc:
            self.show_error(exc)
            return
        theme_changed = new.theme != self.settings.theme
        self.settings = new
        self.record_panel.settings = new
        if theme_changed:
            from PySide6.QtWidgets import QApplication

            from narrative_coach.ui.theme import apply_theme

            apply_theme(QApplication.instance(), new.theme)
            self.refresh_icons()
            if self.draft_view.draft is not None:  # tints and underline colours follow the theme
                self.draft_view.transcript.set_report(self.draft_view.draft.report or {})
        message = "Settings saved."
        if folder is not None and folder != new.home:
            message += f" The library folder {folder} is used from the next start."
        self.banner.show_message(message, kind="success", timeout_ms=5000)

    def refresh_icons(self) -> None:
        """Redraw the toolbar icons in the ink of the current (light or dark) palette."""
        for action, name in self._icons:
            if action is self.play_action:
                name = "pause" if self._playing else "play"
            action.setIcon(icon(name))

    def show_error(self, exc: BaseException) -> None:
        self._banner_callback = None
        self.banner.show_error(exc, self.settings.log_path)

    def show_notice(self, message: str, hint: str = "", action: str = "", callback: Any = None) -> None:
        self._banner_callback = callback
        self.banner.show_message(message, hint, kind="info", action=action)

    def _banner_action(self) -> None:
        callback, self._banner_callback = self._banner_callback, None
        self.banner.hide()
        if callback:
            callback()

    # ---- drag and drop ---------------------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:  # noqa: ANN001
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: ANN001
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            if len(paths) > 1:
                self.show_notice("One file at a time, please.", f"Importing {paths[0].name} now.")
            self.import_file(paths[0])

    # ---- closing: keep everything ------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        self._closing = True
        if self.record_panel.recording:
            take = self.record_panel.stop(emit=False)
            if take is not None:
                pending.add(self.settings, "take", self._current_title() or self._default_title(), path=take.path)
                log.info("window closed while recording: take kept for the next start")
        self.draft_view.flush_notes()
        self._stop_player()
        if self.current_task is not None and not self.current_task.done:
            # The pending entry stays behind: the draft is offered again at the next start.
            self.current_task.cancel()
        self.runner.wait(15000)
        if self.library is not None:
            self.library.close()
            self.library = None
        event.accept()
