"""One helper for background work, so the window never freezes (the Anki/Buzz habit).

`Runner.run(fn, ...)` runs `fn` off the GUI thread and delivers its result or its error back on
the GUI thread through typed signals. Two queues:

- `serial` (the default): one thread, never expiring, for everything that touches the library
  database, so database work is serialised and a SQLite connection never races another.
- `parallel=True`: long work (decode, transcribe, analyse). Transcription itself runs in a
  spawned child process inside `narrative_coach.transcription.transcribe`; this thread only waits
  for it, so the GUI thread keeps its event loop.

A task that takes `on_progress`/`cancel` keywords gets a progress callback that is relayed as a
signal, and a `threading.Event` that `Task.cancel()` sets.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from narrative_coach.errors import Cancelled

log = logging.getLogger("narrative_coach.ui.workers")


class Task(QObject):
    """A unit of background work with typed signals, always emitted on the GUI thread."""

    progress = Signal(float)
    succeeded = Signal(object)
    failed = Signal(object)  # the exception
    cancelled = Signal()
    finished = Signal()

    def __init__(self, fn: Callable[..., Any], *args: Any, progress: bool = False, cancellable: bool = False,
                 name: str = "", **kwargs: Any) -> None:
        super().__init__()
        self._fn = fn
        self._args = args
        self._kwargs = kwargs
        self.name = name or getattr(fn, "__name__", "task")
        self.cancel_event = threading.Event()
        if progress:
            self._kwargs["on_progress"] = self._report_progress
        if cancellable:
            self._kwargs["cancel"] = self.cancel_event
        self.done = False

    def _report_progress(self, fraction: float) -> None:
        # Called on the worker thread; a queued signal carries it to the GUI thread.
        try:
            self.progress.emit(float(fraction))
        except RuntimeError:  # the receiver went away (window closed): nothing to show it on
            pass

    def cancel(self) -> None:
        self.cancel_event.set()

    @property
    def is_cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def execute(self) -> None:
        try:
            result = self._fn(*self._args, **self._kwargs)
        except Cancelled:
            self._emit(self.cancelled)
        except BaseException as exc:  # noqa: BLE001 - relayed to the GUI, which decides what to show
            if not isinstance(exc, Exception):
                raise
            if self.cancel_event.is_set():
                self._emit(self.cancelled)
            else:
                if not _is_user_error(exc):
                    log.error("background task %s failed", self.name, exc_info=exc)
                self._emit(self.failed, exc)
        else:
            if self.cancel_event.is_set():
                self._emit(self.cancelled)
            else:
                self._emit(self.succeeded, result)
        finally:
            self.done = True
            self._emit(self.finished)

    def _emit(self, signal: Any, *args: Any) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:
            pass


def _is_user_error(exc: BaseException) -> bool:
    from narrative_coach.errors import UserError

    return isinstance(exc, UserError)


BACKGROUND_NICENESS = 10


def lower_thread_priority(niceness: int = BACKGROUND_NICENESS) -> bool:
    """Make the calling thread (and the processes it starts, such as the Whisper child) yield
    the CPU to the GUI thread. Linux keeps a nice value per thread and a child inherits the value
    of the thread that started it. Raising niceness needs no privilege; elsewhere this is a no-op."""
    if not hasattr(os, "setpriority") or not sys.platform.startswith("linux"):
        return False
    try:
        tid = threading.get_native_id()
        current = os.getpriority(os.PRIO_PROCESS, tid)
        if current < niceness:
            os.setpriority(os.PRIO_PROCESS, tid, niceness)
        return True
    except OSError:
        return False


class _Job(QRunnable):
    def __init__(self, task: Task, background: bool = False) -> None:
        super().__init__()
        self.task = task
        self.background = background
        self.setAutoDelete(True)

    def run(self) -> None:  # noqa: D401 - Qt's name
        if self.background:
            lower_thread_priority()
        self.task.execute()


class Runner(QObject):
    """Owns the two queues. Keep one per window."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._serial = QThreadPool(self)
        self._serial.setMaxThreadCount(1)
        self._serial.setExpiryTimeout(-1)  # one thread for the whole session: the DB always sees it
        self._parallel = QThreadPool(self)
        self._parallel.setMaxThreadCount(2)
        self._live: set[Task] = set()

    def run(self, fn: Callable[..., Any], *args: Any, on_result: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None,
            on_progress: Callable[[float], None] | None = None,
            on_cancelled: Callable[[], None] | None = None,
            on_finished: Callable[[], None] | None = None,
            parallel: bool = False, cancellable: bool = False, name: str = "", **kwargs: Any) -> Task:
        task = Task(fn, *args, progress=on_progress is not None, cancellable=cancellable, name=name, **kwargs)
        if on_result:
            task.succeeded.connect(on_result)
        if on_error:
            task.failed.connect(on_error)
        if on_progress:
            task.progress.connect(on_progress)
        if on_cancelled:
            task.cancelled.connect(on_cancelled)
        if on_finished:
            task.finished.connect(on_finished)
        # Keep a Python reference until it is done, or its signals die with it.
        self._live.add(task)
        task.finished.connect(lambda t=task: self._live.discard(t))
        # Heavy work (and the transcription child it spawns) runs at a lower CPU priority so the
        # GUI thread is scheduled first on a busy machine; database work keeps normal priority.
        (self._parallel if parallel else self._serial).start(_Job(task, background=parallel))
        return task

    @property
    def busy(self) -> bool:
        return any(not t.done for t in self._live)

    def cancel_all(self) -> None:
        for task in list(self._live):
            task.cancel()

    def wait(self, msecs: int = -1) -> bool:
        ok_parallel = self._parallel.waitForDone(msecs)
        ok_serial = self._serial.waitForDone(msecs)
        return ok_parallel and ok_serial
