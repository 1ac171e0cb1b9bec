"""Interrupted takes: find them at start-up, repair them, or throw them away.

Every take in `settings.takes_dir` has a marker file next to it (`take-....take.json`) written
*before* the first frame. While recording, the marker says `"state": "recording"` and the recording
process holds an exclusive `flock` on it. A crash, `kill -9` or power cut releases the lock but
leaves the state at "recording": that is how an interrupted take is recognised, without guessing
from process ids (which get reused). A clean stop rewrites the marker with `"state": "complete"`.

Repair: a FLAC written by a process that died has no final STREAMINFO (no length, no checksum) and
may end in half a frame; it is decoded frame by frame with PyAV up to the last whole frame and
rewritten. A WAV whose header was not finalised gets its RIFF and data sizes rewritten from the
file size.
"""

from __future__ import annotations

import json
import logging
import os
import struct
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from narrative_coach.durable import atomic_write_text, fsync_dir
from narrative_coach.errors import UserError
from narrative_coach.settings import Settings

try:  # POSIX; on Windows the marker's process id is the fallback
    import fcntl
except ImportError:  # pragma: no cover - not on Linux/macOS
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

MARKER_SUFFIX = ".take.json"
STATE_RECORDING = "recording"
STATE_COMPLETE = "complete"
STATE_RECOVERED = "recovered"


def marker_for(audio_path: Path) -> Path:
    return audio_path.with_name(audio_path.stem + MARKER_SUFFIX)


def _write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    text = json.dumps(data, indent=2)
    try:
        atomic_write_text(path, text, prefix=".marker-")
    except OSError:
        if not path.exists():
            raise
        # Disk full: a new file cannot be made, but the marker's own block has room for a few
        # hundred bytes, so rewrite it in place (not atomic; a torn marker reads as interrupted).
        with open(path, "r+", encoding="utf-8") as fh:
            fh.write(text)
            fh.truncate()
            fh.flush()
            os.fsync(fh.fileno())


class TakeMarker:
    """The marker of a take being recorded; holds the lock until `complete()` or `release()`."""

    def __init__(self, audio_path: Path, info: dict[str, Any]) -> None:
        self.audio_path = audio_path
        self.path = marker_for(audio_path)
        self.info = {**info, "audio_file": audio_path.name, "state": STATE_RECORDING, "pid": os.getpid()}
        _write_json_atomic(self.path, self.info)
        fsync_dir(self.path.parent)
        # Lock the file we just wrote (after the atomic replace, so the lock is on the final inode).
        self._fd: int | None = os.open(self.path, os.O_RDONLY)
        if fcntl is not None:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def complete(self, **fields: Any) -> None:
        self.info.update(fields)
        self.info["state"] = STATE_COMPLETE
        _write_json_atomic(self.path, self.info)
        self.release()

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the flock
            self._fd = None


@dataclass(frozen=True)
class InterruptedTake:
    """A take whose recording never finished. `estimated_s` is a guess from the file size."""

    path: Path
    marker: Path
    started_at: str
    device: str
    sample_rate: int
    size_bytes: int
    estimated_s: float

    @property
    def started(self) -> datetime | None:
        try:
            return datetime.fromisoformat(self.started_at)
        except ValueError:
            return None


