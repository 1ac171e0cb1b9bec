"""How long delivery analysis takes on a 10-minute recording, on one core (target: under 2 s).

The recording is real speech: the 32 LJ Speech clips of the shared corpus read in order (3 min 42 s),
transcribed once with the app's engine (tiny.en), then audio and words repeated with shifted times
until the take is at least 10 minutes long. Only `analyze_delivery` is timed (decoding and Whisper
are not delivery analysis). A three-hour array (the same take repeated) is timed too, to show the
strided pitch pass keeps long input bounded. Run:

    .venv/bin/python benchmarks/delivery_speed.py [--runs 7] [--minutes 10] [--no-three-hours]

Prints the median, min and max seconds of `--runs` runs.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core: no BLAS/FFT thread pools
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from narrative_coach.analysis.delivery import analyze_delivery  # noqa: E402
from narrative_coach.audio.decode import decode_audio  # noqa: E402
from narrative_coach.settings import load_settings  # noqa: E402
from narrative_coach.transcription import transcribe  # noqa: E402

LJ = REPO.parent / "shared" / "corpus" / "audio" / "ljspeech"
SR = 16000
_SENT = re.compile(r"[^.!?]+[.!?]+|[^.!?]+$")


def sentences_of(text: str) -> list[dict]:
    out = []
    for m in _SENT.finditer(text):
        if m.group(0).strip():
            lead = len(m.group(0)) - len(m.group(0).lstrip())
            out.append({"index": len(out), "text": m.group(0).strip(), "start_char": m.start() + lead,
                        "end_char": m.end(), "start_s": None, "end_s": None, "part": "other"})
    return out


def base_take(workdir: Path) -> tuple[np.ndarray, str, list[dict]]:
    clips = [decode_audio(p) for p in sorted(LJ.glob("LJ*.wav"))]
    gap = np.zeros(int(0.4 * SR), np.float32)
    audio = np.concatenate([c for clip in clips for c in (clip, gap)])
    # the transcript is cached between runs: Whisper is not what this benchmark measures
    cache = Path(tempfile.gettempdir()) / "narrative-coach-bench" / f"lj-{audio.size}.json"
    if cache.is_file():
        t = json.loads(cache.read_text())
    else:
        settings = load_settings(workdir / "home")
        t = transcribe(audio, settings=settings).to_dict()
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps({"text": t["text"], "words": t["words"]}))
    return audio, t["text"], t["words"]


def tile(audio: np.ndarray, text: str, words: list[dict], seconds: float) -> tuple[np.ndarray, str, list[dict]]:
    reps = int(np.ceil(seconds * SR / audio.size))
    span = audio.size / SR
    all_words = [{**w, "start": w["start"] + k * span, "end": w["end"] + k * span}
                 for k in range(reps) for w in words]
    n = int(seconds * SR)  # exactly `seconds` long: cut the last repeat and its words
    kept = [w for w in all_words if w["end"] <= seconds]
    # the words carry their punctuation, so joined they are the transcript text of the cut take
    return np.tile(audio, reps)[:n], " ".join(w["word"].strip() for w in kept), kept


def timed(audio, text, sentences, words, runs: int) -> tuple[list[float], list[float]]:
    wall, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        analyze_delivery(text, sentences, words, audio, SR)
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return wall, cpu


def report(label: str, times: tuple[list[float], list[float]]) -> None:
    wall, cpu = times
    # wall time is what the user waits; CPU time is what it costs when the machine is not shared
    print(f"{label}: median {statistics.median(wall):.3f} s wall (min {min(wall):.3f}, max {max(wall):.3f}), "
          f"median {statistics.median(cpu):.3f} s CPU, {len(wall)} runs")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--no-three-hours", action="store_true")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        audio, text, words = base_take(Path(tmp))
        print(f"base take {audio.size / SR:.0f} s, {len(words)} words (decode + transcribe or cache {time.perf_counter() - t0:.0f} s)")
    long_audio, long_text, long_words = tile(audio, text, words, args.minutes * 60)
    sentences = sentences_of(long_text)
    print(f"take: {long_audio.size / SR / 60:.1f} min, {len(long_words)} words, {len(sentences)} sentences")
    analyze_delivery(text, sentences_of(text), words, audio, SR)  # warm-up: imports, caches
    report(f"delivery analysis, {args.minutes:g}-minute take, one core", timed(long_audio, long_text, sentences, long_words, args.runs))
    r = analyze_delivery(long_text, sentences, long_words, long_audio, SR).delivery
    print(f"  wpm {r['wpm']}, pauses {r['pauses']['count']}, pitch median {r['pitch']['median_hz']} Hz, "
          f"spread {r['pitch']['semitone_sd']} st, loudness {r['loudness']['mean_dbfs']} dBFS")
    if not args.no_three_hours:
        del long_audio
        big = np.tile(audio, int(np.ceil(3 * 3600 * SR / audio.size)))[: 3 * 3600 * SR]
        big_text = " ".join([text] * int(np.ceil(big.size / audio.size)))
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        report("audio-only analysis, 3-hour array, one core", timed(big, big_text, sentences_of(big_text), None, 3))
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(f"  peak RSS {after / 1024:.0f} MB (array itself {big.nbytes / 2**20:.0f} MB; growth during "
              f"analysis {(after - before) / 1024:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
