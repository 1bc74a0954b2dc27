"""Launch to first paint, and to model ready, next to a bare Qt window in the same run.

    .venv/bin/python bench/startup.py [--runs 5]

Each launch is a fresh interpreter; times run from just before the child is
spawned to the main window's first paint event and to ``coreReady`` (torch
imported, model loaded and handed to the Draw tab). Uses the offscreen platform
unless DISPLAY is set.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

CHILD = r"""
import json, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
marks = {}
class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and "paint" not in marks:
            marks["paint"] = time.time()
        return False
app = QApplication(sys.argv)
if sys.argv[1] == "digitpad":
    from gui.main_window import MainWindow
    window = MainWindow()
    window.coreReady.connect(lambda: (marks.setdefault("ready", time.time()), QTimer.singleShot(0, app.quit)))
else:
    window = QMainWindow()
    window.resize(900, 620)
    QTimer.singleShot(300, app.quit)
spy = FirstPaint()
window.installEventFilter(spy)
window.show()
app.exec()
print(json.dumps(marks))
"""


def launch(kind: str) -> dict[str, float]:
    env = dict(os.environ)
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    start = time.time()
    out = subprocess.run(
        [sys.executable, "-c", CHILD, kind], capture_output=True, text=True, env=env, check=True
    )
    marks = json.loads(out.stdout.strip().splitlines()[-1])
    return {k: v - start for k, v in marks.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    bare = [launch("bare")["paint"] for _ in range(args.runs)]
    ours = [launch("digitpad") for _ in range(args.runs)]
    paint = statistics.median(r["paint"] for r in ours)
    ready = statistics.median(r["ready"] for r in ours)
    base = statistics.median(bare)
    print(f"bare QMainWindow:  first paint {base * 1000:6.0f} ms (median of {args.runs})")
    print(
        f"digitpad:          first paint {paint * 1000:6.0f} ms  (ratio {paint / base:.2f}; target <= 1000 ms)"
    )
    print(f"digitpad:          model ready {ready * 1000:6.0f} ms  (torch imported, model loaded)")


if __name__ == "__main__":
    main()