def _still_recording(marker: Path, info: dict[str, Any]) -> bool:
    """True when a live process is still writing this take (its lock is held)."""
    if fcntl is None:
        return info.get("pid") == os.getpid()
    try:
        fd = os.open(marker, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        os.close(fd)  # also releases the probe lock
    return False


def _read_marker(marker: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def find_interrupted_takes(settings: Settings) -> list[InterruptedTake]:
    """Takes left half-written by a crash, oldest first. Takes being recorded now are skipped."""
    folder = settings.takes_dir
    if not folder.is_dir():
        return []
    found = []
    for marker in sorted(folder.glob("*" + MARKER_SUFFIX)):
        info = _read_marker(marker)
        if info is None:
            # A torn marker (power cut while it was rewritten): trust the audio file next to it.
            stem = marker.name[: -len(MARKER_SUFFIX)]
            audio_files = [folder / (stem + ext) for ext in (".flac", ".wav") if (folder / (stem + ext)).is_file()]
            if not audio_files:
                continue
            info = {"state": STATE_RECORDING, "audio_file": audio_files[0].name}
        if info.get("state") != STATE_RECORDING:
            continue
        audio = folder / str(info.get("audio_file", ""))
        if not audio.is_file() or audio.parent != folder:
            continue
        if _still_recording(marker, info):
            continue
        rate = int(info.get("sample_rate") or 48000)
        size = audio.stat().st_size
        # FLAC of speech is roughly 55 % of 16-bit PCM; good enough for "about 3 minutes".
        per_second = rate * 2 * (0.55 if audio.suffix.lower() == ".flac" else 1.0)
        found.append(
            InterruptedTake(
                path=audio,
                marker=marker,
                started_at=str(info.get("started_at", "")),
                device=str(info.get("device", "")),
                sample_rate=rate,
                size_bytes=size,
                estimated_s=round(size / per_second, 1),
            )
        )
    return found


def _decode_all(path: Path) -> tuple[np.ndarray, int]:
    """Every whole frame PyAV can decode, as int16 (frames, channels), and the sample rate."""
    import av

    chunks: list[np.ndarray] = []
    try:
        container = av.open(str(path))
    except Exception as exc:  # noqa: BLE001 - av raises many kinds for a mangled header
        raise UserError(
            f"The interrupted take {path.name} cannot be read ({type(exc).__name__}).",
            "It holds no usable audio; discard it.",
        ) from exc
    with container:
        if not container.streams.audio:
            raise UserError(f"The interrupted take {path.name} holds no audio.", "Discard it.")
        stream = container.streams.audio[0]
        rate = int(stream.rate)
        resampler = av.AudioResampler(format="s16", layout="mono", rate=rate)
        try:
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray().reshape(-1))
        except (av.error.InvalidDataError, av.error.EOFError, EOFError) as exc:
            # The half-written last frame: everything before it is good.
            log.info("recovery stopped at a damaged frame in %s: %s", path.name, exc)
    if not chunks:
        return np.zeros(0, dtype=np.int16), rate
    return np.concatenate(chunks).astype(np.int16), rate


def repair_wav_header(path: Path) -> int:
    """Rewrite RIFF and data sizes of a WAV from its real length; returns the frame count."""
    with open(path, "r+b") as fh:
        head = fh.read(12)
        if len(head) < 12 or head[:4] not in (b"RIFF", b"RIFX") or head[8:12] != b"WAVE":
            raise UserError(f"{path.name} is not a WAV file.", "Discard it.")
        endian = "<" if head[:4] == b"RIFF" else ">"
        size = os.fstat(fh.fileno()).st_size
        block_align = None
        pos = 12
        while pos + 8 <= size:
            fh.seek(pos)
            cid, clen = struct.unpack(endian + "4sI", fh.read(8))
            if cid == b"fmt ":
                fmt = fh.read(16)
                block_align = struct.unpack(endian + "HHIIHH", fmt)[4]
            if cid == b"data":
                if not block_align:
                    raise UserError(f"{path.name} has no format header.", "Discard it.")
                data_len = size - (pos + 8)
                data_len -= data_len % block_align
                fh.seek(pos + 4)
                fh.write(struct.pack(endian + "I", data_len))
                fh.seek(4)
                fh.write(struct.pack(endian + "I", pos + 8 + data_len - 8))
                fh.truncate(pos + 8 + data_len)
                fh.flush()
                os.fsync(fh.fileno())
                return data_len // block_align
            pos += 8 + clen + (clen & 1)
    raise UserError(f"{path.name} has no audio data.", "Discard it.")


def repair_take_file(path: Path) -> float:
    """Make a half-written take a normal audio file in place; returns its duration in seconds."""
    import soundfile as sf

    if path.suffix.lower() == ".wav":
        frames = repair_wav_header(path)
        return frames / sf.info(str(path)).samplerate
    samples, rate = _decode_all(path)
    if samples.size == 0:
        raise UserError(f"The interrupted take {path.name} holds no audio.", "Discard it.")
    tmp = path.with_name(path.stem + ".repairing" + path.suffix)
    sf.write(str(tmp), samples, rate, format="FLAC", subtype="PCM_16")
    os.chmod(tmp, 0o600)  # as private as the take it replaces
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return samples.size / rate


def recover_take(take: InterruptedTake) -> Path:
    """Repair an interrupted take and mark it as a normal, finished take. Returns its path."""
    duration = repair_take_file(take.path)
    info = _read_marker(take.marker) or {}
    info.update(state=STATE_RECOVERED, duration_s=round(duration, 3), recovered_at=datetime.now().isoformat(timespec="seconds"))
    _write_json_atomic(take.marker, info)
    log.info("recovered interrupted take %s (%.1f s)", take.path.name, duration)
    return take.path


def discard_take(take: InterruptedTake) -> None:
    """Delete an interrupted take the user does not want."""
    for p in (take.path, take.marker):
        try:
            p.unlink()
        except FileNotFoundError:
            pass
    log.info("discarded interrupted take %s", take.path.name)


def remove_take(audio_path: Path) -> None:
    """Delete a finished take and its marker once the library holds its own copy of the audio."""
    for p in (Path(audio_path), marker_for(Path(audio_path))):
        try:
            p.unlink()
        except FileNotFoundError:
            pass
