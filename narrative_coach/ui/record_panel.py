"""The recording panel: a big record button, a timer against the target length, a live level
meter, pause/resume and stop; then a progress bar with Cancel while the take is transcribed and
analysed in the background.

The `Recorder` (narrative_coach.audio.record) writes the take to disk from its own threads; a
30 Hz GUI timer only reads its levels (the Friture pattern).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QProgressBar, QPushButton, QSizePolicy, QVBoxLayout, QWidget)

from narrative_coach.errors import UserError
from narrative_coach.settings import Settings

log = logging.getLogger("narrative_coach.ui.record")

FLOOR_DB = -60.0


class LevelMeter(QWidget):
    """A horizontal meter: RMS bar, peak tick, clipping in red with a text cue."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rms = FLOOR_DB
        self.peak = FLOOR_DB
        self.clipping = False
        self.setMinimumHeight(22)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Input level")

    def sizeHint(self) -> QSize:
        return QSize(360, 22)

    def set_levels(self, rms: float, peak: float, clipping: bool) -> None:
        self.rms, self.peak, self.clipping = rms, peak, clipping
        self.setAccessibleDescription(f"{rms:.0f} dBFS{' clipping' if clipping else ''}")
        self.update()

    def _x(self, db: float) -> float:
        return max(0.0, min(1.0, (db - FLOOR_DB) / -FLOOR_DB)) * self.width()

    def paintEvent(self, _event) -> None:  # noqa: ANN001
        p = QPainter(self)
        h = self.height()
        track = self.palette().color(QPalette.ColorRole.WindowText)
        track.setAlpha(40)
        p.fillRect(self.rect(), track)
        colour = QColor("#D55E00") if self.clipping else QColor("#009E73")
        p.fillRect(QRectF(0, 0, self._x(self.rms), h), colour)
        p.fillRect(QRectF(self._x(self.peak) - 1, 0, 2, h), self.palette().color(QPalette.ColorRole.WindowText))
        # -12 and -3 dBFS guides: speech should sit left of -3
        for db in (-12, -3):
            p.fillRect(QRectF(self._x(db), 0, 1, h), QColor(128, 128, 128, 160))
        p.end()


class RecordButton(QPushButton):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("●  Record", parent)
        self.setMinimumSize(QSize(220, 90))
        f = self.font()
        f.setPointSizeF(f.pointSizeF() * 1.6)
        f.setBold(True)
        self.setFont(f)
        self.setAccessibleName("Start recording")
        self.set_recording(False)

    def set_recording(self, recording: bool) -> None:
        if recording:
            self.setText("■  Stop")
            self.setAccessibleName("Stop recording and keep the take")
            self.setStyleSheet("QPushButton { background: #444; color: white; border-radius: 45px; }")
        else:
            self.setText("●  Record")
            self.setAccessibleName("Start recording")
            self.setStyleSheet("QPushButton { background: #C0392B; color: white; border-radius: 45px; }"
                               "QPushButton:disabled { background: #999; }")


def _clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


