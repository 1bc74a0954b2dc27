"""Does the window stay responsive while it trains, and what does the GUI cost the training?

    .venv/bin/python bench/gui_responsiveness.py --data ../shared/data [--epochs N]

A run is started from the Train tab of a real window (``gui.MainWindow``, else a
bare ``TrainTab`` in a ``QMainWindow``) with a click on Start, while a 10 ms
precise QTimer on the GUI thread records the gaps between its ticks: a gap is
how long the window could not react to input. Target: longest gap <= 50 ms.
The same timer on the same window with nothing running is the baseline: it
shows what the machine's scheduler alone does to the ticks.

The same config also runs headless in the same process (``for e in train(...)``
on the main thread), before and after each GUI run, as the baseline for
seconds per epoch; target: GUI overhead <= 10 %. Figures, not tests: on a
shared machine other processes perturb them, so read the ratios, above all the
median of the pair ratios: each GUI run against the mean of the two headless
runs either side of it, a few seconds apart, so a neighbour's load that comes
and goes touches both sides of a pair alike. There, pass
``--threads 1`` too: torch's intra-op threads spin-wait for each other, and a
busy neighbour on a 2-core machine can make an epoch 100x slower at random,
on either side of the comparison. The same pairs are also shown with each
epoch less the time its training thread was ready to run but waited for a CPU
(Linux's schedstat): a neighbour's load is mostly that wait, while waiting for
the GIL, the GUI's own cost, is not in it. ``--profile`` prints where the GUI
thread's time goes during the GUI runs (cProfile, GUI thread only).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import pstats
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# A scratch user folder: the run saves a model and the window remembers it as
# the last one; neither belongs in the user's real folders.
_SCRATCH = tempfile.TemporaryDirectory(prefix="digitpad-bench-")
for _var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
    os.environ[_var] = os.path.join(_SCRATCH.name, _var.lower())

import numpy as np  # noqa: E402
from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QComboBox,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
)

if TYPE_CHECKING:
    from gui.train_tab import TrainTab
    from gui.worker import Job
    from model.config import TrainConfig
    from model.events import Event

TICK_MS = 10
SCHEDSTAT = Path("/proc/thread-self/schedstat")


class TickGaps:
    """Records the time between consecutive ticks of a precise 10 ms timer.

    ``net_ms`` holds the same gaps less the time the GUI thread was ready to run
    but waited for a CPU (when the scheduler tells): the stall that is the
    window's own doing, not a neighbour's.
    """

    def __init__(self) -> None:
        self.gaps_ms: list[float] = []
        self.net_ms: list[float] = []
        self._last = 0.0
        self._last_wait: float | None = None
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._on_tick)

    def start(self) -> None:
        self._wait = ThreadWait()  # on the GUI thread, which the ticks then read
        self._last = time.perf_counter()
        self._last_wait = self._wait.seconds()
        self._timer.start()

    def stop(self) -> np.ndarray:
        self._timer.stop()
        self._wait.close()
        return np.array(self.gaps_ms)

    def _on_tick(self) -> None:
        now, wait = time.perf_counter(), self._wait.seconds()
        gap = (now - self._last) * 1000
        self.gaps_ms.append(gap)
        if wait is not None and self._last_wait is not None:
            self.net_ms.append(gap - (wait - self._last_wait) * 1000)
        self._last, self._last_wait = now, wait


def cpu_wait_seconds() -> float | None:
    """How long the calling thread has been ready to run but waiting for a CPU, or None.

    Linux's schedstat: the time other processes (or our own GUI thread) held
    every core. Waiting for the GIL is not in it (a thread blocked on a lock is
    not ready to run), so an epoch less this wait keeps the GUI's real cost and
    drops most of what a busy neighbour adds.
    """
    try:
        return int(SCHEDSTAT.read_text().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return None


class ThreadWait:
    """``cpu_wait_seconds`` of the thread that made it, for a 100-times-a-second reader.

    The ticks run on the GUI thread and hold the GIL the training needs, so the
    instrument must not cost what it measures: opening and reading the file by
    path on every tick took 0.2 ms (20 ms of the GUI thread's time per epoch in
    a profile); a file kept open and read with one ``pread`` takes a few us.
    """

    def __init__(self) -> None:
        try:
            path = f"/proc/self/task/{threading.get_native_id()}/schedstat"
            self._fd: int | None = os.open(path, os.O_RDONLY)
        except OSError:
            self._fd = None

    def seconds(self) -> float | None:
        if self._fd is None:
            return None
        try:
            return int(os.pread(self._fd, 128, 0).split()[1]) / 1e9
        except (OSError, IndexError, ValueError):
            return None

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def with_cpu_waits(events: Iterable[Event], waits: list[float]) -> Iterator[Event]:
    """Pass the events on; append the training thread's CPU wait during each epoch to ``waits``.

    Runs in the thread that trains (the generator's consumer pulls it there).
    """
    from model.events import EpochEnd, RunStarted

    last = None
    for event in events:
        if isinstance(event, RunStarted | EpochEnd):
            now = cpu_wait_seconds()
            if isinstance(event, EpochEnd) and last is not None and now is not None:
                waits.append(now - last)
            last = now
        yield event


def headless_epoch_seconds(
    config: TrainConfig, cpu_seconds: list[float], waits: list[float]
) -> list[float]:
    """Seconds of each epoch; appends the run's process CPU time (all threads) to
    ``cpu_seconds`` and each epoch's CPU wait to ``waits``."""
    from model.events import EpochEnd
    from model.training import train

    # As `digitpad train` runs: Python collects by itself (the window's collector
    # turned that off for its own timer, which does not tick in this loop).
    automatic = gc.isenabled()
    gc.enable()
    try:
        cpu = time.process_time()
        events = with_cpu_waits(train(config), waits)
        seconds = [e.epoch_seconds for e in events if isinstance(e, EpochEnd)]
        cpu_seconds.append(time.process_time() - cpu)
    finally:
        if not automatic:
            gc.disable()
    return seconds


def measure_gui_cpu_waits(runs: list[list[float]]) -> None:
    """Make each Train tab run append its epochs' CPU waits to ``runs[-1]`` (in the worker thread)."""
    import gui.train_tab

    plain = gui.train_tab._training_job

    def measured(*args: Any, **kwargs: Any) -> Job:
        job, waits = plain(*args, **kwargs), runs[-1]
        return lambda stop, pause: with_cpu_waits(job(stop, pause), waits)

    gui.train_tab._training_job = measured


def open_window(config: TrainConfig, app: QApplication) -> tuple[QMainWindow, TrainTab, str]:
    from gui.train_tab import TrainTab

    try:
        from gui.main_window import MainWindow
    except ImportError:
        window, kind = QMainWindow(), "a bare TrainTab in a QMainWindow"
        window.setCentralWidget(TrainTab())
    else:
        window, kind = MainWindow(), "gui.MainWindow"
    window.resize(1200, 800)
    window.show()
    tab = window.findChild(TrainTab)
    tabs = window.findChild(QTabWidget, "tabs")
    if tabs is not None:
        tabs.setCurrentWidget(tab)
    tab.findChild(QComboBox, "modelCombo").setCurrentText(config.network)
    tab.findChild(QSpinBox, "epochsSpin").setValue(config.epochs)
    tab.findChild(QSpinBox, "batchSizeSpin").setValue(config.batch_size)
    tab.findChild(QLineEdit, "dataFolderEdit").setText(str(config.data_dir))
    run_loop(app, 3.0)  # paint, and let the main window load its model and settle
    return window, tab, kind


def run_loop(app: QApplication, seconds: float) -> None:
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def idle_gaps(app: QApplication, seconds: float) -> np.ndarray:
    gaps = TickGaps()
    gaps.start()
    run_loop(app, seconds)
    return gaps.stop()


def gui_run(
    tab: TrainTab,
    timeout_s: float,
    gui_cpu_seconds: list[float],
    net_ticks: list[np.ndarray],
    profile: cProfile.Profile | None = None,
) -> tuple[np.ndarray, list[float], tuple[float, float]]:
    """Click Start, spin the event loop until the run ends.

    Returns the tick gaps, the seconds of each epoch, and the GUI thread's CPU
    seconds and the run's wall seconds (it holds the GIL for most of its CPU
    time; its CPU seconds, unlike the wall time, hardly move with the load).
    Appends the run's process CPU time (all threads) to ``gui_cpu_seconds`` and
    the tick gaps less the GUI thread's CPU waits to ``net_ticks``.
    ``profile`` records what the GUI thread does meanwhile (cProfile sees only
    the thread that enables it: here, the GUI thread).
    """
    loop = QEventLoop()
    saved: list[str] = []
    tab.modelTrained.connect(saved.append)
    watchdog = QTimer()
    watchdog.timeout.connect(lambda: None if tab.is_training else loop.quit())
    gaps = TickGaps()
    gaps.start()
    cpu, wall, process = time.thread_time(), time.perf_counter(), time.process_time()
    if profile is not None:
        profile.enable()
    tab.findChild(QPushButton, "startButton").click()
    watchdog.start(50)
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    loop.exec()
    if profile is not None:
        profile.disable()
    busy = (time.thread_time() - cpu, time.perf_counter() - wall)
    gui_cpu_seconds.append(time.process_time() - process)
    ticks = gaps.stop()
    net_ticks.append(np.array(gaps.net_ms))
    watchdog.stop()
    if not saved:
        log = tab.findChild(QPlainTextEdit, "trainLog").toPlainText()
        tab.shutdown(5000)
        raise SystemExit(f"the GUI run did not finish; its log:\n{log}")
    return ticks, [e.epoch_seconds for e in tab.epoch_results], busy


def describe(gaps: np.ndarray) -> str:
    return (
        f"median {np.median(gaps):5.1f} ms · p99 {np.percentile(gaps, 99):5.1f} ms · "
        f"longest {gaps.max():5.1f} ms · {(gaps > 50).sum()} over 50 ms ({len(gaps):,} ticks)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--network", default="mlp", choices=("mlp", "cnn"))
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument(
        "--repeats", type=int, default=1, help="GUI runs, each between two headless"
    )
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: its default)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds allowed per GUI run")
    parser.add_argument(
        "--profile", action="store_true", help="print where the GUI thread's time goes"
    )
    args = parser.parse_args()

    app = QApplication.instance() or QApplication(sys.argv)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, _SCRATCH.name)

    # Every run starts with the core imported, torchvision included: importing it
    # in the window's background worker holds the GIL for about 0.2 s.
    import torch

    import model.training  # noqa: F401
    from model.config import TrainConfig

    if args.threads:
        torch.set_num_threads(args.threads)
    config = TrainConfig(
        network=args.network,
        epochs=args.epochs,
        batch_size=args.batch_size,
        data_dir=str(Path(args.data).resolve()),
        download=False,
    )
    print(
        f"{config.network}, {config.epochs} epoch(s) of batch {config.batch_size} on "
        f"{config.data_dir}; torch {torch.__version__} with {torch.get_num_threads()} "
        f"thread(s), {os.cpu_count()} CPUs, Qt platform {app.platformName()}"
    )

    window, tab, kind = open_window(config, app)
    idle = idle_gaps(app, 3.0)
    headless_cpu: list[float] = []
    gui_cpu: list[float] = []
    load_before = os.getloadavg()[0]
    headless_waits: list[list[float]] = [[]]
    headless_runs = [headless_epoch_seconds(config, headless_cpu, headless_waits[-1])]
    gui_waits: list[list[float]] = []
    measure_gui_cpu_waits(gui_waits)
    training_gaps, gui_runs, busy = [], [], []
    net_gaps: list[np.ndarray] = []
    profile = cProfile.Profile() if args.profile else None
    for _ in range(args.repeats):
        gui_waits.append([])
        gaps, seconds, cpu_share = gui_run(tab, args.timeout, gui_cpu, net_gaps, profile)
        training_gaps.append(gaps)
        gui_runs.append(seconds)
        busy.append(cpu_share)
        headless_waits.append([])
        headless_runs.append(headless_epoch_seconds(config, headless_cpu, headless_waits[-1]))
    load_after = os.getloadavg()[0]
    headless = [s for run in headless_runs for s in run]
    gui = [s for run in gui_runs for s in run]
    points = tab.chart.point_count()
    tab.shutdown(5000)
    window.close()

    gaps = np.concatenate(training_gaps)
    from gui.train_tab import training_threads

    gui_threads = training_threads(torch.get_num_threads(), os.cpu_count())
    print(
        f"window: {kind}, training with {gui_threads} torch thread(s); the chart holds "
        f"{points:,} points (one per batch of the last run)"
    )
    if profile is not None:
        print("GUI thread during the GUI runs, by own time (cProfile):")
        pstats.Stats(profile, stream=sys.stdout).sort_stats("tottime").print_stats(18)
    print("GUI thread, ticks of a 10 ms timer (target: longest <= 50 ms)")
    print(f"  training   {describe(gaps)}")
    print(f"  idle       {describe(idle)}")
    net = np.concatenate(net_gaps)
    if len(net):
        print(f"  less waits {describe(net)} (each gap less the GUI thread's CPU wait)")
    print(
        f"  ratio      p99 {np.percentile(gaps, 99) / np.percentile(idle, 99):.2f}x, "
        f"longest {gaps.max() / idle.max():.2f}x the idle window's"
    )
    base, seen = statistics.median(headless), statistics.median(gui)
    print(
        f"GUI thread on the CPU during the runs: {100 * statistics.fmean(c / w for c, w in busy):.1f}"
        f" % of the wall time, {1000 * statistics.median(c for c, _ in busy) / config.epochs:.0f}"
        " ms per epoch (median; the 10 ms timer included)"
    )
    print("seconds per epoch (target: GUI overhead <= 10 %)")
    print(f"  GUI        median {seen:6.2f} s · fastest {min(gui):6.2f} s   ({listing(gui)})")
    print(
        f"  headless   median {base:6.2f} s · fastest {min(headless):6.2f} s   ({listing(headless)})"
    )
    fastest = min(gui) / min(headless)
    print(
        f"  ratio      median {seen / base:.3f} (GUI overhead {100 * (seen / base - 1):+.1f} %) · "
        f"fastest {fastest:.3f} ({100 * (fastest - 1):+.1f} %)"
    )
    # Each GUI run against the headless runs just before and after it.
    pairs = [
        sum(g) / ((sum(before) + sum(after)) / 2)
        for g, before, after in zip(gui_runs, headless_runs, headless_runs[1:], strict=False)
    ]
    print(
        f"  pairs      median {statistics.median(pairs):.3f} "
        f"(GUI overhead {100 * (statistics.median(pairs) - 1):+.1f} %) · each GUI run against "
        f"the headless runs either side: {', '.join(f'{r:.3f}' for r in pairs)}"
    )
    print(f"  load       1-minute load average {load_before:.2f} before, {load_after:.2f} after")
    if all(
        len(w) == len(r)
        for w, r in zip(gui_waits + headless_waits, gui_runs + headless_runs, strict=True)
    ):
        # The same pairs, each epoch less the time its thread waited for a CPU.
        gui_net = [sum(r) - sum(w) for r, w in zip(gui_runs, gui_waits, strict=True)]
        base_net = [sum(r) - sum(w) for r, w in zip(headless_runs, headless_waits, strict=True)]
        net = [g / ((b + a) / 2) for g, b, a in zip(gui_net, base_net, base_net[1:], strict=False)]
        waited = 100 * sum(map(sum, gui_waits + headless_waits)) / sum(gui + headless)
        print(
            f"  less waits pairs median {statistics.median(net):.3f} "
            f"(GUI overhead {100 * (statistics.median(net) - 1):+.1f} %): "
            f"{', '.join(f'{r:.3f}' for r in net)}; each epoch less the time the training "
            f"thread waited for a CPU ({waited:.1f} % of the epochs' time)"
        )
    cpu_gui, cpu_base = statistics.median(gui_cpu), statistics.median(headless_cpu)
    print(
        f"CPU seconds per run, all threads, loading MNIST included (waiting excluded, so "
        f"less noisy on a shared machine): GUI {cpu_gui:.2f} s, headless {cpu_base:.2f} s "
        f"({cpu_gui - cpu_base:+.2f} s, {100 * (cpu_gui / cpu_base - 1):+.1f} %)"
    )


def listing(seconds: list[float]) -> str:
    return ", ".join(f"{s:.2f}" for s in seconds)


if __name__ == "__main__":
    main()
