"""Evaluating the cnn on MNIST test from the Evaluate tab: how long, and does the window stall?

    .venv/bin/python bench/evaluate_gui.py --data ../shared/data [--model assets/models/cnn.pt]

A real ``MainWindow`` is opened on the Evaluate tab, the model and MNIST test
are picked and Evaluate is clicked; a 10 ms precise QTimer on the GUI thread
records the gaps between its ticks until the results are shown, so the
longest gap is the longest the window could not react. Targets: under 5 s
from the click to the results, longest gap under 50 ms. Baselines from the
same process: the same timer with the window idle, and the same evaluation
headless on the main thread (``model.evaluation.report``), with the thread
count the worker gets. A second click reuses the loaded data set; a third
runs with the objects the window froze at start-up handed back to the garbage
collector (``gc.unfreeze``), as before the freeze: the full collection each
worker start makes on the GUI thread then scans them all.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_SCRATCH = tempfile.TemporaryDirectory(prefix="digitpad-bench-")
for _var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
    os.environ[_var] = os.path.join(_SCRATCH.name, _var.lower())

import numpy as np  # noqa: E402
from gui_responsiveness import TickGaps, idle_gaps, run_loop  # noqa: E402
from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def gaps_text(gaps: np.ndarray) -> str:
    return f"longest gap {gaps.max():.1f} ms, p99 {np.percentile(gaps, 99):.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="folder holding MNIST/raw")
    parser.add_argument("--model", default=str(ROOT / "assets" / "models" / "cnn.pt"))
    args = parser.parse_args()

    app = QApplication.instance() or QApplication([])
    from gui.main_window import MainWindow

    window = MainWindow()
    window.resize(1200, 800)
    window.show()
    loop = QEventLoop()
    window.coreReady.connect(loop.quit)
    if not window.core_loaded:
        loop.exec()
    tab = window.evaluate_tab
    window.tabs.setCurrentWidget(tab)
    tab.select_models(str(Path(args.model).resolve()))
    tab.select_data("mnist", args.data)
    run_loop(app, 1.0)
    idle = idle_gaps(app, 3.0)
    print(f"idle window: {gaps_text(idle)}")

    unfrozen = "third run, nothing frozen (as before the freeze)"
    attempts = ("first run (reads MNIST test)", "second run (data set kept)", unfrozen)
    for attempt in attempts:
        if attempt == unfrozen:
            print(f"objects the window froze: {gc.get_freeze_count():,}")
            gc.unfreeze()
        gaps = TickGaps()
        done = QEventLoop()
        tab.evaluationFinished.connect(done.quit)
        QTimer.singleShot(120_000, done.quit)
        gaps.start()
        start = time.perf_counter()
        tab.run_button.click()
        done.exec()
        seconds = time.perf_counter() - start
        run_loop(app, 0.3)  # the results' first paint belongs to the run
        measured = gaps.stop()
        tab.evaluationFinished.disconnect(done.quit)
        r = tab.reports()[0]
        print(
            f"GUI, {attempt}: {seconds:.2f} s click to results ({r.seconds:.2f} s in the network), "
            f"{r.accuracy:.2%}, {gaps_text(measured)}"
        )

    import torch

    from model.checkpoints import load_model
    from model.eval_sets import mnist_test_set
    from model.evaluation import report

    data = mnist_test_set(args.data)
    network = load_model(args.model).network
    start = time.perf_counter()
    headless = report(network, data.images, data.labels)
    print(
        f"headless baseline, main thread, {torch.get_num_threads()} torch thread(s): "
        f"{time.perf_counter() - start:.2f} s, {headless.accuracy:.2%}"
    )
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
