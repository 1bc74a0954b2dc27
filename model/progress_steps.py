"""Running a piece of core work that reports progress: forwarded, stoppable, or drained.

Loading MNIST, rendering the pen digits, timing the devices, pooling features:
each is a generator that yields progress events and returns its result. A run
forwards the events to its own caller and checks the stop flag between two of
them; a plain call only wants the result. Both loops are written here once.
"""

from __future__ import annotations

import threading
from collections.abc import Generator
from typing import Any, TypeVar

Event = TypeVar("Event")
Result = TypeVar("Result")


class Stopped:
    """The work was stopped before it finished (``until_stopped``'s result then)."""


STOPPED = Stopped()


def until_stopped(
    steps: Generator[Event, None, Result], stop: threading.Event
) -> Generator[Event, None, Result | Stopped]:
    """Yield ``steps``' events; its result, or ``STOPPED`` once ``stop`` is set after an event.

    The work is closed when stopped, so a half-written download or render cleans up.
    """
    while True:
        try:
            event = next(steps)
        except StopIteration as done:
            return done.value
        yield event
        if stop.is_set():
            steps.close()
            return STOPPED


def result_of(steps: Generator[Any, None, Result]) -> Result:
    """Run ``steps`` to its end, its events dropped; its result."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value
