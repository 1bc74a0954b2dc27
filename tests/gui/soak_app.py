"""A soak run of the Draw tab, as a child process of tests/gui/test_soak.py.

One app process draws without a pause: hundreds of thousands of synthesized
mouse moves on the real canvas with live prediction on, undoing and clearing as
it goes. A binding defect that corrupts a reference count (PySide6 6.12's void
methods drop a reference to None: ~58,000 calls abort the interpreter) or a
leak of ours shows up here as an abort or as memory growth. Run apart from the
test process so that an abort fails one test instead of killing the suite.

    python -m tests.gui.soak_app --model assets/models/cnn.pt --moves 200000

Prints one JSON line: moves, strokes, predictions, seconds, RSS after a
warm-up and at the end (MiB), how far None's reference count moved, and any
Qt warnings. Mouse input goes through ``QTest``, the path real input takes
(``QApplication.sendEvent`` of a fresh ``QMouseEvent`` leaks a reference to
None per call in PySide6 6.11, which would hide the count we watch).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time

from PySide6.QtCore import QMessageLogContext, QPoint, Qt, QtMsgType, qInstallMessageHandler
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from gui.draw_tab import DrawTab
from model.checkpoints import load_model

MOVES_PER_STROKE = 250
PROCESS_EVERY = 50  # moves between event-loop turns: repaints and throttled predictions run
WARM_UP_MOVES = 20_000  # caches, allocator pools and torch's first calls settle first


def rss_mib() -> float:
    with open("/proc/self/statm") as f:
        resident_pages = int(f.read().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE") / 2**20


OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints()"
qt_warnings: list[str] = []


def on_qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    # The tests fail on any Qt warning; so does the soak (they are reported, not printed).
    if kind != QtMsgType.QtDebugMsg and kind != QtMsgType.QtInfoMsg and message != OFFSCREEN_NOISE:
        qt_warnings.append(message)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True)
    parser.add_argument("--moves", type=int, default=200_000)
    args = parser.parse_args(argv)

    qInstallMessageHandler(on_qt_message)
    app = QApplication(sys.argv[:1])
    tab = DrawTab()
    tab.resize(800, 520)
    tab.show()
    tab.set_model(load_model(args.model))
    app.processEvents()
    canvas = tab.canvas
    predictions = 0

    def count(_probabilities: object) -> None:
        nonlocal predictions
        predictions += 1

    def drawn() -> None:
        nonlocal changes
        changes += 1

    tab.predicted.connect(count)
    canvas.changed.connect(drawn)

    left, plain = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    moves = strokes = undos = clears = changes = 0
    rss_start = none_start = None
    start = time.monotonic()
    while moves < args.moves:
        square = canvas.square()
        side, ox, oy = square.width(), square.x(), square.y()
        phase = strokes * 0.7

        def at(
            t: float, side: int = side, ox: int = ox, oy: int = oy, phase: float = phase
        ) -> QPoint:
            # A wandering Lissajous curve: nearly every move lands on a new pixel.
            return QPoint(
                round(ox + side * (0.5 + 0.3 * math.sin(3 * t + phase))),
                round(oy + side * (0.5 + 0.32 * math.sin(2 * t))),
            )

        QTest.mousePress(canvas, left, plain, at(0))
        for i in range(1, MOVES_PER_STROKE + 1):
            QTest.mouseMove(canvas, at(i / 40))  # QTest keeps the left button down
            moves += 1
            if moves % PROCESS_EVERY == 0:
                app.processEvents()
            if moves == WARM_UP_MOVES:
                app.processEvents()
                rss_start, none_start = rss_mib(), sys.getrefcount(None)
        QTest.mouseRelease(canvas, left, plain, at(MOVES_PER_STROKE / 40))
        strokes += 1
        if strokes % 3 == 0:
            tab.undo_button.click()
            undos += 1
        if strokes % 5 == 0:
            tab.clear_button.click()
            clears += 1
        if strokes % 40 == 0:  # a window resize now and then re-renders the strokes
            tab.resize(800 + (strokes // 40 % 3) * 60, 520)
        app.processEvents()

    tab.clear_button.click()
    app.processEvents()
    seconds = time.monotonic() - start
    rss_end, none_end = rss_mib(), sys.getrefcount(None)
    if rss_start is None or none_start is None:
        rss_start, none_start = rss_end, none_end
    tab.close()
    tab.deleteLater()
    app.processEvents()
    summary = {
        "moves": moves,
        "strokes": strokes,
        "undos": undos,
        "clears": clears,
        "changes": changes,
        "predictions": predictions,
        "seconds": round(seconds, 1),
        "rss_start_mib": round(rss_start, 1),
        "rss_end_mib": round(rss_end, 1),
        "rss_growth_mib": round(rss_end - rss_start, 1),
        "none_refcount_change": none_end - none_start,
        "qt_warnings": qt_warnings[:5],
    }
    print(json.dumps(summary), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
