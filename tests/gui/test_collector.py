"""The garbage collector runs on the GUI thread only, and still frees cycles."""

from __future__ import annotations

import gc
import threading
import time
import weakref
from collections.abc import Iterator

from PySide6.QtCore import QObject

from gui.collector import GuiThreadCollector
from gui.worker import Worker, WorkerHandle


class Node:
    """A cycle's member: only the collector can free it."""

    def __init__(self) -> None:
        self.me = self


def cycles(stop: threading.Event, pause: threading.Event) -> Iterator[object]:
    """A worker job that allocates as training does, for half a second: many ticks' worth."""
    first = Node()
    ref = weakref.ref(first)
    del first  # garbage from here on; only a collection frees it
    deadline = time.monotonic() + 0.5
    while time.monotonic() < deadline:
        for _ in range(gc.get_threshold()[0] + 1):  # past gen 0's threshold each round
            Node()
    yield ref


def test_workers_never_collect_and_cycles_are_still_freed(qtbot) -> None:
    was_enabled = gc.isenabled()
    gc.enable()  # Python's default, as the app starts
    threads: list[int] = []

    def record(phase: str, info: dict) -> None:
        if phase == "start":
            threads.append(threading.get_ident())

    owner = QObject()
    collector = GuiThreadCollector(owner, interval_ms=20)
    gc.callbacks.append(record)
    try:
        collector.start()
        assert not gc.isenabled()
        refs: list[weakref.ref] = []
        worker = Worker(cycles)
        worker.event.connect(refs.append)
        handle = WorkerHandle(worker)
        qtbot.waitUntil(lambda: bool(refs) and not handle.running, timeout=20000)
        assert threads, "nothing was collected"
        assert set(threads) == {threading.get_ident()}, "a collection ran in the worker"
        assert len(refs) == 1
        qtbot.waitUntil(lambda: refs[0]() is None, timeout=5000)  # freed by a tick here
        collector.stop()
        assert gc.isenabled()  # as it was before start
    finally:
        gc.callbacks.remove(record)
        collector.stop()
        if not was_enabled:
            gc.disable()


def test_collectors_nest_and_give_collection_back(qtbot) -> None:
    was_enabled = gc.isenabled()
    gc.enable()
    outer, inner = GuiThreadCollector(), GuiThreadCollector()
    try:
        outer.start()
        inner.start()
        inner.stop()
        assert not gc.isenabled()  # the outer one still holds it
        outer.stop()
        assert gc.isenabled()
    finally:
        outer.stop()
        if not was_enabled:
            gc.disable()


def test_the_window_keeps_collection_off_its_workers_until_it_closes(open_window) -> None:
    window = open_window()
    collector = window.findChild(GuiThreadCollector, "guiThreadCollector")
    assert collector is not None and collector.active
    window.request_quit()
    assert not collector.active
