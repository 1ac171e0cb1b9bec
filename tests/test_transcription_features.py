"""The blockwise log-Mel extractor gives faster-whisper's features without its memory spike."""

from __future__ import annotations

import numpy as np
import pytest
from faster_whisper.feature_extractor import FeatureExtractor

from conftest import AUDIO_CORPUS
from narrative_coach.audio.decode import decode_audio
from narrative_coach.transcription.features import BlockwiseFeatureExtractor


@pytest.fixture(scope="module")
def reading() -> np.ndarray:
    """About a minute of speech (LJ Speech clips 1-9)."""
    clips = sorted((AUDIO_CORPUS / "ljspeech").glob("LJ001-*.wav"))[:9]
    return np.concatenate([decode_audio(c) for c in clips])


@pytest.mark.parametrize("length", [1, 150, 200, 201, 401, 16000, 16000 * 30 + 7, None])
def test_same_features(reading: np.ndarray, length: int | None) -> None:
    audio = reading if length is None else reading[:length]
    expected = FeatureExtractor()(audio)
    got = BlockwiseFeatureExtractor()(audio)
    assert got.shape == expected.shape and got.dtype == np.float32
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-6)


def test_chunk_length_is_honoured(reading: np.ndarray) -> None:
    ours, theirs = BlockwiseFeatureExtractor(), FeatureExtractor()
    ours(reading[:16000], chunk_length=20)
    theirs(reading[:16000], chunk_length=20)
    assert (ours.n_samples, ours.nb_max_frames) == (theirs.n_samples, theirs.nb_max_frames) == (320000, 2000)


def _peak_bytes(extractor: FeatureExtractor, audio: np.ndarray) -> int:
    import tracemalloc

    tracemalloc.start()
    try:
        extractor(audio)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_stays_flat(reading: np.ndarray) -> None:
    """For 8 minutes: one copy of the audio, the Mel output and one block of STFT, against the
    original's whole-file STFT (about 50 MB per minute)."""
    audio = np.tile(reading, -(-8 * 60 * 16000 // len(reading)))[: 8 * 60 * 16000]
    ours = _peak_bytes(BlockwiseFeatureExtractor(), audio)
    theirs = _peak_bytes(FeatureExtractor(), audio)
    assert ours < audio.nbytes + 80 * 48001 * 4 + 80_000_000, ours
    assert ours < theirs / 3, (ours, theirs)
