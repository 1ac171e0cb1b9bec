"""Python's cycle collector runs only on the GUI thread while the window is up.

The collector runs on whichever thread happens to allocate when a threshold is crossed. When that
is a worker thread (opening the library, saving a draft) and the garbage holds Qt objects (a closed
dialog, a finished task), their C++ destructors run off the GUI thread, and Qt can crash: CI saw a
segfault once, in a worker running the database migration. So automatic collection is switched off
and the GUI thread collects on a timer, with the thresholds Python itself would use (the pattern of
pyqtgraph's GarbageCollector). Reference counting still frees everything that is not in a cycle.
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
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(INTERVAL_MS)

    def check(self) -> None:
        c0, c1, c2 = gc.get_count()
        if c0 > self._threshold[0]:
            gc.collect(0)
            if c1 > self._threshold[1]:
                gc.collect(1)
                if c2 > self._threshold[2]:
                    gc.collect(2)


def collect_on_gui_thread() -> None:
    """Idempotent; call on the GUI thread once a QApplication exists."""
    app = QCoreApplication.instance()
    if app is None or app.findChild(_Collector, "narrative-coach-gc") is not None:
        return
    _Collector(app)
    gc.disable()
