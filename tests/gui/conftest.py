"""GUI test harness: offscreen Qt, isolated QSettings, and no QThread left running."""

from __future__ import annotations

import gc
import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QLocale, QSettings, QThread

from gui import MainWindow
from gui.collector import GuiThreadCollector
from gui.i18n import ENGLISH, install_language

# Tests read the English texts and numbers whatever the machine's LANG: English is
# installed as the app's start-up installs it (below), and numbers are written the
# English way (60,000 and 91.7 %).
QLocale.setDefault(QLocale("en_US"))


@pytest.fixture(scope="session", autouse=True)
def english(qapp):
    """English as the app installs it: the source texts and the plural forms' .qm.

    Without it a count would read "%Ln sample(s)" with the number in it: "1 sample(s)".
    """
    translators = install_language(qapp, ENGLISH)
    assert translators, "the English plural forms did not load: run make translations"
    return translators


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path) -> Path:
    folder = tmp_path / "qsettings"
    folder.mkdir()
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder


@pytest.fixture(autouse=True)
def garbage_collected_on_the_gui_thread(qapp):
    """Free the previous tests' widgets here, and collect only here, never in a worker.

    A cycle holding a closed window, collected by the garbage collector while a
    worker thread allocates, runs Qt destructors on that thread: they wait for
    the GIL while holding a lock the GUI thread needs, and the suite hangs. The
    window has its own collector (gui.collector); this one covers the tabs and
    workers that tests start without a window.
    """
    gc.collect()
    collector = GuiThreadCollector()
    collector.start()
    yield
    collector.stop()
    gc.collect()


@pytest.fixture(autouse=True)
def no_thread_left_running(monkeypatch: pytest.MonkeyPatch, qapp):
    """Fail any test that leaves a QThread running (napari does the same)."""
    started: list[QThread] = []
    original = QThread.start

    def recording_start(self: QThread, *args) -> None:
        started.append(self)
        original(self, *args)

    monkeypatch.setattr(QThread, "start", recording_start)
    yield
    running = []
    for thread in started:
        try:
            if thread.isRunning():
                running.append(thread)
        except RuntimeError:  # deleted by deleteLater: it finished
            pass
    for thread in running:  # don't let one leak take the rest of the suite down
        thread.quit()
        thread.wait(5000)
    assert not running, f"{len(running)} QThread(s) left running after the test"


@pytest.fixture
def open_window(qtbot):
    """Build a MainWindow, wait until its core is loaded, close it at the end."""
    windows: list[MainWindow] = []

    def make(*args) -> MainWindow:
        window = MainWindow(*args)
        qtbot.addWidget(window)
        window.show()
        if not window.core_loaded:
            with qtbot.waitSignal(window.coreReady, timeout=60000):
                pass
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.request_quit()  # a run still going is stopped without the question


@pytest.fixture
def weak_model(trained_mlp: Path, tmp_path: Path) -> Path:
    """A real model whose card says 50 %: any run that learns beats it."""
    from dataclasses import replace

    from model.checkpoints import load_model, save_model

    loaded = load_model(trained_mlp)
    path = tmp_path / "weak.pt"
    save_model(path, loaded.network, replace(loaded.card, test_accuracy=0.5))
    return path


@pytest.fixture(scope="module")
def cnn():
    """The shipped cnn, loaded once per module, for the tests that draw on the Draw tab."""
    from model.checkpoints import load_model
    from model.paths import shipped_models_dir

    return load_model(shipped_models_dir() / "cnn.pt")


@pytest.fixture
def open_draw_tab(qtbot, cnn):
    """``open_draw_tab(width, height)``: a shown DrawTab reading with the shipped cnn.

    Every tab it opened is shut down after the test (its prediction threads stopped).
    """
    from gui.draw_tab import DrawTab

    opened = []

    def make(width: int, height: int) -> DrawTab:
        widget = DrawTab()
        qtbot.addWidget(widget)
        widget.resize(width, height)
        widget.show()
        qtbot.waitExposed(widget)
        widget.set_model(cnn)
        opened.append(widget)
        return widget

    yield make
    for widget in opened:
        widget.shutdown(5000)
