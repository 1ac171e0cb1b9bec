"""Record a practice take from the microphone, crash-safe.

Threads and who does what:
- PortAudio's callback only copies each block into a bounded queue (and counts overflows). No
  file I/O, no maths, no locks held beyond the queue's own, no Qt.
- One writer thread drains the queue: mixes to mono, feeds the level meter, writes FLAC through
  soundfile, flushes about every half second (so a `kill -9` or power cut loses < 1 s), checks the
  free disk space, and notices a microphone that stopped delivering sound (unplugged headset,
  sound server gone). Any of those ends the take *and keeps it*.
- The caller (the window's timer or the command line) polls `levels()`, `elapsed_s`, `state`,
  `overflows` and `warnings`; all are safe to read from any thread.

Audio is kept at the device's native rate; resampling to 16 kHz happens at transcription time.
"""

from __future__ import annotations

import logging
import os
import queue
import shutil
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from narrative_coach.audio.devices import AudioDevice, resolve_input_device, sounddevice
from narrative_coach.audio.meter import LevelMeter, Levels
from narrative_coach.audio.recovery import TakeMarker, remove_take
from narrative_coach.errors import UserError
from narrative_coach.settings import Settings, ensure_home

log = logging.getLogger(__name__)

# Stop and save when the disk holding the takes has less than this left; refuse to start with
# less than this plus a minute of audio.
MIN_FREE_BYTES = 100 * 1024 * 1024
FLUSH_EVERY_S = 0.5
DISK_CHECK_EVERY_S = 2.0
# No block from the device for this long while the stream should be running = device lost.
DEVICE_SILENT_TIMEOUT_S = 2.0
QUEUE_SECONDS = 20.0
# One callback per level-meter reading (~30 Hz) with a 0.2 s device buffer: measured at well under
# 5 % of a core, where PortAudio's default tiny blocks (150-650 callbacks/s) cost 5-18 %.
BLOCKS_PER_SECOND = 30
DEVICE_LATENCY_S = 0.2

# Why a take ended.
STOP_USER = "stopped"
STOP_MAX_LENGTH = "max_length"
STOP_DISK_LOW = "disk_low"
STOP_DEVICE_LOST = "device_lost"
STOP_WRITE_ERROR = "write_error"

_SENTINEL = object()


class RecorderState:
    IDLE = "idle"
    RECORDING = "recording"
    PAUSED = "paused"
    STOPPED = "stopped"


@dataclass(frozen=True)
class Take:
    """A finished take on disk."""

    path: Path
    duration_s: float
    sample_rate: int
    device: str
    started_at: str
    stopped_because: str
    overflows: int
    warnings: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "duration_s": self.duration_s,
            "sample_rate": self.sample_rate,
            "device": self.device,
            "started_at": self.started_at,
            "stopped_because": self.stopped_because,
            "overflows": self.overflows,
            "warnings": list(self.warnings),
        }


def free_bytes(folder: Path) -> int:
    """Free space for the user on the disk holding `folder` (a seam the tests replace)."""
    return shutil.disk_usage(folder).free


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


