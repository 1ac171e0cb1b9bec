"""Decode any audio or video file FFmpeg understands to 16 kHz mono float32 samples.

PyAV (FFmpeg) is already a faster-whisper dependency, so every container people actually bring
(wav, flac, mp3, m4a/aac, ogg/opus, webm, the audio track of mp4/mov) works without a second
decoder. Samples are resampled frame by frame straight into one preallocated buffer sized from the
container's declared duration, so a long file is never held in memory twice. The maximum length is
checked before decoding (declared duration) and again while decoding (files that lie about their
length, or declare none).
"""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np

from narrative_coach.errors import UserError

TARGET_RATE = 16000
# How far the decoded length may exceed the declared one before we trust the decoder over the
# header (encoder padding, rounding of container timestamps).
_DURATION_SLACK_S = 1.0
_TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".rtf", ".doc", ".docx", ".odt", ".pdf", ".html"}


class AudioError(UserError):
    """An audio file that cannot be used, with what to do about it."""


def _fmt_duration(seconds: float) -> str:
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def _looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        return exc.start >= len(head) - 3
    return True


def _check_file(path: Path) -> None:
    """Fail early, with a precise message, on everything that is not a readable, non-empty file."""
    if not path.exists():
        raise AudioError(f"{path} does not exist.", "Check the file name and folder, then try again.")
    if path.is_dir():
        raise AudioError(f"{path} is a folder, not an audio file.", "Give the path of one recording inside it.")
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except PermissionError:
        raise AudioError(
            f"You do not have permission to read {path}.",
            "Copy the file somewhere you own or change its permissions, then try again.",
        ) from None
    except OSError as exc:
        raise AudioError(f"Cannot read {path}: {exc.strerror}.", "Check the disk or copy the file elsewhere.") from None
    if not head:
        raise AudioError(f"{path} is empty (0 bytes).", "Record or export the speech again.")
    if path.suffix.lower() in _TEXT_SUFFIXES or _looks_like_text(head):
        raise AudioError(
            f"{path} is a text document, not a recording.",
            "To score a written speech use 'narrative-coach analyze'; to transcribe, give an audio or video file.",
        )


def _open(path: Path) -> av.container.InputContainer:
    try:
        return av.open(str(path), mode="r", metadata_errors="ignore")
    except (av.error.InvalidDataError, av.error.EOFError, ValueError):
        raise AudioError(
            f"{path} is not an audio or video file FFmpeg can read (damaged or unknown format).",
            "Export it again as WAV, FLAC, MP3, M4A or OGG.",
        ) from None
    except PermissionError:
        raise AudioError(
            f"You do not have permission to read {path}.",
            "Copy the file somewhere you own or change its permissions, then try again.",
        ) from None
    except av.error.FFmpegError as exc:
        raise AudioError(
            f"Cannot open {path}: {exc.strerror or type(exc).__name__}.",
            "Export it again as WAV, FLAC, MP3, M4A or OGG.",
        ) from None


def _audio_stream(container: av.container.InputContainer, path: Path) -> av.audio.stream.AudioStream:
    if not container.streams.audio:
        raise AudioError(f"{path} has no audio track.", "Choose a file with sound in it, or export the audio again.")
    return container.streams.audio[0]


def _declared_duration(container: av.container.InputContainer, stream: av.audio.stream.AudioStream) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        value = float(stream.duration * stream.time_base)
        if value > 0:
            return value
    if container.duration is not None and container.duration > 0:
        return container.duration / av.time_base
    return None


def _too_long(path: Path, seconds: float, max_seconds: float, partial: bool = False) -> AudioError:
    what = f"more than {_fmt_duration(seconds)}" if partial else _fmt_duration(seconds)
    return AudioError(
        f"{path} is {what} long; the limit is {_fmt_duration(max_seconds)}.",
        "Trim the recording, or raise the maximum audio length in Settings.",
    )


