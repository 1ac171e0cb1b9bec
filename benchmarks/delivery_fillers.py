"""Filler detection, end to end: recall and precision on espeak-ng speech with and without fillers.

Each sentence is rendered by espeak-ng, transcribed by the app's engine (tiny.en) with the verbatim
option off and on, and analysed by `analyze_delivery` with the words and the audio. Detected fillers
are compared with the script, sentence by sentence (hits = min(expected, detected); extra detections
are false alarms), separately for
- hesitations ("um", "uh"), which Whisper tends to drop, and
- discourse fillers ("like", "you know", "so", "I mean", "basically"), which it keeps but which
  need context rules,
and for two detectors: the transcript alone, and transcript + acoustic candidates (voiced stretches
of 80-1200 ms with steady pitch that no word covers). The hesitation sentences are also rendered
with each "um"/"uh" drawn out (SSML x-slow, 300-600 ms, "drawn-out" rows), closer to a real
hesitation than espeak's clipped 120 ms one. The control sentences have no fillers but
contain the grammatical "like", "so that", "you know the", "I mean it". Last, the false-alarm rate
of the acoustic detector on real read speech with no fillers (the 3 min 54 s LJ Speech take of
benchmarks/delivery_speed.py), for several minimum durations. Run:

    .venv/bin/python benchmarks/delivery_fillers.py [--show]

Whisper decoding is deterministic (temperature 0), so one run gives the figures.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from narrative_coach.analysis.delivery import analyze_delivery  # noqa: E402
from narrative_coach.analysis.delivery.fillers import HESITATIONS  # noqa: E402
from narrative_coach.audio.decode import decode_audio  # noqa: E402
from narrative_coach.settings import load_settings  # noqa: E402
from narrative_coach.transcription import transcribe_many  # noqa: E402

SR = 16000
# (sentence, hesitations, discourse fillers)
WITH_FILLERS = [
    ("Good evening. Um, I want to start with a story about my father.", 1, 0),
    ("He worked at the mill for thirty years, and uh, he never missed a day.", 1, 0),
    ("When the mill closed, um, our whole street went quiet.", 1, 0),
    ("I remember, uh, standing at the gate with him on the last morning.", 1, 0),
    ("Um, we can open the new clinic by the spring.", 1, 0),
    ("Our children, uh, deserve parks that are safe and clean.", 1, 0),
    ("I know, um, that change is hard, but uh, we have done hard things before.", 2, 0),
    ("The vote is on Thursday, and um, every voice will count.", 1, 0),
    ("It was, like, the coldest winter anyone could remember.", 0, 1),
    ("You know, this town has always taken care of its own.", 0, 1),
    ("So, here is what we are going to do.", 0, 1),
    ("I mean, nobody wanted the plant to close.", 0, 1),
    ("The bridge is basically falling apart.", 0, 1),
    ("We waited, like, three years for that bus line, you know.", 0, 2),
    ("Um, so, like, the budget is tight this year.", 1, 2),
    ("Uh, I mean, we have to be honest about the cost.", 1, 1),
]
CONTROLS = [
    "I like this city and I like the people in it.",
    "It looks like rain, so bring your coats to the meeting.",
    "We saved money so that our children could stay here.",
    "You know the way to the library on Elm Street.",
    "When I say we will fix it, I mean it.",
    "Cities like ours have come back before.",
    "My mother cleaned offices at night for twenty years.",
    "We rebuilt the school after the flood of nineteen ninety.",
    "The council votes on Tuesday at seven in the evening.",
    "Thank you all for coming out tonight.",
]


def drawn_out(text: str) -> str:
    """SSML that draws each "um"/"uh" out to 300-600 ms, closer to a real hesitation than espeak's 120 ms."""
    slow = re.sub(r"\b([Uu]m|[Uu]h)\b", lambda m: f'<prosody rate="x-slow">{m.group(1)}{m.group(1)[-1]}</prosody>', text)
    return f"<speak>{slow}</speak>"


def render(texts: list[str], folder: Path, ssml: bool = False) -> list[np.ndarray]:
    out = []
    for i, text in enumerate(texts):
        path = folder / f"s{i:02d}{'-ssml' if ssml else ''}.wav"
        subprocess.run(["espeak-ng", *(["-m"] if ssml else []), "-v", "en-us", "-s", "150", "-w", str(path), text],
                       check=True, capture_output=True)
        out.append(decode_audio(path))
    return out


def sentences_of(text: str) -> list[dict]:
    out = []
    for m in re.finditer(r"[^.!?]+[.!?]+|[^.!?]+$", text):
        if m.group(0).strip():
            lead = len(m.group(0)) - len(m.group(0).lstrip())
            out.append({"index": len(out), "text": m.group(0).strip(), "start_char": m.start() + lead,
                        "end_char": m.end(), "start_s": None, "end_s": None, "part": "other"})
    return out