class Recorder:
    """One take from one input device. `start()`, then `pause()`/`resume()` any number of times,
    then `stop()`; the take also ends by itself at the maximum length, when the disk is nearly
    full or when the device goes away (`wait()` returns then) and is saved in every case.

    `device` is an explicit choice (error if absent); when None the remembered
    `settings.input_device` is used, falling back to the default device with a warning.
    """

    def __init__(
        self,
        settings: Settings,
        device: str | int | None = None,
        *,
        max_seconds: float | None = None,
        min_free_bytes: int = MIN_FREE_BYTES,
    ) -> None:
        self.settings = settings
        self._wanted = device
        limit = settings.max_audio_seconds
        self.max_seconds = float(min(limit, max_seconds) if max_seconds else limit)
        self.min_free_bytes = int(min_free_bytes)
        self.state = RecorderState.IDLE
        self.path: Path | None = None
        self.device: AudioDevice | None = None
        self.sample_rate = 0
        self.stopped_because: str | None = None
        self._lock = threading.Lock()
        self._warnings: list[str] = []
        self._input_overflows = 0
        self._dropped_blocks = 0
        self._frames_written = 0
        self._paused = False
        self._meter: LevelMeter | None = None
        self._stream: Any = None
        self._writer: threading.Thread | None = None
        self._queue: queue.Queue = queue.Queue()
        self._marker: TakeMarker | None = None
        self._finished = threading.Event()
        self._stream_ended = threading.Event()
        self._stopping = False
        self._started_at = ""
        self._take: Take | None = None

    # ---- what the window/CLI reads (any thread) ----
    @property
    def elapsed_s(self) -> float:
        return self._frames_written / self.sample_rate if self.sample_rate else 0.0

    @property
    def overflows(self) -> int:
        """Blocks of audio the machine could not keep up with (PortAudio overflow + full queue)."""
        return self._input_overflows + self._dropped_blocks

    @property
    def warnings(self) -> list[str]:
        with self._lock:
            return list(self._warnings)

    def levels(self) -> Levels:
        return self._meter.levels() if self._meter else Levels()

    @property
    def finished(self) -> bool:
        return self._finished.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the take has ended (by itself or by `stop()`); True if it has."""
        return self._finished.wait(timeout)

    def _warn(self, message: str) -> None:
        with self._lock:
            if message in self._warnings:
                return
            self._warnings.append(message)
        log.warning("recording: %s", message)

    # ---- control ----
    def start(self) -> Path:
        """Open the device and start writing a new take; returns the take's path."""
        if self.state != RecorderState.IDLE:
            raise UserError("This recorder has already been used.", "Start a new recording.")
        sd = sounddevice()
        device, fallback_message = resolve_input_device(self._wanted, self.settings.input_device)
        if fallback_message:
            self._warn(fallback_message)
        folder = self.settings.takes_dir
        ensure_home(self.settings.home)
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise UserError(f"Cannot create the takes folder {folder}: {exc.strerror}.", "Check the library folder's permissions.") from exc
        free = free_bytes(folder)
        if free < self.min_free_bytes + 60 * 48000 * 2:
            raise UserError(
                f"The disk holding your library is almost full ({_mb(free)} free).",
                "Free some space before recording.",
            )
        channels = max(1, min(2, device.max_input_channels))
        stream, rate = self._open_stream(sd, device, channels)
        self.device, self.sample_rate, self._stream = device, rate, stream
        self._meter = LevelMeter(rate)
        # Room for QUEUE_SECONDS of blocks: a slow disk stalls the writer, not the callback.
        self._queue = queue.Queue(maxsize=int(QUEUE_SECONDS * BLOCKS_PER_SECOND))

        stamp = datetime.now()
        self._started_at = stamp.isoformat(timespec="seconds")
        path = folder / f"take-{stamp:%Y%m%d-%H%M%S}-{os.getpid()}.flac"
        n = 1
        while path.exists():
            path = folder / f"take-{stamp:%Y%m%d-%H%M%S}-{os.getpid()}-{n}.flac"
            n += 1
        self.path = path
        import soundfile as sf

        try:
            self._marker = TakeMarker(
                path, {"started_at": self._started_at, "device": device.name, "sample_rate": rate, "format": "FLAC"}
            )
            self._file = sf.SoundFile(str(path), "w", samplerate=rate, channels=1, format="FLAC", subtype="PCM_16")
            os.chmod(path, 0o600)  # a private rehearsal: readable by its owner only
        except (OSError, RuntimeError) as exc:
            stream.close()
            if self._marker:
                self._marker.release()
                self._marker.path.unlink(missing_ok=True)
            raise UserError(f"Cannot create the take file in {folder}: {exc}.", "Check the disk and its permissions.") from exc

        self._writer = threading.Thread(target=self._write_loop, name="take-writer", daemon=True)
        self.state = RecorderState.RECORDING
        self._writer.start()
        try:
            stream.start()
        except Exception as exc:  # noqa: BLE001 - PortAudioError
            self._stopping = True
            self._queue.put(_SENTINEL)
            self._writer.join()
            for leftover in (path, self._marker.path):
                leftover.unlink(missing_ok=True)
            raise UserError(
                f"Cannot start recording from '{device.name}': {exc}.", "Check the microphone or choose another one."
            ) from exc
        log.info("recording started: device=%s rate=%s channels=%s", device.name, rate, channels)
        return path

    def _open_stream(self, sd: Any, device: AudioDevice, channels: int) -> tuple[Any, int]:
        rates = [int(device.default_samplerate)] + [r for r in (48000, 44100, 16000) if r != int(device.default_samplerate)]
        last: Exception | None = None
        for rate in rates:
            try:
                stream = sd.InputStream(
                    device=device.index,
                    channels=channels,
                    samplerate=rate,
                    dtype="float32",
                    blocksize=max(64, rate // BLOCKS_PER_SECOND),
                    latency=DEVICE_LATENCY_S,
                    callback=self._callback,
                    finished_callback=self._stream_ended.set,
                )
                return stream, rate
            except Exception as exc:  # noqa: BLE001 - PortAudioError: try the next rate
                last = exc
        raise UserError(
            f"Cannot open the microphone '{device.name}': {last}.",
            "Check that it is connected and not used by another program, or choose another one.",
        )

    def _callback(self, indata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        # Real-time thread: copy and go.
        if status.input_overflow:
            self._input_overflows += 1
        try:
            self._queue.put_nowait(indata.copy())
        except queue.Full:
            self._dropped_blocks += 1

    def pause(self) -> None:
        if self.state == RecorderState.RECORDING:
            self._paused = True
            self.state = RecorderState.PAUSED

    def resume(self) -> None:
        if self.state == RecorderState.PAUSED:
            self._paused = False
            self.state = RecorderState.RECORDING

    def stop(self, timeout: float = 30.0) -> Take:
        """End the take (keeping everything recorded so far) and return it."""
        if self.state == RecorderState.IDLE:
            raise UserError("Nothing is being recorded.", "Start a recording first.")
        if not self._finished.is_set() and not self._stopping:
            self._stopping = True
            self._close_stream()
            try:
                self._queue.put(_SENTINEL, timeout=5.0)
            except queue.Full:
                pass  # the writer is gone or stuck; join() below bounds the wait
        if self._writer is not None:
            self._writer.join(timeout)
        if self._take is None:
            raise UserError("The take could not be finished in time.", "Its audio is kept; it will be offered for recovery.")
        return self._take

    def discard(self) -> None:
        """End the take and delete it: the user chose to throw it away."""
        if self.state == RecorderState.IDLE:
            return
        take = self.stop()
        remove_take(take.path)
        log.info("take discarded by the user")

    def _close_stream(self) -> None:
        stream, self._stream = self._stream, None
        if stream is None:
            return
        try:
            stream.stop()
        except Exception:  # noqa: BLE001 - a lost device may refuse; closing is what matters
            pass
        try:
            stream.close()
        except Exception:  # noqa: BLE001
            pass

    # ---- writer thread ----
    def _write_loop(self) -> None:
        reason = STOP_USER
        max_frames = int(self.max_seconds * self.sample_rate)
        now = time.monotonic()
        last_flush = last_disk = last_block = now
        # Opening a device can take a second or two before the first block; be patient once.
        silent_timeout = DEVICE_SILENT_TIMEOUT_S + 5.0
        try:
            while True:
                try:
                    block = self._queue.get(timeout=0.2)
                except queue.Empty:
                    block = None
                if block is _SENTINEL:
                    break
                now = time.monotonic()
                if block is not None:
                    last_block = now
                    silent_timeout = DEVICE_SILENT_TIMEOUT_S
                    mono = block[:, 0] if block.shape[1] == 1 else block.mean(axis=1)
                    recording = not self._paused
                    assert self._meter is not None
                    self._meter.feed(mono, count_silence=recording)
                    if recording:
                        room = max_frames - self._frames_written
                        part = mono if len(mono) <= room else mono[:room]
                        self._file.write(np.clip(part, -1.0, 1.0))
                        self._frames_written += len(part)
                        if self._frames_written >= max_frames:
                            reason = STOP_MAX_LENGTH
                            break
                    self._check_levels()
                if self._stopping:
                    continue  # drain what the device delivered before stop()
                if self._stream_ended.is_set() or now - last_block > silent_timeout:
                    reason = STOP_DEVICE_LOST
                    break
                if now - last_flush >= FLUSH_EVERY_S:
                    self._file.flush()
                    last_flush = now
                if now - last_disk >= DISK_CHECK_EVERY_S:
                    last_disk = now
                    free = free_bytes(self.path.parent)  # type: ignore[union-attr]
                    if free < self.min_free_bytes:
                        reason = STOP_DISK_LOW
                        self._warn(
                            f"The disk is almost full ({_mb(free)} free): recording stopped and the take was saved. "
                            "Free some space before recording again."
                        )
                        break
        except (OSError, RuntimeError) as exc:  # disk full or failing while writing
            reason = STOP_WRITE_ERROR
            self._warn(
                f"Writing the take failed ({exc}): recording stopped. What was written is kept and will be "
                "offered for recovery; free some disk space first."
            )
        self._finish(reason)

    def _check_levels(self) -> None:
        assert self._meter is not None
        lv = self._meter.levels()
        if lv.silent:
            self._warn(
                "We hear nothing from the microphone: check that it is not muted and that the right one is chosen."
            )
        if lv.clipping:
            self._warn("Your voice is clipping (too loud): move back from the microphone or lower its input volume.")

    def _finish(self, reason: str) -> None:
        self._stopping = True
        self._close_stream()
        if reason == STOP_DEVICE_LOST:
            self._warn(
                f"The microphone '{self.device.name if self.device else ''}' stopped sending sound "
                "(unplugged, or the sound system stopped): the take so far is saved."
            )
        elif reason == STOP_MAX_LENGTH:
            self._warn(f"The take reached the maximum length of {self.max_seconds:.0f} s and was saved.")
        if self.overflows:
            self._warn(
                f"{self.overflows} short gap(s) in the audio: the computer was too busy to keep up. "
                "Close other programs for the next take."
            )
        # Drop anything left (only reached on self-stop; the stream is closed now).
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        try:
            self._file.close()
        except (OSError, RuntimeError) as exc:
            log.error("closing take failed: %s", exc)
            self._warn(f"Finishing the take file failed ({exc}); it will be offered for recovery.")
            self._take_done(reason, complete=False)
            return
        # After a failed write (disk full) the file's header could not be finalised: leave the
        # take marked as interrupted so it is repaired once there is space again.
        self._take_done(reason, complete=reason != STOP_WRITE_ERROR)

    def _take_done(self, reason: str, *, complete: bool) -> None:
        self.stopped_because = reason
        duration = round(self.elapsed_s, 3)
        assert self.path is not None and self.device is not None and self._marker is not None
        if complete:
            try:
                self._marker.complete(duration_s=duration, stopped_because=reason, overflows=self.overflows)
            except OSError as exc:
                log.error("updating take marker failed: %s", exc)
                self._marker.release()
        else:
            self._marker.release()
        self._take = Take(
            path=self.path,
            duration_s=duration,
            sample_rate=self.sample_rate,
            device=self.device.name,
            started_at=self._started_at,
            stopped_because=reason,
            overflows=self.overflows,
            warnings=tuple(self.warnings),
        )
        self.state = RecorderState.STOPPED
        log.info("recording ended: reason=%s duration=%.1fs overflows=%d", reason, duration, self.overflows)
        self._finished.set()
