"""GUI event-loop latency while a 4-minute recording (the 32 LJ Speech clips of the corpus end to
end) is decoded, transcribed by Whisper in its spawned child, analysed and saved through the window.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/ui_latency.py [--runs 3]

A 10 ms precise timer ticks on the GUI thread; its lateness is the latency a user would feel.
Prints median, 99th percentile and worst lateness per run and the medians over runs.
A control process sleeping 10 ms in a loop runs beside it and reports its own lateness: what the
machine imposes on any process. tests/test_ui_latency.py asserts p99 < 100 ms and a worst tick
under 100 ms or within 100 ms of the control's worst (see its docstring).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from test_ui_latency import ControlProbe, LatencyProbe, four_minute_file
    from ui_support import prepared_settings

    app = QApplication.instance() or QApplication([])
    work = Path(tempfile.mkdtemp(prefix="nc-ui-latency-"))
    audio = four_minute_file(work / "ljspeech_4min.wav")
    rows = []
    try:
        for run in range(args.runs):
            home = work / f"library-{run}"
            os.environ["NARRATIVE_COACH_HOME"] = str(home)
            from narrative_coach.ui.main_window import MainWindow

            window = MainWindow(prepared_settings(home))
            window.show()
            probe = LatencyProbe()
            control = ControlProbe()
            outcome: list[str] = []
            started = [0.0]

            def go(window=window, probe=probe, started=started) -> None:
                probe.start()
                started[0] = time.perf_counter()
                window.import_file(audio)

            window.ready.connect(lambda go=go: QTimer.singleShot(200, go))
            window.work_finished.connect(lambda s, outcome=outcome: (outcome.append(s), app.quit()))
            app.exec()
            figures = probe.stop()
            figures["work_s"] = time.perf_counter() - started[0]
            ctl = control.stop()
            figures["control_p99_ms"], figures["control_max_ms"] = ctl["p99_ms"], ctl["max_ms"]
            window.close()
            if outcome != ["saved"]:
                print(f"run {run + 1}: the import did not finish ({outcome})", file=sys.stderr)
                return 1
            rows.append(figures)
            print(f"run {run + 1}: {figures['ticks']} ticks, lateness median {figures['median_ms']:.1f} ms, "
                  f"p99 {figures['p99_ms']:.1f} ms, worst {figures['max_ms']:.1f} ms "
                  f"(at {figures['worst_at_s']:.0f} s); import took "
                  f"{figures['work_s']:.0f} s (load average {os.getloadavg()[0]:.1f}); control process beside it: "
                  f"p99 {ctl['p99_ms']:.1f} ms, worst {ctl['max_ms']:.1f} ms", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    med = {k: statistics.median(r[k] for r in rows)
           for k in ("median_ms", "p99_ms", "max_ms", "work_s", "control_max_ms")}
    print(f"medians over {len(rows)} run(s): lateness median {med['median_ms']:.1f} ms, p99 {med['p99_ms']:.1f} ms, "
          f"worst {med['max_ms']:.1f} ms; 4-minute import {med['work_s']:.0f} s")
    ok = med["p99_ms"] < 100 and (med["max_ms"] < 100 or med["max_ms"] < med["control_max_ms"] + 100)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
