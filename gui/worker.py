"""The one worker pattern: a QObject moved to a QThread, driving a core generator.

A job is any callable ``job(stop, pause) -> iterable of plain events`` (for
training, ``model.training.train``). Each event is re-emitted as a signal; a
``DigitpadError`` becomes a user-facing message. A busy worker never returns to
its event loop, so stop and pause are ``threading.Event``s the job checks once
per batch, not slots.
"""

from __future__ import annotations

import contextlib
import gc
import sys
import threading
import traceback
from collections.abc import Callable, Iterable

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

from gui.i18n import core_text
from model.errors import DigitpadError

Job = Callable[[threading.Event, threading.Event], Iterable[object]]


def describe_failure(exc: BaseException) -> str:
    """A message a user can act on, for any exception a job may raise, in their language.

    Runs in the worker's thread: ``QCoreApplication.translate`` is thread-safe.
    """
    if isinstance(exc, DigitpadError):
        return core_text(exc.message)
    if isinstance(exc, MemoryError) or "out of memory" in str(exc).lower():
        return QCoreApplication.translate(
            "Worker", "Out of memory: try a smaller batch size, or the mlp network."
        )
    return QCoreApplication.translate("Worker", "Unexpected {error}: {text}").format(
        error=type(exc).__name__, text=exc
    )


class Worker(QObject):
    """Runs ``job`` in its thread; emits ``event`` per item, then ``failed`` or not, then ``finished``."""

    event = Signal(object)  # a frozen dataclass from model.events
    failed = Signal(str)
    finished = Signal()

    def __init__(self, job: Job) -> None:
        super().__init__()
        self._job = job
        self.stop = threading.Event()
        self.pause = threading.Event()

    @Slot()
    def run(self) -> None:
        try:
            for item in self._job(self.stop, self.pause):
                self.event.emit(item)
        except Exception as exc:  # a worker must never die silently
            if not isinstance(exc, DigitpadError):
                traceback.print_exc(file=sys.stderr)
            self.failed.emit(describe_failure(exc))
        finally:
            # Home to the GUI thread before the end: it is destroyed there (WorkerHandle).
            app = QCoreApplication.instance()
            if app is not None:
                self.moveToThread(app.thread())
            self.finished.emit()


def _join(thread: QThread) -> None:
    with contextlib.suppress(RuntimeError):  # deleted: it has ended
        thread.wait()


class WorkerHandle:
    """Starts a worker in its own QThread; ``shutdown`` stops and joins them.

    Connect to the worker's signals *before* creating the handle: the thread
    starts at once. The wiring is superqt's: the thread quits when the worker
    finishes and both are deleted later, so nothing is left running or leaked.
    """

    def __init__(self, worker: Worker, parent: QObject | None = None) -> None:
        self.worker = worker
        self.thread = QThread(parent)
        worker.moveToThread(self.thread)
        self.thread.started.connect(worker.run)
        worker.finished.connect(self.thread.quit)
        # The worker is destroyed on the GUI thread once its thread has ended (run
        # moved it home). Destroyed in its own thread, PySide ran its destructor
        # holding the GIL and waiting for a Qt lock that the GUI thread held while
        # it waited for the GIL (dropping a signal connection): both hung for good
        # (seen in the tests, in gdb).
        self.thread.finished.connect(worker.deleteLater)
        self.thread.finished.connect(self.thread.deleteLater)
        # Garbage cycles holding Qt objects must be freed here, on the GUI thread:
        # collected later inside the worker (any allocation may trigger the
        # collector), a widget's destructor there waits for the GIL while holding
        # a Qt lock the GUI thread needs, and both threads hang (seen in the tests).
        # The window's gui.collector keeps every later collection off the workers.
        gc.collect()
        self.thread.start()

    @property
    def running(self) -> bool:
        try:
            return self.thread.isRunning()
        except RuntimeError:  # already deleted: it finished
            return False

    def request_stop(self) -> None:
        self.worker.stop.set()
        self.worker.pause.clear()

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Stop the job and wait for the thread; True if it ended in time.

        A job busy in an uninterruptible step (the first import of torch takes
        seconds) may outlast ``timeout_ms``. Destroying a running QThread aborts
        the process, so such a thread is handed to the application, which waits
        for it when it quits; the job has the stop flag and ends after its step.
        """
        self.request_stop()
        try:
            self.thread.quit()
            if self.thread.wait(timeout_ms):
                return True
            app = QCoreApplication.instance()
            if app is not None:
                thread = self.thread
                thread.setParent(app)
                # A lambda: the connection keeps it (and so the thread) alive,
                # even after this handle is gone.
                app.aboutToQuit.connect(lambda: _join(thread))
            return False
        except RuntimeError:  # already deleted: it finished
            return True
