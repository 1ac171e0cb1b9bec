"""The shared audio corpus with its reference transcripts (../shared/corpus/audio/refs.tsv).

Used by the WER test and the benchmarks. The stereo diarization files are left out: two people
speak at once there, so a single reference cannot score them.
"""

from __future__ import annotations

import csv
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
AUDIO_CORPUS = REPO.parent / "shared" / "corpus" / "audio"


def corpus_clips(root: Path = AUDIO_CORPUS) -> list[tuple[Path, str]]:
    """(audio path, reference text) for every scorable clip, in refs.tsv order."""
    with open(root / "refs.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [
        (root / row["filename"], row["reference"])
        for row in rows
        if not Path(row["filename"]).name.startswith("stereo_diarization")
    ]


def ljspeech_clips(root: Path = AUDIO_CORPUS) -> list[Path]:
    return sorted((root / "ljspeech").glob("LJ001-*.wav"))
