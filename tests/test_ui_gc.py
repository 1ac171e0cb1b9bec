"""Cycles are collected on the GUI thread, never on a worker that happens to allocate (a Qt object
destroyed off its thread can crash the app: narrative_coach/ui/gc_guard.py)."""

from __future__ import annotations

import gc
import threading

import pytest

from ui_support import open_window, prepared_settings

pytestmark = pytest.mark.gui


class _Cycle:
    def __init__(self, seen: list) -> None:
        self.me = self
        self.seen = seen

    def __del__(self) -> None:
        self.seen.append(threading.current_thread().name)


def test_a_worker_that_allocates_does_not_collect_the_windows_garbage(qtbot, library_home):
    window = open_window(qtbot, prepared_settings(library_home))
    assert not gc.isenabled()
    seen: list[str] = []
    _Cycle(seen)  # unreachable at once, freed only by the cycle collector

    def allocate() -> None:
        # Far past every generation's threshold: with automatic collection this thread would
        # run the collector, and the cycle's finaliser with it.
        junk = [[i] for i in range(300_000)]
        del junk

    worker = threading.Thread(target=allocate, name="worker")
    worker.start()
    worker.join()
    assert seen == []
    qtbot.waitUntil(lambda: seen != [], timeout=5000)
    assert seen == [threading.main_thread().name]
    window.close()
