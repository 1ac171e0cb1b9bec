"""Speed and memory of the narrative analyzer (text path, delivery included) on one core.

    .venv/bin/python benchmarks/narrative_speed.py [--words 5000] [--runs 7]

Builds a ~5,000-word speech from the dev corpus, runs `analyze()` several times in this process
pinned to one core, and prints the median wall time and the peak resident memory of the process
(ru_maxrss, which includes Python, numpy and the loaded models). Targets: < 1 s, < 200 MB.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--words", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args(argv)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    from narrative_corpus import load_split

    from narrative_coach.analysis import analyze

    paragraphs = [s.text for s in load_split("dev")]
    words: list[str] = []
    i = 0
    while len(words) < args.words:
        words += paragraphs[i % len(paragraphs)].split()
        i += 1
    text = " ".join(words[: args.words])
    analyze(text)  # warm-up: loads the models once, as the app does
    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        report = analyze(text)
        times.append(time.perf_counter() - t0)
    from narrative_coach.analysis.delivery import analyze_delivery

    dtimes = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        analyze_delivery(text, report["sentences"], None, None, 16000)
        dtimes.append(time.perf_counter() - t0)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.words} words, {len(report['sentences'])} sentences, {args.runs} runs on one core")
    print(f"median {statistics.median(times):.3f} s (min {min(times):.3f}, max {max(times):.3f})")
    print(f"of which the delivery analyzer (contract 4): median {statistics.median(dtimes):.3f} s")
    print(f"load average now: {os.getloadavg()[0]:.1f} (the machine is shared; figures rise with load)")
    print(f"peak resident memory of the process: {rss_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
