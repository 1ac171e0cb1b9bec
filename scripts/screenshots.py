"""Screenshots of each main view of the window, for the README and for reviewing the look.

    .venv/bin/python scripts/screenshots.py [--out artifacts/screenshots]

Runs the real app under Xvfb (re-executes itself through xvfb-run when there is no display) on a
fresh, throwaway library: the first-run welcome with the sample speech analysed, then a recording
of the sample speech (espeak-ng, transcribed by Whisper on this machine) so the report has real
delivery figures, a second draft for history and compare, the recording panel, the settings
dialog, and the report in the dark theme. Writes PNGs (not committed: artifacts/ is git-ignored).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _wait(signal, timeout_ms: int = 300000):  # noqa: ANN001, ANN202
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    got: list = []
    signal.connect(lambda *a: (got.append(a), loop.quit()))
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    if not got:
        raise SystemExit(f"timed out waiting for {signal}")
    return got[0]


def _settle(ms: int = 400) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _shot(widget, out: Path, name: str) -> Path:  # noqa: ANN001
    _settle()
    path = out / f"{name}.png"
    widget.grab().save(str(path))
    print(f"wrote {path}")
    return path


def _speak(text: str, path: Path, wpm: int = 150) -> Path:
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", str(wpm), "-w", str(path), text], check=True,
                   capture_output=True)
    return path


def run(out: Path) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="nc-screens-"))
    os.environ["NARRATIVE_COACH_HOME"] = str(home)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        from narrative_coach.settings import load_settings, save_settings

        save_settings(load_settings(home).with_changes(author_name="Mayor Alvarez", theme="light"))
        from narrative_coach.ui.app import create_window
        from narrative_coach.ui.icons import sample_speech

        app, window = create_window()
        window.resize(1360, 900)
        window.show()
        _wait(window.ready, 60000)
        _wait(window.work_finished)  # the sample speech, analysed on first run
        _shot(window, out, "01-welcome")

        # The sample speech read aloud, imported as a recording: the full report with delivery.
        audio = _speak(sample_speech(), home / "flood_park_rehearsal.wav")
        window.import_file(audio, speech_title="Flood-park speech")
        _shot(window, out, "02-transcribing")
        if _wait(window.work_finished)[0] != "saved":
            print(window.banner.message, file=sys.stderr)
            return 1
        _wait(window.draft_shown, 30000)
        window.draft_view.tabs.setCurrentIndex(0)
        _shot(window, out, "03-report")
        window.draft_view.report.verticalScrollBar().setValue(window.draft_view.report.verticalScrollBar().maximum())
        _shot(window, out, "04-report-delivery")
        window.draft_view.report.verticalScrollBar().setValue(0)
        window.draft_view.tabs.setCurrentIndex(1)
        view = window.draft_view.transcript
        words = window.draft_view.draft.report["transcript"]["words"]
        if len(words) > 40:
            view.set_position(words[40]["start"] + 0.01)  # as during playback
        _shot(window, out, "05-transcript")
        view.set_position(None)

        # A second draft (a shorter script) for history and compare.
        first = sample_speech()
        second = first.replace("Sign up at the table by the door tonight, and we will send you a reminder.",
                               "Sign up at the table by the door tonight: the sheet is right there.")
        second = second.replace("But that week I watched neighbours we barely knew carry flour up from the "
                                "basement, and I learned that a street is only as strong as the people "
                                "willing to show up for it. ", "")
        window.analyze_text(second, "Flood-park speech")
        _wait(window.work_finished)
        _wait(window.draft_shown, 30000)
        _settle(800)
        window.draft_view.tabs.setCurrentIndex(2)
        _shot(window, out, "06-history")
        window.draft_view.tabs.setCurrentIndex(3)
        window.draft_view.compare.go.click()
        _settle(1200)
        _shot(window, out, "07-compare")

        # The recording panel (idle: no microphone is needed for its picture).
        window.stack.setCurrentIndex(2)
        window.record_panel.set_target(5, "Flood-park speech")
        _shot(window, out, "08-record-panel")
        window.stack.setCurrentIndex(1)

        def grab_settings() -> None:
            dialog = QApplication.activeModalWidget()
            if dialog is not None:
                _shot(dialog, out, "09-settings")
                dialog.reject()

        QTimer.singleShot(800, grab_settings)
        window.open_settings()

        window.apply_settings(window.settings.with_changes(theme="dark"))
        window.draft_view.tabs.setCurrentIndex(0)
        window.open_draft(window.draft_view.draft.id - 1)
        _wait(window.draft_shown, 30000)
        _shot(window, out, "10-report-dark")
        window.draft_view.tabs.setCurrentIndex(1)
        _shot(window, out, "11-transcript-dark")
        window.apply_settings(window.settings.with_changes(theme="light"))
        window.close()
        return 0
    finally:
        shutil.rmtree(home, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=REPO / "artifacts" / "screenshots")
    ap.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if not args.inside and not os.environ.get("DISPLAY") and os.environ.get("QT_QPA_PLATFORM") != "offscreen":
        if shutil.which("xvfb-run") is None:
            print("xvfb-run is missing: run scripts/setup.sh --test, or set QT_QPA_PLATFORM=offscreen", file=sys.stderr)
            return 2
        cmd = ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", sys.executable, __file__, "--inside",
               "--out", str(args.out)]
        return subprocess.call(cmd, env=dict(os.environ, QT_QPA_PLATFORM="xcb"))
    return run(args.out)


if __name__ == "__main__":
    raise SystemExit(main())
