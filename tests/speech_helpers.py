"""Test audio made at test time with espeak-ng (nothing binary is committed)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import soundfile as sf


def speak(text: str, path: Path, wpm: int = 160, voice: str = "en-us", gap_ms: int = 10) -> Path:
    """Render `text` to a 22.05 kHz mono WAV at `wpm` words per minute (espeak's -s)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(wpm), "-g", str(gap_ms // 10), "-w", str(path), text],
        check=True,
        capture_output=True,
    )
    return path


def silence(seconds: float, sample_rate: int = 22050) -> np.ndarray:
    return np.zeros(int(round(seconds * sample_rate)), dtype=np.float32)


def join_wavs(parts: list[Path | np.ndarray], out: Path, sample_rate: int = 22050) -> Path:
    """Concatenate WAV files and arrays of silence (all at `sample_rate`) into one file."""
    chunks = []
    for part in parts:
        if isinstance(part, np.ndarray):
            chunks.append(part.astype(np.float32))
        else:
            data, sr = sf.read(str(part), dtype="float32", always_2d=True)
            if sr != sample_rate:
                raise ValueError(f"{part} is {sr} Hz, expected {sample_rate}")
            chunks.append(data.mean(axis=1))
    sf.write(str(out), np.concatenate(chunks), sample_rate)
    return out
