"""Python's cyclic garbage collector, run on the GUI thread and nowhere else.

Python collects on whichever thread allocates when a threshold is crossed. A
worker thread (training, importing torch) allocates the most, so it runs most
collections, and a garbage cycle holding a Qt object is then destroyed there:
the destructor waits for the GIL while holding a Qt lock the GUI thread needs,
and the app hangs for good (seen in the test suite, every thread waiting on a
futex). With automatic collection off and a timer here, every collection runs
on the GUI thread, between events. pyqtgraph's ``GarbageCollector`` and many Qt
apps do the same.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer, Slot

INTERVAL_MS = 500  # garbage waits at most this long; a young collection takes well under 1 ms


class GuiThreadCollector(QObject):
    """Turns automatic collection off while started, and collects on a timer instead.

    Each tick collects the generations whose counts passed Python's own
    thresholds, as the interpreter would have, so the work is the same, only
    the thread differs. ``stop`` puts automatic collection back as it was, so
    collectors nest (the window's inside a test's).
    """

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self.setObjectName("guiThreadCollector")
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect_due)
        self._was_enabled: bool | None = None  # None: not started

    @property
    def active(self) -> bool:
        return self._was_enabled is not None

    def start(self) -> None:
        if self.active:
            return
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        """Collect what is due one last time, here, and give collection back to Python."""
        if not self.active:
            return
        self._timer.stop()
        self.collect_due()
        if self._was_enabled:
            gc.enable()
        self._was_enabled = None

    @Slot()
    def collect_due(self) -> int:
        """Collect the generations past their thresholds; the unreachable objects found."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        found = 0
        for generation in range(3):
            if counts[generation] <= thresholds[generation]:
                break  # an older generation is only due after a younger one was collected
            found += gc.collect(generation)
        return found