def detect(transcript: dict, audio: np.ndarray) -> tuple[int, int, int]:
    """(hesitations in the transcript, discourse fillers, acoustic candidates) for one clip."""
    d = analyze_delivery(transcript["text"], sentences_of(transcript["text"]), transcript["words"], audio, SR)
    f = d.delivery["fillers"]
    items = [it for it in f["items"] if it["source"] == "transcript"]
    hes = sum(1 for it in items if it["word"] in HESITATIONS)
    return hes, len(items) - hes, len(f["acoustic_candidates"])


def score(pairs: list[tuple[int, int]]) -> tuple[float, float, int, int, int]:
    expected = sum(e for e, _ in pairs)
    detected = sum(d for _, d in pairs)
    hits = sum(min(e, d) for e, d in pairs)
    recall = hits / expected if expected else float("nan")
    precision = hits / detected if detected else float("nan")
    return recall, precision, hits, expected, detected


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", action="store_true", help="print each transcript and what was detected")
    args = ap.parse_args()
    texts = [s for s, _, _ in WITH_FILLERS] + CONTROLS
    want_hes = [h for _, h, _ in WITH_FILLERS] + [0] * len(CONTROLS)
    want_dis = [d for _, _, d in WITH_FILLERS] + [0] * len(CONTROLS)
    slow_set = [(drawn_out(s), h) for s, h, d in WITH_FILLERS if h and not d]
    with tempfile.TemporaryDirectory() as tmp:
        audio = render(texts, Path(tmp))
        slow_audio = render([s for s, _ in slow_set], Path(tmp), ssml=True)
        settings = load_settings(Path(tmp) / "home")
        print(f"{len(WITH_FILLERS)} sentences with {sum(want_hes)} hesitations and {sum(want_dis)} discourse "
              f"fillers; {len(CONTROLS)} control sentences without fillers")
        print(f"{'transcription':<14}{'detector':<24}{'kind':<12}{'recall':>8}{'precision':>11}"
              f"{'hits/expected/detected':>25}")
        for verbatim in (False, True):
            both = [t.to_dict() for t in transcribe_many(audio + slow_audio, settings=settings, verbatim=verbatim)]
            transcripts, slow_transcripts = both[: len(audio)], both[len(audio):]
            found = [detect(t, a) for t, a in zip(transcripts, audio)]
            slow_found = [detect(t, a) for t, a in zip(slow_transcripts, slow_audio)]
            mode = "verbatim" if verbatim else "plain"
            rows = [
                ("transcript", "hesitation", [(w, h) for w, (h, _, _) in zip(want_hes, found)]),
                ("transcript+acoustic", "hesitation", [(w, h + a) for w, (h, _, a) in zip(want_hes, found)]),
                ("transcript", "discourse", [(w, d) for w, (_, d, _) in zip(want_dis, found)]),
            ]
            slow_want = [h for _, h in slow_set]
            rows += [
                ("transcript", "drawn-out", [(w, h) for w, (h, _, _) in zip(slow_want, slow_found)]),
                ("transcript+acoustic", "drawn-out", [(w, h + a) for w, (h, _, a) in zip(slow_want, slow_found)]),
            ]
            for detector, kind, pairs in rows:
                r, p, hits, exp, det = score(pairs)
                print(f"{mode:<14}{detector:<24}{kind:<12}{r:>8.0%}{p:>11.0%}{f'{hits}/{exp}/{det}':>25}")
            false_in_controls = sum(h + d for h, d, _ in found[len(WITH_FILLERS):])
            acoustic_in_controls = sum(a for _, _, a in found[len(WITH_FILLERS):])
            print(f"{mode:<14}controls: {false_in_controls} transcript false alarms, {acoustic_in_controls} acoustic "
                  f"candidates in {len(CONTROLS)} clean sentences")
            if args.show:
                for text, t, f in zip(texts, transcripts, found):
                    print(f"   [{mode}] script: {text}\n      heard: {t['text'].strip()}\n      "
                          f"hesitations {f[0]}, discourse {f[1]}, acoustic {f[2]}")
        real_speech_false_alarms(Path(tmp))
    return 0


def real_speech_false_alarms(workdir: Path) -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from delivery_speed import base_take

    audio, text, words = base_take(workdir)
    minutes = None
    for min_s in (0.08, 0.15, 0.2):
        d = analyze_delivery(text, sentences_of(text), words, audio, SR,
                             {"delivery": {"acoustic_filler_min_s": min_s}}).delivery
        minutes = d["speaking_time_s"] / 60
        n = len(d["fillers"]["acoustic_candidates"])
        print(f"LJ Speech read aloud ({minutes:.1f} min, no fillers), acoustic_filler_min_s={min_s}: "
              f"{n} acoustic false alarms ({n / minutes:.1f} a minute); transcript fillers "
              f"{d['fillers']['transcript_count']}")


if __name__ == "__main__":
    raise SystemExit(main())
