"""Merge rapid calls and run only the latest, at most once per interval.

qutebrowser's pattern: training sends hundreds of events a second and the
canvas a mouse move every few milliseconds, but a chart or a prediction needs
repainting only 10-20 times a second.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer


class Throttle(QObject):
    """``throttle(*args)`` calls ``func(*args)`` now if it has been quiet long enough,
    else once when the interval ends, with the latest arguments."""

    def __init__(self, func: Callable[..., Any], interval_ms: int, parent: QObject | None = None):
        super().__init__(parent)
        self._func = func
        self._interval = interval_ms
        self._pending: tuple[Any, ...] | None = None
        self._last = 0.0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timeout)

    def __call__(self, *args: Any) -> None:
        self._pending = args
        if self._timer.isActive():
            return
        wait_ms = self._interval - (time.monotonic() - self._last) * 1000
        if wait_ms <= 0:
            self._on_timeout()
        else:
            self._timer.start(int(wait_ms))

    def flush(self) -> None:
        """Run the pending call now (e.g. when a stroke ends or a run finishes)."""
        self._timer.stop()
        self._on_timeout()

    def cancel(self) -> None:
        self._timer.stop()
        self._pending = None

    def _on_timeout(self) -> None:
        if self._pending is None:
            return
        args, self._pending = self._pending, None
        try:
            self._func(*args)
        finally:
            # The quiet interval starts when the call ends: a call slower than the
            # interval (a cnn on a busy CPU) must not run on every trigger.
            self._last = time.monotonic()
