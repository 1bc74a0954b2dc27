"""The one worker: events in order, failures as messages, and its end on the GUI thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator

from PySide6.QtCore import Qt

from gui.worker import Worker, WorkerHandle
from model.errors import DataError


def counting(stop: threading.Event, pause: threading.Event) -> Iterator[object]:
    yield from range(3)


def failing(stop: threading.Event, pause: threading.Event) -> Iterator[object]:
    yield 0
    raise DataError("no {thing} here", thing="MNIST")


def test_events_arrive_in_order_and_the_worker_ends_on_the_gui_thread(qtbot) -> None:
    """Destroyed in its own thread, the worker's destructor held the GIL while it waited
    for a Qt lock the GUI thread held while it waited for the GIL: the suite hung."""
    events: list[object] = []
    ended: list[int] = []
    worker = Worker(counting)
    worker.event.connect(events.append)
    worker.destroyed.connect(
        lambda *_: ended.append(threading.get_ident()), Qt.ConnectionType.DirectConnection
    )
    handle = WorkerHandle(worker)
    qtbot.waitUntil(lambda: bool(ended) and not handle.running, timeout=10_000)
    assert events == [0, 1, 2]
    assert ended == [threading.get_ident()]


def test_a_failure_is_a_message_and_still_ends_the_thread(qtbot) -> None:
    messages: list[str] = []
    worker = Worker(failing)
    worker.failed.connect(messages.append)
    handle = WorkerHandle(worker)
    qtbot.waitUntil(lambda: bool(messages) and not handle.running, timeout=10_000)
    assert messages == ["no MNIST here"]
