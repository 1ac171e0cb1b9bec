"""Does verbatim mode (a disfluency prompt carried across windows) help?

Measures, with and without verbatim mode, in one run:
- filler recall: espeak-ng renders speech-like sentences containing "um" and "uh"; recall is the
  share of those fillers that appear in the transcript (per clip, min(found, expected));
- WER on those sentences, counting fillers as words, and without them;
- WER over the shared corpus (every clip of refs.tsv except the stereo diarization files), to check
  that the prompt does not hurt clean speech.
Normaliser: narrative_coach/transcription/normalise.py. Run:

    .venv/bin/python benchmarks/verbatim_fillers.py [--repeat N]

Whisper decoding is deterministic at temperature 0, so repeats only matter when the fallback
temperatures kick in; the median is reported.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import jiwer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus_refs import REPO, corpus_clips  # noqa: E402

sys.path.insert(0, str(REPO))
from narrative_coach.settings import load_settings  # noqa: E402
from narrative_coach.transcription import transcribe_many  # noqa: E402
from narrative_coach.transcription.normalise import normalise  # noqa: E402
from narrative_coach.transcription.verbatim import FILLER_WORDS  # noqa: E402

FILLER_SENTENCES = [
    "Good evening. Um, I want to start with a story about my father.",
    "He worked at the mill for thirty years, and uh, he never missed a day.",
    "When the mill closed, um, our whole street went quiet.",
    "I remember, uh, standing at the gate with him on the last morning.",
    "So, um, that is why I ran for mayor of this town.",
    "We are, uh, neighbors who look out for each other.",
    "Tonight, um, I am asking you to join us at the council meeting.",
    "The vote is on Thursday, and uh, every voice will count.",
    "Um, we can open the new clinic by the spring.",
    "Our children, uh, deserve parks that are safe and clean.",
    "I know, um, that change is hard, but uh, we have done hard things before.",
    "Uh, thank you all for coming tonight.",
]


def render(sentences: list[str], folder: Path, wpm: int = 150) -> list[Path]:
    paths = []
    for i, text in enumerate(sentences):
        path = folder / f"filler-{i:02d}.wav"
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", str(wpm), "-w", str(path), text], check=True, capture_output=True)
        paths.append(path)
    return paths


def filler_counts(text: str) -> Counter[str]:
    return Counter(w for w in normalise(text).split() if w in FILLER_WORDS)


def without_fillers(text: str) -> str:
    return " ".join(w for w in normalise(text).split() if w not in FILLER_WORDS)


def measure(verbatim: bool, filler_audio: list[Path], corpus: list[tuple[Path, str]], settings) -> dict[str, float]:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    hyps = transcribe_many(filler_audio + [p for p, _ in corpus], settings=settings, verbatim=verbatim)
    elapsed = time.monotonic() - started
    filler_hyps = [t.text for t in hyps[: len(filler_audio)]]
    corpus_hyps = [t.text for t in hyps[len(filler_audio) :]]
    expected = found = 0
    for ref, hyp in zip(FILLER_SENTENCES, filler_hyps):
        want, got = filler_counts(ref), filler_counts(hyp)
        # "um" and "uh" are the same event for a coach; count any filler word as a hit.
        expected += sum(want.values())
        found += min(sum(want.values()), sum(got.values()))
    refs_norm = [normalise(r) for r in FILLER_SENTENCES]
    return {
        "filler_recall": found / expected,
        "filler_wer_with_fillers": jiwer.wer(refs_norm, [normalise(h) for h in filler_hyps]),
        "filler_wer_without_fillers": jiwer.wer(
            [without_fillers(r) for r in FILLER_SENTENCES], [without_fillers(h) for h in filler_hyps]
        ),
        "corpus_wer": jiwer.wer([normalise(r) for _, r in corpus], [normalise(h) for h in corpus_hyps]),
        "seconds": elapsed,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--show", action="store_true", help="print the filler transcripts")
    args = parser.parse_args()
    corpus = corpus_clips()
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(Path(tmp) / "home")
        audio = render(FILLER_SENTENCES, Path(tmp))
        runs: dict[bool, list[dict[str, float]]] = {True: [], False: []}
        for _ in range(args.repeat):
            for verbatim in (False, True):
                runs[verbatim].append(measure(verbatim, audio, corpus, settings))
        if args.show:
            for verbatim in (False, True):
                for t in transcribe_many(audio, settings=settings, verbatim=verbatim):
                    print(f"verbatim={verbatim}: {t.text}")
    print(f"{len(FILLER_SENTENCES)} espeak-ng sentences with {sum(sum(filler_counts(s).values()) for s in FILLER_SENTENCES)} fillers; "
          f"{len(corpus)} corpus clips; {args.repeat} run(s), medians")
    print(f"{'mode':<12}{'filler recall':>15}{'WER w/ fillers':>16}{'WER w/o':>10}{'corpus WER':>12}{'seconds':>9}")
    for verbatim in (False, True):
        med = {k: statistics.median(r[k] for r in runs[verbatim]) for k in runs[verbatim][0]}
        print(
            f"{'verbatim' if verbatim else 'plain':<12}{med['filler_recall']:>15.1%}{med['filler_wer_with_fillers']:>16.1%}"
            f"{med['filler_wer_without_fillers']:>10.1%}{med['corpus_wer']:>12.2%}{med['seconds']:>9.1f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