class RecordPanel(QWidget):
    take_finished = Signal(object)  # narrative_coach.audio.record.Take
    cancel_requested = Signal()
    error = Signal(object)

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.recorder = None
        self.target_minutes: float | None = None
        self.setAccessibleName("Recording panel")

        v = QVBoxLayout(self)
        v.setContentsMargins(24, 24, 24, 24)
        v.addStretch(1)
        self.speech_label = QLabel()
        self.speech_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.speech_label.setWordWrap(True)
        v.addWidget(self.speech_label)
        self.timer_label = QLabel("00:00")
        self.timer_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.timer_label.setAccessibleName("Elapsed time")
        f = self.timer_label.font()
        f.setPointSizeF(f.pointSizeF() * 3)
        f.setBold(True)
        self.timer_label.setFont(f)
        v.addWidget(self.timer_label)
        self.target_bar = QProgressBar()
        self.target_bar.setAccessibleName("Time against target length")
        self.target_bar.setTextVisible(True)
        v.addWidget(self.target_bar)

        row = QHBoxLayout()
        row.addStretch(1)
        self.record_button = RecordButton()
        self.record_button.clicked.connect(self.toggle)
        row.addWidget(self.record_button)
        self.pause_button = QPushButton("❚❚  Pause")
        self.pause_button.setMinimumHeight(48)
        self.pause_button.setAccessibleName("Pause recording")
        self.pause_button.clicked.connect(self.toggle_pause)
        self.pause_button.setEnabled(False)
        row.addWidget(self.pause_button)
        row.addStretch(1)
        v.addLayout(row)

        self.meter = LevelMeter()
        v.addWidget(QLabel("Microphone level"))
        v.addWidget(self.meter)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #D55E00; font-weight: 600")
        self.warning.setAccessibleName("Recording warning")
        v.addWidget(self.warning)

        # After the take: background work
        self.work_box = QWidget()
        wb = QHBoxLayout(self.work_box)
        wb.setContentsMargins(0, 0, 0, 0)
        self.work_label = QLabel("Transcribing and analysing…")
        self.work_bar = QProgressBar()
        self.work_bar.setRange(0, 100)
        self.work_bar.setAccessibleName("Transcription progress")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel transcription")
        self.cancel_button.clicked.connect(self.cancel_requested)
        wb.addWidget(self.work_label)
        wb.addWidget(self.work_bar, 1)
        wb.addWidget(self.cancel_button)
        self.work_box.hide()
        v.addWidget(self.work_box)
        v.addStretch(2)

        self._poll = QTimer(self)
        self._poll.setInterval(33)  # ~30 Hz, like the meter itself
        self._poll.timeout.connect(self._tick)
        self.set_target(None, "")

    # ---- configuration --------------------------------------------------------------------------
    def set_target(self, minutes: float | None, speech_title: str) -> None:
        self.target_minutes = minutes
        self.speech_label.setText(
            f"Recording a new draft of <b>{speech_title}</b>" if speech_title else
            "Recording a new speech (you can name it when you stop)")
        total = int((minutes or 0) * 60)
        self.target_bar.setVisible(bool(total))
        self.target_bar.setRange(0, max(1, total))
        self.target_bar.setValue(0)
        self.target_bar.setFormat(f"%v s of the {minutes:g}-minute target" if minutes else "")

    @property
    def recording(self) -> bool:
        return self.recorder is not None

    # ---- control --------------------------------------------------------------------------------
    def toggle(self) -> None:
        if self.recording:
            self.stop()
        else:
            self.start()

    def start(self) -> bool:
        from narrative_coach.audio.record import Recorder  # sounddevice only when recording

        self.warning.clear()
        self.work_box.hide()
        recorder = Recorder(self.settings)
        try:
            recorder.start()
        except UserError as exc:
            self.error.emit(exc)
            return False
        self.recorder = recorder
        self.record_button.set_recording(True)
        self.pause_button.setEnabled(True)
        self.pause_button.setText("❚❚  Pause")
        self._poll.start()
        log.info("recording started from the window")
        return True

    def toggle_pause(self) -> None:
        if not self.recorder:
            return
        from narrative_coach.audio.record import RecorderState

        if self.recorder.state == RecorderState.PAUSED:
            self.recorder.resume()
            self.pause_button.setText("❚❚  Pause")
            self.pause_button.setAccessibleName("Pause recording")
        else:
            self.recorder.pause()
            self.pause_button.setText("▶  Resume")
            self.pause_button.setAccessibleName("Resume recording")

    @property
    def paused(self) -> bool:
        return bool(self.recorder and self.recorder.state == "paused")

    def stop(self, emit: bool = True):  # noqa: ANN201 - returns a Take or None
        """Stop and keep the take. Emits `take_finished` unless `emit` is False."""
        recorder, self.recorder = self.recorder, None
        self._poll.stop()
        self.record_button.set_recording(False)
        self.pause_button.setEnabled(False)
        if recorder is None:
            return None
        try:
            take = recorder.stop()
        except UserError as exc:
            self.error.emit(exc)
            return None
        self.meter.set_levels(FLOOR_DB, FLOOR_DB, False)
        if take.warnings:
            self.warning.setText(" ".join(take.warnings))
        if emit:
            self.take_finished.emit(take)
        return take

    def _tick(self) -> None:
        r = self.recorder
        if r is None:
            return
        elapsed = r.elapsed_s
        self.timer_label.setText(_clock(elapsed) + ("  (paused)" if self.paused else ""))
        if self.target_bar.isVisible():
            self.target_bar.setValue(min(self.target_bar.maximum(), int(elapsed)))
            over = self.target_minutes and elapsed > self.target_minutes * 60
            self.target_bar.setFormat(("Over the target: " if over else "")
                                      + f"{_clock(elapsed)} of {_clock((self.target_minutes or 0) * 60)}")
        lv = r.levels()
        self.meter.set_levels(lv.rms_dbfs, lv.peak_dbfs, lv.clipping)
        notes = list(r.warnings)
        if lv.clipping:
            notes.append("Too loud: the sound is clipping. Move back from the microphone.")
        if lv.silent:
            notes.append(f"We hear nothing for {lv.silent_s:.0f} s: check the microphone (Settings).")
        self.warning.setText(" ".join(notes))
        if r.finished:  # the take ended by itself (max length, disk low, device lost): keep it
            self.stop()

    # ---- background work display ---------------------------------------------------------------
    def show_work(self, label: str) -> None:
        self.work_label.setText(label)
        self.work_bar.setValue(0)
        self.work_bar.setRange(0, 0)  # busy until the first progress report
        self.work_box.show()
        self.record_button.setEnabled(False)

    def set_work_progress(self, fraction: float) -> None:
        if self.work_bar.maximum() == 0:
            self.work_bar.setRange(0, 100)
        self.work_bar.setValue(int(max(0.0, min(1.0, fraction)) * 100))

    def work_done(self) -> None:
        self.work_box.hide()
        self.record_button.setEnabled(True)
        self.timer_label.setText("00:00")
