"""Cold start of the window with a 1,000-draft library: time from launching a fresh Python process
to a usable window (library opened, migrations checked, sidebar filled, first paint), and proof
that faster-whisper / CTranslate2 / sounddevice are not imported until needed.

    .venv/bin/python benchmarks/ui_cold_start.py [--runs 7] [--drafts 1000] [--library DIR]

The library is built once (20 speeches x 50 drafts, each with a real report from the analyser)
and reused. Prints each run and the median. Target: median < 2 s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SPEECHES = REPO.parent / "shared" / "corpus" / "speeches"

CHILD = r"""
import json, sys, time
t_import = time.time()
from PySide6.QtCore import QTimer
from narrative_coach.ui.app import create_window
app, window = create_window()
window.show()
def ready():
    app.processEvents()  # the first paint with the filled sidebar
    window.repaint()
    print(json.dumps({
        "ready_wall": time.time(),
        "cpu_s": time.process_time(),
        "speeches": window.sidebar.speech_count(),
        "heavy_modules": sorted(m for m in ("faster_whisper", "ctranslate2", "sounddevice", "av")
                                if m in sys.modules),
    }), flush=True)
    app.quit()
window.ready.connect(ready)
QTimer.singleShot(30000, app.quit)
app.exec()
"""


def build_library(home: Path, drafts: int) -> None:
    from narrative_coach.app.library import Library
    from narrative_coach.app.pipeline import analyze_text
    from narrative_coach.settings import load_settings, save_settings

    settings = load_settings(home).with_changes(first_run_done=True)
    save_settings(settings)
    texts = [p.read_text(encoding="utf-8") for p in sorted(SPEECHES.glob("*.txt"))][:5]
    if not texts:
        texts = [(REPO / "narrative_coach/ui/assets/sample_speech.txt").read_text(encoding="utf-8")]
    results = [analyze_text(t, settings) for t in texts]
    per_speech = 50
    with Library.open(settings) as lib:
        for i in range(drafts):
            lib.save_draft(f"Speech {i // per_speech + 1:02d}", results[i % len(results)])
    (home / ".bench-drafts").write_text(str(drafts))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--drafts", type=int, default=1000)
    ap.add_argument("--library", type=Path, default=Path(tempfile.gettempdir()) / "nc-bench-1000-drafts")
    args = ap.parse_args()
    home = args.library
    marker = home / ".bench-drafts"
    if not marker.exists() or marker.read_text() != str(args.drafts):
        print(f"building a {args.drafts}-draft library in {home} (once)…", flush=True)
        t = time.perf_counter()
        build_library(home, args.drafts)
        print(f"  built in {time.perf_counter() - t:.0f} s", flush=True)
    env = dict(os.environ, NARRATIVE_COACH_HOME=str(home), QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    times: list[float] = []
    cpu: list[float] = []
    for run in range(args.runs):
        start = time.time()
        out = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=60)
        line = next((ln for ln in out.stdout.splitlines() if ln.startswith("{")), None)
        if line is None:
            print(out.stderr[-2000:], file=sys.stderr)
            return 1
        info = json.loads(line)
        elapsed = info["ready_wall"] - start
        times.append(elapsed)
        cpu.append(info["cpu_s"])
        print(f"run {run + 1}: {elapsed:.2f} s to a usable window (CPU {info['cpu_s']:.2f} s); "
              f"{info['speeches']} speeches; "
              f"heavy modules loaded: {info['heavy_modules'] or 'none'}", flush=True)
        if info["heavy_modules"]:
            print("FAIL: heavy modules imported at start", file=sys.stderr)
            return 1
    median = statistics.median(times)
    load = os.getloadavg()[0]
    print(f"machine load average {load:.1f} on {os.cpu_count()} cores; median CPU time to a usable window "
          f"{statistics.median(cpu):.2f} s")
    print(f"median cold start with {args.drafts} drafts: {median:.2f} s over {args.runs} runs "
          f"(min {min(times):.2f}, max {max(times):.2f}); target < 2 s: {'OK' if median < 2 else 'MISSED'}")
    return 0 if median < 2 else 1


if __name__ == "__main__":
    raise SystemExit(main())
