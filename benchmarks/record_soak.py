"""Soak test of the recorder: a long take from a virtual microphone.

Starts a private PulseAudio server with a null sink (its monitor is the microphone), keeps speech
playing into it with paplay (an espeak-ng recording looped), records with `Recorder` for
`--minutes`, polls the level meter at 30 Hz as the window does, and reports:

- overflows (PortAudio input overflows + blocks dropped by a full queue): target 0
- memory: resident set size sampled every 10 s (median, first minute vs last, growth) and the peak
- recorder CPU: this process's CPU time / wall time while recording (paplay is another process),
  target < 5 % of one core
- the take: its duration against the wall time, readable with soundfile

    .venv/bin/python benchmarks/record_soak.py --minutes 30 --out /tmp/soak.json

Needs pulseaudio, paplay and espeak-ng (scripts/setup.sh installs them).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

PAGE = os.sysconf("SC_PAGE_SIZE")
TEXT = (
    "Friends, three winters ago the river came over Maple Street and took the ground floor of every "
    "house on my block. I learned then that a city is not its buildings. It is the neighbours who "
    "showed up with pumps at two in the morning. Tonight the levee bond is on the ballot, and the "
    "water will not wait for us. Vote yes on Tuesday, and bring one neighbour with you."
)


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * PAGE / 1e6


def start_pulse(run_dir: Path) -> tuple[subprocess.Popen, dict[str, str]]:
    env = dict(os.environ, XDG_RUNTIME_DIR=str(run_dir / "xdg"))
    env.pop("PULSE_SERVER", None)
    (run_dir / "xdg").mkdir(mode=0o700)
    proc = subprocess.Popen(
        [
            "pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--disallow-exit", "--disable-shm=yes",
            "--load=module-native-protocol-unix", "--load=module-null-sink sink_name=nc_mic_sink rate=48000",
        ],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        if subprocess.run(["pactl", "info"], env=env, capture_output=True).returncode == 0:
            break
        time.sleep(0.1)
    subprocess.run(["pactl", "set-default-sink", "nc_mic_sink"], env=env, check=True)
    subprocess.run(["pactl", "set-default-source", "nc_mic_sink.monitor"], env=env, check=True)
    return proc, env


def feeder(wav: Path, env: dict[str, str], stop: threading.Event) -> None:
    while not stop.is_set():
        p = subprocess.Popen(["paplay", "--volume=32768", str(wav)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while p.poll() is None:
            if stop.wait(0.2):
                p.terminate()
                break
        p.wait()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=30.0)
    ap.add_argument("--out", type=Path, help="also write the figures as JSON here")
    ap.add_argument("--keep-take", action="store_true", help="do not delete the recorded take")
    args = ap.parse_args()
    for tool in ("pulseaudio", "pactl", "paplay", "espeak-ng"):
        if not shutil.which(tool):
            sys.exit(f"record_soak: {tool} is missing; run scripts/setup.sh")

    run_dir = Path(tempfile.mkdtemp(prefix="nc-record-soak-"))
    pulse, env = start_pulse(run_dir)
    # PortAudio's ALSA "pulse"/"default" devices find the server through this at import time.
    os.environ["XDG_RUNTIME_DIR"] = env["XDG_RUNTIME_DIR"]
    os.environ["NARRATIVE_COACH_HOME"] = str(run_dir / "library")
    wav = run_dir / "speech.wav"
    subprocess.run(["espeak-ng", "-s", "150", "-w", str(wav), TEXT], check=True, capture_output=True)

    from narrative_coach.audio.record import Recorder
    from narrative_coach.settings import load_settings

    import soundfile as sf

    stop_feed = threading.Event()
    feed = threading.Thread(target=feeder, args=(wav, env, stop_feed), daemon=True)
    samples: list[dict] = []
    try:
        settings = load_settings()
        rec = Recorder(settings)
        feed.start()
        rec.start()
        wall0 = time.monotonic()
        cpu0 = time.process_time()
        duration = args.minutes * 60.0
        next_sample = wall0
        max_peak = -200.0
        while (now := time.monotonic()) - wall0 < duration and not rec.finished:
            lv = rec.levels()  # the window's 30 Hz meter timer
            max_peak = max(max_peak, lv.peak_dbfs)
            if now >= next_sample:
                samples.append(
                    {"t": round(now - wall0, 1), "rss_mb": round(rss_mb(), 1), "cpu_s": round(time.process_time() - cpu0, 2),
                     "overflows": rec.overflows, "elapsed_s": round(rec.elapsed_s, 1)}
                )
                next_sample += 10.0
            time.sleep(1 / 30)
        wall = time.monotonic() - wall0
        cpu = time.process_time() - cpu0
        take = rec.stop()
    finally:
        stop_feed.set()
        feed.join(5)
        pulse.terminate()
        pulse.wait(5)

    info = sf.info(str(take.path))
    rss = [s["rss_mb"] for s in samples]
    first = [s["rss_mb"] for s in samples if s["t"] <= 60] or rss[:1]
    last = [s["rss_mb"] for s in samples if s["t"] >= wall - 60] or rss[-1:]
    # CPU per 10-s interval, to quote a median as well as the overall mean.
    cpu_steps = [
        (b["cpu_s"] - a["cpu_s"]) / (b["t"] - a["t"]) * 100 for a, b in zip(samples, samples[1:]) if b["t"] > a["t"]
    ]
    result = {
        "minutes": args.minutes,
        "wall_s": round(wall, 1),
        "take_duration_s": round(take.duration_s, 1),
        "take_file_duration_s": round(info.duration, 1),
        "take_file_mb": round(take.path.stat().st_size / 1e6, 1),
        "sample_rate": take.sample_rate,
        "stopped_because": take.stopped_because,
        "overflows": take.overflows,
        "cpu_percent_of_one_core_mean": round(cpu / wall * 100, 2),
        "cpu_percent_of_one_core_median_10s": round(statistics.median(cpu_steps), 2) if cpu_steps else None,
        "rss_mb_median": round(statistics.median(rss), 1) if rss else None,
        "rss_mb_first_minute_median": round(statistics.median(first), 1) if first else None,
        "rss_mb_last_minute_median": round(statistics.median(last), 1) if last else None,
        "rss_mb_peak_sampled": max(rss) if rss else None,
        "ru_maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "max_peak_dbfs": round(max_peak, 1),
        "warnings": list(take.warnings),
        "samples": samples,
    }
    text = json.dumps({k: v for k, v in result.items() if k != "samples"}, indent=2)
    print(text)
    if args.out:
        args.out.write_text(json.dumps(result, indent=2))
    if not args.keep_take:
        shutil.rmtree(run_dir, ignore_errors=True)
    ok = take.overflows == 0 and result["cpu_percent_of_one_core_mean"] < 5.0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
