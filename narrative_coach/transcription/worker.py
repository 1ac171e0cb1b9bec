"""The child-process side of transcription: decode, load the model, stream typed messages back.

Runs in a process started with `spawn`, so a native crash in CTranslate2 or a kill on cancel never
takes the app down. Nothing heavy is imported at module level: the parent imports this module too.
"""

from __future__ import annotations

import os
import signal
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

import numpy as np

from narrative_coach.transcription.messages import Done, Failed, Loaded, Progress, Segment


@dataclass(frozen=True)
class Request:
    # File paths, or 16 kHz mono float32 samples already decoded; all go through one loaded model.
    sources: tuple[str | np.ndarray, ...]
    model_name: str
    model_path: str
    english_only: bool
    compute_device: str  # "cpu", "cuda" or "auto"
    cpu_threads: int
    max_seconds: float | None
    decode_options: dict[str, Any]


class NoGpu(Exception):
    """CUDA was asked for explicitly and CTranslate2 sees no GPU."""


def _device(requested: str) -> tuple[str, str]:
    import ctranslate2

    has_gpu = ctranslate2.get_cuda_device_count() > 0
    if requested == "cuda" and not has_gpu:
        raise NoGpu()
    if requested in ("cuda", "auto") and has_gpu:
        return "cuda", "float16"
    return "cpu", "int8"


def transcribe_in_process(request: Request, send) -> None:  # type: ignore[no-untyped-def]
    """The whole job; `send` receives each message (the pipe's `send` in the child)."""
    from narrative_coach.audio.decode import decode_audio

    def load(source: str | np.ndarray) -> np.ndarray:
        if isinstance(source, np.ndarray):
            return source
        return decode_audio(source, max_seconds=request.max_seconds)

    # Decode the first file before loading the model, so a bad file fails fast.
    audio = load(request.sources[0])

    from faster_whisper import WhisperModel

    device, compute_type = _device(request.compute_device)
    model = WhisperModel(
        request.model_path,
        device=device,
        compute_type=compute_type,
        cpu_threads=request.cpu_threads,
        local_files_only=True,
    )
    # Same features, computed in blocks: memory stays flat however long the speech is.
    from narrative_coach.transcription.features import BlockwiseFeatureExtractor

    model.feature_extractor = BlockwiseFeatureExtractor(**model.feat_kwargs)
    english_only = not model.model.is_multilingual
    send(Loaded(request.model_name, english_only, device, compute_type, request.cpu_threads))
    count = len(request.sources)
    for item, source in enumerate(request.sources):
        if item > 0:
            audio = load(source)
        segments, info = model.transcribe(
            audio,
            language="en" if english_only else None,
            word_timestamps=True,
            vad_filter=True,
            **request.decode_options,
        )
        duration = float(info.duration) or len(audio) / 16000.0
        for seg in segments:
            words = [
                {
                    "word": w.word.strip(),
                    "start": round(float(w.start), 3),
                    "end": round(float(w.end), 3),
                    "probability": round(float(w.probability), 4),
                }
                for w in (seg.words or [])
                if w.word.strip()
            ]
            send(Segment(round(float(seg.start), 3), round(float(seg.end), 3), seg.text.strip(), words, item))
            done_part = min(1.0, float(seg.end) / duration) if duration > 0 else 1.0
            send(Progress((item + done_part) / count))
        send(Done(language=str(info.language), duration_s=round(duration, 3), item=item))
        del audio, segments


def _exit_with_parent(parent) -> None:  # type: ignore[no-untyped-def]
    parent.join()
    os._exit(3)


def main(conn: Connection, request: Request) -> None:
    """Entry point of the spawned child."""
    # Ctrl-C goes to the whole process group; the parent decides when the child stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # No network, ever: the model is a local folder.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
    # If the app dies (crash, kill -9) nobody will terminate us: stop instead of burning CPU.
    import multiprocessing

    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    # faster-whisper creates (disabled) tqdm bars, and tqdm's default lock is a multiprocessing
    # semaphore that a terminated child leaks; a thread lock is all a single child needs.
    import tqdm

    tqdm.tqdm.set_lock(threading.RLock())
    from narrative_coach.errors import UserError

    try:
        transcribe_in_process(request, conn.send)
    except NoGpu:
        conn.send(
            Failed(
                "model",
                "No CUDA graphics card is available for transcription.",
                "Set the compute device to 'cpu' or 'auto' in Settings.",
            )
        )
    except UserError as exc:
        conn.send(Failed("audio", exc.message, exc.hint))
    except MemoryError:
        conn.send(Failed("memory", "There is not enough memory to transcribe this file.", "Close other programs or use a shorter recording."))
    except RuntimeError as exc:
        # CTranslate2 reports unreadable or incompatible model files as RuntimeError.
        text = str(exc)
        kind = "model" if ("model" in text.lower() or "unable to open" in text.lower()) else "internal"
        conn.send(Failed(kind, text.splitlines()[0][:300] if text else type(exc).__name__))
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which decides what to show
        conn.send(Failed("internal", f"{type(exc).__name__}: {str(exc).splitlines()[0][:300] if str(exc) else ''}"))
    finally:
        conn.close()