def check_audio(path: Path, *, max_seconds: float | None = None) -> float | None:
    """Everything `decode_audio` checks that can be known without decoding: the file is readable,
    FFmpeg recognises it, it has an audio track, and its declared length (returned, or None when
    the container does not say) is within `max_seconds`. Cheap: reads only the header."""
    path = Path(path)
    _check_file(path)
    with _open(path) as container:
        stream = _audio_stream(container, path)
        declared = _declared_duration(container, stream)
        if max_seconds is not None and declared is not None and declared > max_seconds + _DURATION_SLACK_S:
            raise _too_long(path, declared, max_seconds)
        # Decode up to the first frame: catches empty tracks and damage at the start cheaply.
        try:
            has_sound = any(frame.samples > 0 for frame in container.decode(stream))
        except (av.error.FFmpegError, ValueError) as exc:
            raise AudioError(
                f"{path} is damaged: decoding failed ({getattr(exc, 'strerror', None) or type(exc).__name__}).",
                "Export or copy the recording again.",
            ) from None
    if not has_sound:
        raise AudioError(f"{path} contains no audio samples (zero length).", "Record or export the speech again.")
    return declared


def probe_duration(path: Path) -> float:
    """The length of the audio track in seconds, from the header when it has one, else by decoding."""
    path = Path(path)
    _check_file(path)
    with _open(path) as container:
        stream = _audio_stream(container, path)
        declared = _declared_duration(container, stream)
    if declared is not None:
        return declared
    return len(decode_audio(path)) / TARGET_RATE


def decode_audio(path: Path, *, max_seconds: float | None = None, sample_rate: int = TARGET_RATE) -> np.ndarray:
    """All of the first audio track of `path` as float32 mono samples at `sample_rate`.

    Channels are averaged, which keeps true levels for loudness measures and gives the model the
    same signal as faster-whisper's own decoder (FFmpeg's 16-bit downmix), without its rounding.
    Raises `AudioError` for a missing, unreadable, non-audio, empty, corrupt or too long file.
    """
    path = Path(path)
    _check_file(path)
    with _open(path) as container:
        stream = _audio_stream(container, path)
        stream.thread_type = "AUTO"
        declared = _declared_duration(container, stream)
        if max_seconds is not None and declared is not None and declared > max_seconds + _DURATION_SLACK_S:
            raise _too_long(path, declared, max_seconds)
        limit = None if max_seconds is None else int((max_seconds + _DURATION_SLACK_S) * sample_rate)
        capacity = int(((declared or 60.0) + _DURATION_SLACK_S) * sample_rate)
        buf = np.empty(capacity, dtype=np.float32)
        filled = 0
        # Resample keeping the channels, then average them: FFmpeg's float stereo-to-mono matrix
        # adds the channels at -3 dB each, which makes identical channels 3 dB louder than the
        # original (and can clip); loudness feedback depends on true levels.
        resampler = av.AudioResampler(format="fltp", rate=sample_rate)

        def append(frames: list[av.AudioFrame]) -> None:
            nonlocal buf, filled
            for out in frames:
                planes = out.to_ndarray()
                chunk = planes[0] if planes.shape[0] == 1 else planes.mean(axis=0, dtype=np.float32)
                end = filled + chunk.shape[0]
                if end > buf.shape[0]:
                    grown = np.empty(max(end, int(buf.shape[0] * 1.5)), dtype=np.float32)
                    grown[:filled] = buf[:filled]
                    buf = grown
                buf[filled:end] = chunk
                filled = end
                if limit is not None and filled > limit:
                    raise _too_long(path, filled / sample_rate, max_seconds or 0.0, partial=True)

        try:
            for frame in container.decode(stream):
                append(resampler.resample(frame))
            append(resampler.resample(None))
        except AudioError:
            raise
        except (av.error.FFmpegError, ValueError) as exc:
            at = f" after {_fmt_duration(filled / sample_rate)}" if filled else ""
            raise AudioError(
                f"{path} is damaged: decoding failed{at} ({getattr(exc, 'strerror', None) or type(exc).__name__}).",
                "Export or copy the recording again.",
            ) from None
    if filled == 0:
        raise AudioError(f"{path} contains no audio samples (zero length).", "Record or export the speech again.")
    samples = buf[:filled]
    # Keep the result compact when the header overstated the length (rare, but a 3-hour guess
    # would otherwise pin a lot of memory).
    if filled < 0.9 * buf.shape[0]:
        samples = samples.copy()
    return samples


def readable_audio_suffixes() -> tuple[str, ...]:
    """File name endings offered in file dialogs (FFmpeg reads more; these are the common ones)."""
    return (".wav", ".flac", ".mp3", ".m4a", ".aac", ".ogg", ".opus", ".webm", ".mp4", ".mov", ".mkv", ".wma")
