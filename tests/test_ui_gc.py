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


def _collections_while(step, rounds: int) -> list[int]:
    """Generations the collector collects while `step()` allocates, one check per round."""
    from PySide6.QtCore import QObject

    from narrative_coach.ui.gc_guard import _Collector

    gc.collect()  # everything alive is old: what follows is the only growth
    parent = QObject()
    collector = _Collector(parent)
    collector._timer.stop()  # driven by hand here, one check per round
    seen: list[int] = []

    def note(phase: str, info: dict) -> None:
        if phase == "start":
            seen.append(info["generation"])

    was_enabled = gc.isenabled()
    gc.disable()
    gc.callbacks.append(note)
    try:
        for _ in range(rounds):
            step()
            collector.check()
    finally:
        gc.callbacks.remove(note)
        if was_enabled:
            gc.enable()
    return seen


def test_garbage_alone_never_costs_a_full_collection(qapp):
    # A full collection walks the whole heap and freezes the window for tens of milliseconds, so
    # like CPython the collector runs one only when the oldest generation has grown by a quarter.
    def garbage() -> None:
        for _ in range(2_000):
            _Cycle([])

    seen = _collections_while(garbage, 300)
    assert seen.count(0) > 200 and seen.count(1) > 20  # the young generations are collected
    assert 2 not in seen  # without the quarter rule: one every 11 middle-generation collections


def test_a_growing_heap_gets_its_full_collection(qapp):
    keep: list = []
    total = len(gc.get_objects(2))

    def grow() -> None:
        keep.extend([i] for i in range(max(total // 200, 2_000)))

    seen = _collections_while(grow, 300)
    assert 2 in seen
