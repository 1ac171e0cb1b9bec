"""The parent side of transcription: start the child, relay its messages, stop it on cancel.

The model runs in a child process started with `spawn` (a fresh interpreter: no inherited Qt or
database state, and a native crash stays in the child). The parent polls the pipe every 0.1 s, so
a cancel takes effect well within a second: the child is terminated, not asked nicely, because
CTranslate2 cannot be interrupted in the middle of a 30-second window.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from narrative_coach.audio.decode import AudioError, check_audio
from narrative_coach.errors import Cancelled, UserError
from narrative_coach.settings import Settings, load_settings
from narrative_coach.transcription import worker
from narrative_coach.transcription.messages import Done, Failed, Loaded, Progress, Segment
from narrative_coach.transcription.models import ModelInfo, resolve_model
from narrative_coach.transcription.transcript import Transcript, Word
from narrative_coach.transcription.verbatim import decode_options

log = logging.getLogger(__name__)

_POLL_S = 0.1
_STOP_GRACE_S = 0.3


class TranscriptionError(UserError):
    """Transcription failed for a reason other than the user cancelling it."""


def available_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _stop(proc: multiprocessing.process.BaseProcess, finished: bool) -> None:
    if finished:
        proc.join(2.0)  # it is returning on its own; let it clean up
    if proc.is_alive():
        proc.terminate()
        proc.join(_STOP_GRACE_S)
    if proc.is_alive():
        proc.kill()
    proc.join(2.0)


def _died(proc: multiprocessing.process.BaseProcess) -> TranscriptionError:
    proc.join(1.0)
    code = proc.exitcode
    if code is not None and code < 0:
        try:
            how = f"was killed by signal {signal.Signals(-code).name}"
        except ValueError:
            how = f"was killed by signal {-code}"
    else:
        how = f"exited unexpectedly (status {code})"
    log.error("transcription child %s", how)
    return TranscriptionError(
        f"The transcription process {how} before finishing.",
        "Try again; if it keeps happening, the machine may be short of memory (see the log file).",
    )


def _failed(msg: Failed) -> UserError:
    if msg.kind == "audio":
        return AudioError(msg.message, msg.hint)
    if msg.kind == "memory":
        return TranscriptionError(msg.message, msg.hint)
    if msg.kind == "model":
        return TranscriptionError(
            f"The speech model could not be loaded: {msg.message}",
            msg.hint or "Choose another model in Settings, or reinstall Narrative Coach.",
        )
    log.error("transcription failed in the child: %s", msg.message)
    return TranscriptionError(
        f"Transcription failed ({msg.message}).",
        "Try again; if it keeps happening, please report it with the log file.",
    )


def _prepare(source: Path | np.ndarray, settings: Settings) -> str | np.ndarray:
    if isinstance(source, np.ndarray):
        if source.size == 0:
            raise AudioError("The recording contains no audio samples (zero length).", "Record the speech again.")
        return np.ascontiguousarray(source, dtype=np.float32).reshape(-1)
    source = Path(source)
    check_audio(source, max_seconds=settings.max_audio_seconds)
    return str(source)


def transcribe(
    source: Path | np.ndarray,
    *,
    settings: Settings | None = None,
    model: str | None = None,
    verbatim: bool | None = None,
    on_progress: Callable[[float], None] | None = None,
    on_segment: Callable[[dict[str, Any]], None] | None = None,
    cancel: threading.Event | None = None,
    on_model: Callable[[ModelInfo], None] | None = None,
) -> Transcript:
    """Transcribe an audio/video file (or 16 kHz mono float32 samples) with a local Whisper model.

    `on_progress` gets fractions 0..1 (segment end / duration); `on_segment` gets
    `{"start","end","text","words"}` as each segment is recognised; `on_model` gets the resolved
    model once the input has passed its checks. Raises `Cancelled` when `cancel` is set (within
    about 0.5 s), `AudioError` for an unusable file, `TranscriptionError` for anything else.
    """
    return transcribe_many(
        [source],
        settings=settings,
        model=model,
        verbatim=verbatim,
        on_progress=on_progress,
        on_segment=on_segment,
        cancel=cancel,
        on_model=on_model,
    )[0]


def transcribe_many(
    sources: Sequence[Path | np.ndarray],
    *,
    settings: Settings | None = None,
    model: str | None = None,
    verbatim: bool | None = None,
    on_progress: Callable[[float], None] | None = None,
    on_segment: Callable[[dict[str, Any]], None] | None = None,
    cancel: threading.Event | None = None,
    on_model: Callable[[ModelInfo], None] | None = None,
) -> list[Transcript]:
    """Like `transcribe`, for several sources in one child process (the model is loaded once).

    Progress covers the whole batch; a bad file stops the whole batch with its error.
    """
    if not sources:
        return []
    settings = settings or load_settings()
    info = resolve_model(model, settings)
    payload = tuple(_prepare(s, settings) for s in sources)
    if on_model is not None:
        on_model(info)
    request = worker.Request(
        sources=payload,
        model_name=info.name,
        model_path=str(info.path),
        english_only=info.english_only,
        compute_device=settings.compute_device,
        cpu_threads=available_cores(),
        max_seconds=settings.max_audio_seconds,
        decode_options=decode_options(settings.verbatim if verbatim is None else verbatim),
    )
    return _run_child(request, info, on_progress, on_segment, cancel)


def _run_child(
    request: worker.Request,
    info: ModelInfo,
    on_progress: Callable[[float], None] | None,
    on_segment: Callable[[dict[str, Any]], None] | None,
    cancel: threading.Event | None,
) -> list[Transcript]:
    if cancel is not None and cancel.is_set():
        raise Cancelled()
    ctx = multiprocessing.get_context("spawn")
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=worker.main, args=(sender, request), name="narrative-coach-whisper", daemon=True)
    started = time.monotonic()
    proc.start()
    sender.close()  # so that the child's death closes the pipe and recv() raises EOFError
    count = len(request.sources)
    segments: list[list[Segment]] = [[] for _ in range(count)]
    results: list[Transcript] = []
    loaded: Loaded | None = None
    finished = False
    try:
        while True:
            if cancel is not None and cancel.is_set():
                raise Cancelled()
            if not receiver.poll(_POLL_S):
                if not proc.is_alive() and not receiver.poll(0):
                    raise _died(proc)
                continue
            try:
                msg = receiver.recv()
            except (EOFError, OSError):
                raise _died(proc) from None
            if isinstance(msg, Segment):
                segments[msg.item].append(msg)
                if on_segment is not None:
                    on_segment(msg.to_dict())
            elif isinstance(msg, Progress):
                if on_progress is not None:
                    on_progress(msg.fraction)
            elif isinstance(msg, Loaded):
                loaded = msg
                log.info(
                    "model %s loaded on %s/%s with %d threads",
                    msg.model, msg.device, msg.compute_type, msg.cpu_threads,
                )
            elif isinstance(msg, Done):
                results.append(_assemble(segments[msg.item], msg, info, loaded))
                segments[msg.item] = []
                if len(results) == count:
                    finished = True
                    if on_progress is not None:
                        on_progress(1.0)
                    log.info("transcribed %d file(s) in %.1f s", count, time.monotonic() - started)
                    return results
            elif isinstance(msg, Failed):
                raise _failed(msg)
    finally:
        _stop(proc, finished)
        receiver.close()


def _assemble(segments: list[Segment], done: Done, info: ModelInfo, loaded: Loaded | None) -> Transcript:
    words = [Word(w["word"], w["start"], w["end"], w["probability"]) for s in segments for w in s.words]
    text = " ".join(s.text for s in segments if s.text)
    return Transcript(
        text=text,
        language=done.language,
        duration_s=done.duration_s,
        model=info.name,
        words=words,
        english_only=loaded.english_only if loaded else info.english_only,
    )
