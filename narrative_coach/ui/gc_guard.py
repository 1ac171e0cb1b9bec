"""Python's cycle collector runs only on the GUI thread while the window is up.

The collector runs on whichever thread happens to allocate when a threshold is crossed. When that
is a worker thread (opening the library, saving a draft) and the garbage holds Qt objects (a closed
dialog, a finished task), their C++ destructors run off the GUI thread, and Qt can crash: CI saw a
segfault once, in a worker running the database migration. So automatic collection is switched off
and the GUI thread collects on a timer, with the thresholds Python itself would use (the pattern of
pyqtgraph's GarbageCollector). Reference counting still frees everything that is not in a cycle.

Python's rule for the oldest generation is part of those thresholds: a full collection walks every
object in the process (tens of milliseconds in the window, 190 ms once in the test suite's bigger
heap), so CPython runs one only when the objects that reached the oldest generation since the last
full collection number a quarter of those that were there after it. Without that rule the timer ran
one every ten middle-generation collections, and a CI run saw the window freeze for 189 ms.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

INTERVAL_MS = 250


class _Collector(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.setObjectName("narrative-coach-gc")
        self._threshold = gc.get_threshold()
        self.long_lived_total = len(gc.get_objects(2))
        self.long_lived_pending = 0
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(INTERVAL_MS)

    def check(self) -> None:
        """What CPython's collect_generations() decides, with its bookkeeping of the oldest generation."""
        c0, c1, c2 = gc.get_count()
        t0, t1, t2 = self._threshold
        if c2 > t2 and c1 > t1 and self.long_lived_pending > self.long_lived_total // 4:
            gc.collect(2)
            self.long_lived_total = len(gc.get_objects(2))
            self.long_lived_pending = 0
        elif c1 > t1:
            # The survivors of a middle-generation collection move to the oldest generation.
            young = len(gc.get_objects(0)) + len(gc.get_objects(1))
            unreachable = gc.collect(1)
            self.long_lived_pending += max(young - unreachable, 0)
        elif c0 > t0:
            gc.collect(0)


def collect_on_gui_thread() -> None:
    """Idempotent; call on the GUI thread once a QApplication exists."""
    app = QCoreApplication.instance()
    if app is None or app.findChild(_Collector, "narrative-coach-gc") is not None:
        return
    _Collector(app)
    gc.disable()
