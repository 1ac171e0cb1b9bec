"""Play a take or an imported recording: play, pause, seek, and the position of what is heard
(for highlighting the word being spoken). No Qt: the window polls `position` from a timer.

The audio is decoded once into memory as 16-bit samples (a 30-minute take at 48 kHz is ~170 MB;
speeches are shorter) so the PortAudio callback only copies a slice: no file I/O in real time.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

import numpy as np

from narrative_coach.audio.devices import resolve_output_device, sounddevice
from narrative_coach.errors import UserError
from narrative_coach.settings import Settings

log = logging.getLogger(__name__)

LATENCY_S = 0.1


class PlayerState:
    STOPPED = "stopped"
    PLAYING = "playing"
    PAUSED = "paused"
    FINISHED = "finished"


def _load(path: Path) -> tuple[np.ndarray, int]:
    """(frames, channels) int16 samples at the file's own rate; anything PyAV reads as a fallback."""
    import soundfile as sf

    if not path.is_file():
        raise UserError(f"The recording {path} does not exist.", "It may have been moved or deleted.")
    try:
        data, rate = sf.read(str(path), dtype="int16", always_2d=True)
    except (RuntimeError, sf.LibsndfileError, ValueError, MemoryError):
        # m4a, mp4, a FLAC without a final length...: decode through the shared decoder.
        from narrative_coach.audio.decode import decode_audio

        rate = 48000
        mono = decode_audio(path, sample_rate=rate)
        data = (np.clip(mono, -1.0, 1.0) * 32767).astype(np.int16).reshape(-1, 1)
    if data.shape[1] > 2:
        data = data.mean(axis=1, dtype=np.float32).astype(np.int16).reshape(-1, 1)
    if len(data) == 0:
        raise UserError(f"The recording {path.name} is empty.", "Record or import it again.")
    return np.ascontiguousarray(data), int(rate)


class Player:
    """Playback of one file on the remembered (or default) output device."""

    def __init__(self, path: Path, *, settings: Settings | None = None, device: str | int | None = None) -> None:
        self.path = Path(path)
        self._sd = sounddevice()
        self._data, self.sample_rate = _load(self.path)
        self.frames = len(self._data)
        self.duration_s = self.frames / self.sample_rate
        self._settings = settings
        self._device = device
        self._pos = 0  # next frame handed to the device
        self._seek_to: int | None = None
        self._stream: Any = None
        self._latency = 0.0
        self._pausing = False
        self._done = threading.Event()
        self.state = PlayerState.STOPPED
        # Set when playback stopped because the output device disappeared (headphones unplugged).
        self.lost_device = False

    # ---- position ----
    @property
    def position(self) -> float:
        """Seconds into the file of the sound coming out of the speaker now."""
        pending = self._seek_to
        if pending is not None:
            return pending / self.sample_rate
        heard = self._pos / self.sample_rate
        if self.state == PlayerState.PLAYING:
            heard -= self._latency  # what was handed over but is still in the device buffer
        return min(self.duration_s, max(0.0, heard))

    def seek(self, seconds: float) -> None:
        frame = int(round(min(max(0.0, float(seconds)), self.duration_s) * self.sample_rate))
        if self.state == PlayerState.PLAYING:
            self._seek_to = frame  # picked up by the callback, which owns _pos while playing
        else:
            self._pos = frame
            if self.state == PlayerState.FINISHED:
                self.state = PlayerState.PAUSED

    # ---- control ----
    def play(self) -> None:
        if self.state == PlayerState.PLAYING:
            return
        if self.state == PlayerState.FINISHED or self._pos >= self.frames:
            self._pos = 0
        if self._stream is None:
            self._open()
        else:
            self._stop_stream()
        self._done.clear()
        self.lost_device = False
        self.state = PlayerState.PLAYING
        try:
            self._stream.start()
        except Exception as exc:  # noqa: BLE001 - PortAudioError: the output went away
            self.state = PlayerState.STOPPED
            raise UserError(f"Cannot play on the output device: {exc}.", "Check your speakers or headphones.") from exc

    def pause(self) -> None:
        if self.state != PlayerState.PLAYING:
            return
        self._pausing = True
        self._stop_stream()
        self._pausing = False
        if self._seek_to is not None:
            self._pos, self._seek_to = self._seek_to, None
        else:
            # Samples still in the device buffer were never heard: resume from what was.
            self._pos = max(0, self._pos - int(self._latency * self.sample_rate))
        self.state = PlayerState.PAUSED

    def wait(self, timeout: float | None = None) -> bool:
        """Block until playback ends (the end of the file, or the device went away: True) or
        `timeout` passes (False)."""
        return self._done.wait(timeout)

    def close(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            self._pausing = True
            try:
                stream.abort()
                stream.close()
            except Exception:  # noqa: BLE001
                pass
        if self.state == PlayerState.PLAYING:
            self.state = PlayerState.PAUSED

    def __enter__(self) -> "Player":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- PortAudio ----
    def _open(self) -> None:
        sd = self._sd
        remembered = self._settings.output_device if self._settings else None
        device, message = resolve_output_device(self._device, remembered)
        if message:
            log.warning("playback: %s", message)
        try:
            self._stream = sd.OutputStream(
                device=device.index,
                samplerate=self.sample_rate,
                channels=self._data.shape[1],
                dtype="int16",
                latency=LATENCY_S,
                callback=self._callback,
                finished_callback=self._finished,
            )
        except Exception as exc:  # noqa: BLE001 - PortAudioError
            raise UserError(
                f"Cannot open the output device '{device.name}' at {self.sample_rate} Hz: {exc}.",
                "Check your speakers or headphones, or choose another output with 'narrative-coach devices'.",
            ) from exc
        self._latency = float(self._stream.latency)

    def _stop_stream(self) -> None:
        try:
            self._stream.abort()
        except Exception:  # noqa: BLE001
            pass

    def _callback(self, outdata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        pos = self._pos
        if self._seek_to is not None:
            pos, self._seek_to = self._seek_to, None
        chunk = self._data[pos : pos + frames]
        n = len(chunk)
        outdata[:n] = chunk
        self._pos = pos + n
        if n < frames:
            outdata[n:] = 0
            raise self._sd.CallbackStop

    def _finished(self) -> None:
        if self._pausing:
            return
        if self._pos >= self.frames:
            self.state = PlayerState.FINISHED
        else:
            # The stream ended on its own before the end: the output device went away.
            self.lost_device = True
            self._pos = max(0, self._pos - int(self._latency * self.sample_rate))
            self.state = PlayerState.PAUSED
            log.warning("playback stopped: the output device went away")
        self._done.set()
