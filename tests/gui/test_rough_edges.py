"""The rough edges a new user hit (issue 8), each reproduced through the real widgets."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from gui.loss_chart import LossChart
from gui.main_window import MainWindow
from gui.train_tab import TrainTab
from tests.gui.strokes import ONE, SEVEN_TWO_STROKES, draw

ROOT = Path(__file__).resolve().parents[2]


def _mnemonic(text: str) -> str:
    key = QKeySequence.mnemonic(text)
    return key.toString().removeprefix("Alt+").upper() if not key.isEmpty() else ""


def _owners(widgets: list[QWidget]) -> dict[str, list[str]]:
    owners: dict[str, list[str]] = {}
    for widget in widgets:
        text = widget.text() if isinstance(widget, QLabel | QAbstractButton) else ""
        letter = _mnemonic(text)
        if letter:
            owners.setdefault(letter, []).append(text)
    return owners


def test_alt_letters_on_the_train_tab_never_steal_the_menus_or_tabs(open_window) -> None:
    window: MainWindow = open_window()
    window.tabs.setCurrentIndex(1)
    menus = {_mnemonic(a.text()) for a in window.menuBar().actions()}
    tabs = {_mnemonic(window.tabs.tabText(i)) for i in range(window.tabs.count())}
    assert {"F", "E", "H"} <= menus and {"D", "T"} <= tabs
    fields = _owners(
        window.train_tab.findChildren(QLabel) + window.train_tab.findChildren(QPushButton)
    )
    assert not (set(fields) & (menus | tabs)), fields
    assert all(len(texts) == 1 for texts in fields.values()), fields


def test_start_stop_buttons_stay_put_and_the_recipe_is_readable_at_minimum_size(
    qtbot, open_window
) -> None:
    window: MainWindow = open_window()
    window.tabs.setCurrentIndex(1)
    window.resize(window.minimumSizeHint())
    tab = window.train_tab
    start = tab.findChild(QPushButton, "startButton")
    hint = tab.findChild(QLabel, "recipeHint")
    epochs = tab.findChild(QSpinBox, "epochsSpin")
    network = tab.findChild(object, "modelCombo")

    def where() -> int:
        QTest.qWait(0)
        window.layout().activate()
        return start.mapTo(window, start.rect().topLeft()).y()

    before = where()
    epochs.setValue(3)  # no longer the recommended recipe
    assert where() == before
    network.setCurrentText("cnn")  # a longer recommended recipe
    assert where() == before
    epochs.setValue(epochs.value() + 1)
    tab.findChild(QPushButton, "recommendedButton").click()
    assert where() == before
    # The whole recipe fits in the space the hint has, at the smallest window.
    assert hint.height() >= hint.heightForWidth(hint.width())


def test_an_old_error_goes_once_the_setting_is_edited(qtbot, tmp_path: Path) -> None:
    tab = TrainTab()
    qtbot.addWidget(tab)
    tab.findChild(QLineEdit, "dataFolderEdit").setText(str(tmp_path / "nothing"))
    tab.findChild(object, "downloadCheck").setChecked(False)
    tab.findChild(QPushButton, "startButton").click()
    qtbot.waitUntil(lambda: not tab.is_training, timeout=60000)
    banner = tab.findChild(QLabel, "trainError")
    assert banner.isVisibleTo(tab)
    assert "--data" not in banner.text()  # no command-line hints in the window
    tab.findChild(QLineEdit, "dataFolderEdit").setText(str(tmp_path))
    assert banner.isHidden()


def test_epoch_log_shows_whole_lines() -> None:
    tab = TrainTab()
    log = tab.findChild(QPlainTextEdit, "trainLog")
    assert log.lineWrapMode() is QPlainTextEdit.LineWrapMode.NoWrap
    assert log.minimumHeight() >= 6 * log.fontMetrics().lineSpacing()
    tab.deleteLater()


def test_chart_axes_reset_and_read_in_their_units(qtbot) -> None:
    chart = LossChart()
    qtbot.addWidget(chart)
    chart.resize(600, 400)
    plot = chart.getPlotItem()
    right = plot.getAxis("right")
    assert right.range == pytest.approx([0, 100])  # percent before any run, as labelled
    chart.append_losses(1, np.geomspace(2.3, 1e27, 500).tolist())  # a diverging run
    chart.add_epoch(500, 0.1)
    chart.repaint_now()
    assert "x1e" not in plot.getAxis("left").labelString()
    assert plot.vb.viewRange()[1][1] > 10  # autoranged to the run
    chart.clear()  # a new start (or the one after a failure)
    assert plot.vb.viewRange()[1][1] < 10 and plot.vb.viewRange()[0][1] <= 100
    assert right.range == pytest.approx([0, 100])


def test_undo_brings_back_a_clear_and_redo_does_it_again(open_window) -> None:
    window: MainWindow = open_window()
    canvas = window.draw_tab.canvas
    draw(canvas, SEVEN_TWO_STROKES)
    QTest.keyClick(window, Qt.Key.Key_Delete)
    assert canvas.is_empty()
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert canvas.stroke_count() == 2  # the Clear is taken back
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert canvas.stroke_count() == 1
    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    QTest.keyClick(window, Qt.Key.Key_Z, redo)
    assert canvas.stroke_count() == 2
    QTest.keyClick(window, Qt.Key.Key_Z, redo)
    assert canvas.is_empty()  # the Clear again
    assert window.draw_tab.redo_action in window.edit_menu.actions()
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    draw(canvas, ONE)  # a new stroke ends what Redo could redo
    assert not window.draw_tab.redo_action.isEnabled()


def test_help_offers_shortcuts_and_about(open_window) -> None:
    window: MainWindow = open_window()
    titles = [a.text() for a in window.help_menu.actions()]
    assert "&Keyboard shortcuts" in titles and "&About digitpad" in titles
    next(a for a in window.help_menu.actions() if a.text() == "&Keyboard shortcuts").trigger()
    shortcuts = window.findChild(QMessageBox, "shortcutsDialog")
    for expected in ("Ctrl+O", "Ctrl+L", "Ctrl+Z", "Ctrl+Shift+Z", "Undo stroke", "Model library"):
        assert expected in shortcuts.text(), expected
    shortcuts.accept()
    next(a for a in window.help_menu.actions() if a.text() == "&About digitpad").trigger()
    about = window.findChild(QMessageBox, "aboutDialog").text()
    for expected in ("digitpad 0.", "CC BY-SA 3.0", "CC BY 4.0", "torch", "PySide6", "LGPL"):
        assert expected in about, expected


def test_ctrl_c_in_the_terminal_quits_the_app(tmp_path: Path) -> None:
    script = """
import gui.main_window as mw
shown = mw.MainWindow.show
def show(self):
    shown(self)
    # Once the core has loaded: a busy machine may take a minute to import torch,
    # which no signal can interrupt.
    self.coreReady.connect(lambda: print("ready", flush=True))
mw.MainWindow.show = show
from gui.app import run
raise SystemExit(run(["digitpad"]))
"""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    with subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    ) as child:
        try:
            assert child.stdout.readline().strip() == "ready"
            child.send_signal(signal.SIGINT)
            assert child.wait(timeout=60) == 0
        finally:
            if child.poll() is None:
                child.kill()


def test_a_samples_folder_that_cannot_be_read_does_not_stop_the_app(
    open_window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``DIGITPAD_SAMPLES`` (or the data folder) pointing into a file: it crashed at start."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("DIGITPAD_SAMPLES", str(blocker / "samples"))
    window = open_window()
    window.tabs.setCurrentWidget(window.samples_tab)
    summary = window.samples_tab.summary.text()
    assert summary.startswith(f"Cannot read the samples folder {blocker / 'samples'}: "), summary
    assert not window.samples_tab.personalize_button.isEnabled()
