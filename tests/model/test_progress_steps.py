"""Forwarding a piece of work's progress, and stopping it between two events."""

from __future__ import annotations

import threading
from collections.abc import Generator

from model.progress_steps import STOPPED, result_of, until_stopped


def _work(closed: list[bool]) -> Generator[int, None, str]:
    try:
        yield from range(3)
        return "done"
    finally:
        closed.append(True)


def _forward(steps: Generator[int, None, str], stop: threading.Event, seen: list[int]):
    result = yield from until_stopped(steps, stop)
    seen.append(-1)
    return result


def test_events_pass_through_and_the_result_comes_back() -> None:
    seen: list[int] = []
    closed: list[bool] = []
    outer = _forward(_work(closed), threading.Event(), seen)
    assert list(outer) == [0, 1, 2] and seen == [-1] and closed == [True]
    assert result_of(_forward(_work([]), threading.Event(), [])) == "done"


def test_stop_after_an_event_closes_the_work_and_says_stopped() -> None:
    stop = threading.Event()
    closed: list[bool] = []
    outer = until_stopped(_work(closed), stop)
    assert next(outer) == 0
    stop.set()
    assert result_of(outer) is STOPPED
    assert closed == [True]  # its cleanup ran: no half-written download left open
