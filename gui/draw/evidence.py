"""Runs ``model.evidence.integrated_gradients`` off the GUI thread, latest request wins.

A drawing changes faster than evidence is computed, so requests that arrive
while one runs are merged: only the newest runs next, and a result whose
request has been superseded is dropped instead of painted over newer ink.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from gui.worker import Job, Worker, WorkerHandle

if TYPE_CHECKING:
    from torch import nn


@dataclass(frozen=True, eq=False)
class _Request:
    token: int
    network: nn.Module
    normalized: np.ndarray
    digit: int


@dataclass(frozen=True, eq=False)
class EvidenceReady:
    token: int
    digit: int
    attributions: np.ndarray  # (28, 28)


def _evidence_job(request: _Request) -> Job:
    def job(stop: threading.Event, pause: threading.Event) -> Iterator[EvidenceReady]:
        from model.evidence import integrated_gradients

        values = integrated_gradients(request.network, request.normalized, request.digit)
        yield EvidenceReady(request.token, request.digit, values)

    return job


class EvidenceRunner(QObject):
    """``request(...)`` returns a token; ``ready(EvidenceReady)`` fires for the latest one only."""

    ready = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._token = 0
        self._handle: WorkerHandle | None = None
        self._pending: _Request | None = None

    def request(self, network: nn.Module, normalized: np.ndarray, digit: int) -> int:
        """Compute evidence for ``digit``; ``network`` must not change while in use (it is read only)."""
        self._token += 1
        self._pending = _Request(self._token, network, np.array(normalized, np.float32), digit)
        if not self.busy():
            self._start_pending()
        return self._token

    def cancel(self) -> None:
        """Forget every request: a result still computing will be dropped."""
        self._token += 1
        self._pending = None

    def busy(self) -> bool:
        return self._handle is not None and self._handle.running

    def shutdown(self, timeout_ms: int = 2000) -> bool:
        self._pending = None
        return True if self._handle is None else self._handle.shutdown(timeout_ms)

    def _start_pending(self) -> None:
        request, self._pending = self._pending, None
        if request is None:
            return
        worker = Worker(_evidence_job(request))
        worker.event.connect(self._on_event)
        worker.failed.connect(self.failed)
        worker.finished.connect(self._on_finished)
        self._handle = WorkerHandle(worker, self)

    @Slot(object)
    def _on_event(self, event: EvidenceReady) -> None:
        if event.token == self._token:
            self.ready.emit(event)

    @Slot()
    def _on_finished(self) -> None:
        self._handle = None
        self._start_pending()
