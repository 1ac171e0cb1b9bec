"""Run the pipeline for a recording in a spawned child process (no Qt in this module).

Decoding, Whisper (which the transcription layer runs in its own child) and the delivery and
narrative analysis of a long recording are CPU work; in the window's process they would compete
with the GUI thread for the interpreter lock. In a child they cannot, so the window stays as
responsive as an idle process on the same machine. The child inherits the lowered CPU priority
of the worker thread that starts it (see `workers.lower_thread_priority`).

Messages on the queue: ("progress", f), ("result", PipelineResult), ("cancelled",),
("user", message, hint) for a `UserError`, ("bug", type name, traceback) for anything else.
A child that dies without a word (a native crash) becomes a `UserError` here.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import queue
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from narrative_coach.errors import Cancelled, UserError
from narrative_coach.settings import Settings

log = logging.getLogger("narrative_coach.ui.analysis")


def _child(kind: str, settings: Settings, path: str | None, text: str | None, out: Any, stop: Any) -> None:
    from narrative_coach.logs import configure_logging

    configure_logging(settings)
    cancel = threading.Event()

    def watch() -> None:
        # Anything on the pipe, or the window's end of it closing (the window went away), stops us.
        # (A pipe, not a multiprocessing.Event: a process that exits while waiting on an Event's
        # condition leaves the other side's set() waiting for ever.)
        try:
            stop.recv()
        except (EOFError, OSError):
            pass
        cancel.set()

    threading.Thread(target=watch, daemon=True).start()
    try:
        from narrative_coach.app import pipeline

        def progress(fraction: float) -> None:
            out.put(("progress", float(fraction)))

        if kind == "take":
            result = pipeline.analyze_audio(Path(path or ""), settings, source="recorded", on_progress=progress,
                                            cancel=cancel)
        elif kind == "file":
            result = pipeline.analyze_path(Path(path or ""), settings, on_progress=progress, cancel=cancel)
        else:
            result = pipeline.analyze_text(text or "", settings)
        out.put(("cancelled",) if cancel.is_set() else ("result", result))
    except Cancelled:
        out.put(("cancelled",))
    except UserError as exc:
        out.put(("user", exc.message, exc.hint))
    except BaseException as exc:  # noqa: BLE001 - reported to the window, which logs it
        out.put(("bug", type(exc).__name__, traceback.format_exc()))
    finally:
        cancel.set()


def analyze_in_child(kind: str, settings: Settings, *, path: Path | None = None, text: str | None = None,
                     on_progress: Callable[[float], None] | None = None,
                     cancel: threading.Event | None = None) -> Any:
    """The `PipelineResult` for a take ("take"), a file ("file") or a script ("text")."""
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    stop_recv, stop_send = ctx.Pipe(duplex=False)
    # Not a daemon: the transcription layer starts its own child from inside this one.
    proc = ctx.Process(target=_child, args=(kind, settings, str(path) if path else None, text, out, stop_recv),
                       name="narrative-coach-analysis")
    proc.start()
    stop_recv.close()
    stopped = False
    try:
        while True:
            if cancel is not None and cancel.is_set() and not stopped:
                stopped = True
                try:
                    stop_send.send(True)
                except OSError:
                    pass
            try:
                message = out.get(timeout=0.1)
            except queue.Empty:
                if proc.is_alive():
                    continue
                try:
                    message = out.get(timeout=1.0)
                except queue.Empty:
                    if cancel is not None and cancel.is_set():
                        raise Cancelled() from None
                    log.error("the analysis process ended without a result (exit code %s)", proc.exitcode)
                    raise UserError("The analysis stopped unexpectedly.",
                                    "Try again. If it happens again, the log file in your library folder has "
                                    "details.") from None
            tag = message[0]
            if tag == "progress":
                if on_progress is not None:
                    on_progress(message[1])
            elif tag == "result":
                return message[1]
            elif tag == "cancelled":
                raise Cancelled()
            elif tag == "user":
                raise UserError(message[1], message[2])
            else:
                log.error("analysis failed in its process: %s", message[2])
                raise RuntimeError(f"analysis failed ({message[1]})")
    finally:
        stop_send.close()  # the child's watcher wakes up and stops whatever is left
        proc.join(10)
        if proc.is_alive():
            proc.terminate()
            proc.join(5)
        out.close()
