"""Whisper's log-Mel features computed in blocks, so memory does not grow with the recording.

faster-whisper's `FeatureExtractor` builds the short-time Fourier transform of the whole file at
once: about 50 MB of temporary arrays per minute of audio (500 MB for a 10-minute speech, several
GB for the 3-hour maximum). This subclass computes the same STFT frame by frame in blocks of one
minute and keeps only the 80-band Mel spectrogram (0.3 MB per minute). The one global step, the
clamp to 8 decades below the loudest value, is applied once at the end, so the output equals the
original's (up to float rounding of the Mel matrix product).
"""

from __future__ import annotations

import numpy as np
from faster_whisper.feature_extractor import FeatureExtractor


class BlockwiseFeatureExtractor(FeatureExtractor):
    block_frames = 6000  # one minute at Whisper's 10 ms hop

    def __call__(self, waveform: np.ndarray, padding: int = 160, chunk_length: int | None = None) -> np.ndarray:
        if chunk_length is not None:
            self.n_samples = chunk_length * self.sampling_rate
            self.nb_max_frames = self.n_samples // self.hop_length
        padded = self._padded(np.asarray(waveform, dtype=np.float32), padding)
        window = np.hanning(self.n_fft + 1)[:-1].astype("float32")
        n_frames = 1 + (len(padded) - self.n_fft) // self.hop_length
        kept = n_frames - 1  # the original drops the last STFT frame
        mel = np.empty((self.mel_filters.shape[0], kept), dtype=np.float32)
        for start in range(0, kept, self.block_frames):
            stop = min(kept, start + self.block_frames)
            segment = padded[start * self.hop_length : (stop - 1) * self.hop_length + self.n_fft]
            stft = self.stft(
                segment, self.n_fft, self.hop_length, window=window, center=False, return_complex=True
            ).astype("complex64")
            mel[:, start:stop] = self.mel_filters @ (np.abs(stft) ** 2)
        np.clip(mel, 1e-10, None, out=mel)
        np.log10(mel, out=mel)
        np.maximum(mel, mel.max() - 8.0, out=mel)
        mel += 4.0
        mel /= 4.0
        return mel

    def _padded(self, waveform: np.ndarray, padding: int) -> np.ndarray:
        """The original's `pad(pad(w, (0, padding)), n_fft/2, "reflect")`, built with one copy."""
        half = self.n_fft // 2
        if len(waveform) + padding <= half + 1:
            return np.pad(np.pad(waveform, (0, padding)), half, mode="reflect")
        out = np.zeros(len(waveform) + padding + 2 * half, dtype=np.float32)
        body = out[half : half + len(waveform) + padding]
        body[: len(waveform)] = waveform
        out[:half] = body[1 : half + 1][::-1]
        out[half + len(body) :] = body[-half - 1 : -1][::-1]
        return out
