"""How much audio does a crash lose? Kill the recording process with SIGKILL mid-take, recover the
take, and compare its length with what the recorder had reported just before the kill.

A private PulseAudio null sink is the microphone, with noise playing into it (so FLAC frames have
real size). Each run kills the child at a random moment 2-6 s into the take.

    .venv/bin/python benchmarks/record_crash.py --runs 7

Prints the loss per run and the median and maximum (target: at most ~1 s).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from record_soak import start_pulse  # noqa: E402

CHILD = """
import time
from narrative_coach.settings import load_settings
from narrative_coach.audio.record import Recorder
rec = Recorder(load_settings())
rec.start()
while True:
    print(rec.elapsed_s, flush=True)
    time.sleep(0.02)
"""


def one_run(env: dict[str, str], home: Path, kill_after: float) -> dict:
    from narrative_coach.audio.recovery import find_interrupted_takes, recover_take
    from narrative_coach.settings import load_settings

    child_env = dict(env, NARRATIVE_COACH_HOME=str(home))
    child = subprocess.Popen([sys.executable, "-c", CHILD], env=child_env, stdout=subprocess.PIPE, text=True)
    last = 0.0
    deadline = time.monotonic() + 60
    while last < kill_after and time.monotonic() < deadline:
        line = child.stdout.readline()
        if line:
            last = float(line)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    takes = find_interrupted_takes(load_settings(home))
    if len(takes) != 1:
        raise SystemExit(f"record_crash: expected one interrupted take, found {len(takes)}")
    import soundfile as sf

    recovered = sf.info(str(recover_take(takes[0]))).duration
    return {"reported_s": round(last, 3), "recovered_s": round(recovered, 3), "lost_s": round(last - recovered, 3)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--seed", type=int, default=6)
    args = ap.parse_args()
    run_dir = Path(tempfile.mkdtemp(prefix="nc-record-crash-"))
    pulse, env = start_pulse(run_dir)
    noise = run_dir / "noise.wav"
    import numpy as np
    import soundfile as sf

    rng = np.random.default_rng(args.seed)
    sf.write(str(noise), (0.2 * rng.standard_normal(48000 * 30)).astype(np.float32), 48000)
    results = []
    try:
        for i in range(args.runs):
            player = subprocess.Popen(["paplay", "--volume=32768", str(noise)], env=env)
            try:
                r = one_run(env, run_dir / f"lib{i}", random.Random(args.seed + i).uniform(2.0, 6.0))
            finally:
                player.kill()
                player.wait()
            results.append(r)
            print(json.dumps(r))
    finally:
        pulse.terminate()
        pulse.wait(5)
        shutil.rmtree(run_dir, ignore_errors=True)
    lost = [r["lost_s"] for r in results]
    print(json.dumps({"runs": len(lost), "lost_s_median": round(statistics.median(lost), 3), "lost_s_max": max(lost)}))
    return 0 if max(lost) <= 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
