"""The main window as a user meets it: default model, menus, dialogs, shortcuts, memory."""

from __future__ import annotations

import gc
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QPushButton

from gui import MainWindow
from model.paths import models_dir, shipped_mnist_dir, shipped_models_dir
from tests.gui.strokes import ONE, SEVEN, SEVEN_TWO_STROKES, draw

OBJECT_NAMES = [
    "tabs",
    "canvas",
    "predictionLabel",
    "probabilityChart",
    "clearButton",
    "undoButton",
    "inputPreview",
    "startButton",
    "pauseButton",
    "stopButton",
    "lossChart",
    "trainProgress",
    "modelCombo",
    "epochsSpin",
    "batchSizeSpin",
    "lrSpin",
    "momentumSpin",
    "dataFolderEdit",
]


def label_text(window: MainWindow) -> str:
    return window.findChild(QLabel, "predictionLabel").text()


def test_first_launch_uses_the_best_shipped_model(open_window) -> None:
    window = open_window()
    assert window.model is not None
    assert window.model.path == shipped_models_dir() / "cnn.pt"
    status = window.findChild(QLabel, "activeModelLabel").text()
    assert "cnn" in status and "shipped" in status and "test accuracy" in status


def test_objects_loaded_with_the_core_are_kept_from_the_collector_until_close(
    open_window,
) -> None:
    """The full collection a worker start makes on the GUI thread must not rescan torch.

    Frozen once the core is loaded (a 190 ms stall per Evaluate click before,
    see bench/evaluate_gui.py), handed back when the window closes.
    """
    window = open_window()
    assert gc.get_freeze_count() > 10_000
    window.request_quit()
    assert gc.get_freeze_count() == 0


def test_widgets_carry_their_automation_names(open_window) -> None:
    window = open_window()
    for name in OBJECT_NAMES:
        widget = window.findChild(object, name)
        assert widget is not None, name
        assert widget.accessibleName(), name


def test_importing_gui_creates_no_application_and_loads_no_torch() -> None:
    probe = (
        "import sys, gui; from gui import MainWindow; from PySide6.QtWidgets import QApplication; "
        "print(QApplication.instance() is None, 'torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False"]


def test_given_model_opens_and_draws(open_window, trained_mlp: Path, qtbot) -> None:
    window = open_window(trained_mlp)
    assert window.model.path == trained_mlp
    draw(window.draw_tab.canvas, SEVEN)
    qtbot.waitUntil(lambda: label_text(window) != "", timeout=5000)


def _choose_in_file_dialog(window: MainWindow, qtbot, path: Path) -> None:
    dialog = window.findChild(QFileDialog, "modelFileDialog")
    qtbot.waitUntil(lambda: dialog.isVisible(), timeout=5000)
    dialog.selectFile(str(path))
    dialog.accept()


def test_bad_model_through_open_dialog_keeps_the_previous_model(
    open_window, qtbot, tmp_path: Path
) -> None:
    window = open_window()
    before = window.model
    bad = tmp_path / "broken.pt"
    bad.write_bytes(b"\x00not a model at all")
    window.open_action.trigger()
    _choose_in_file_dialog(window, qtbot, bad)
    box = window.findChild(QMessageBox, "errorDialog")
    assert box is not None and box.isVisible()
    assert str(bad) in box.text() and "not a usable digitpad model" in box.text()
    assert window.model is before
    box.accept()


def test_open_and_save_as_through_dialogs_and_recent_menu(
    open_window, qtbot, trained_mlp: Path, tmp_path: Path
) -> None:
    window = open_window()
    window.open_action.trigger()
    _choose_in_file_dialog(window, qtbot, trained_mlp)
    assert window.model.path == trained_mlp

    target = tmp_path / "my-model.pt"
    window.save_action.trigger()
    _choose_in_file_dialog(window, qtbot, target)
    assert target.read_bytes() == trained_mlp.read_bytes()

    window.open_model(shipped_models_dir() / "mlp.pt")
    recent = [a.toolTip() for a in window.recent_menu.actions()]
    assert recent[:2] == [str(shipped_models_dir() / "mlp.pt"), str(trained_mlp)]
    window.recent_menu.actions()[1].trigger()
    assert window.model.path == trained_mlp


def test_keyboard_shortcuts_undo_and_clear(open_window, qtbot) -> None:
    window = open_window()
    canvas = window.draw_tab.canvas
    draw(canvas, SEVEN_TWO_STROKES)
    assert len(canvas.strokes()) == 2
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(canvas.strokes()) == 1
    QTest.keyClick(window, Qt.Key.Key_Delete)
    assert canvas.is_empty()
    draw(canvas, ONE)
    QTest.keyClick(window, Qt.Key.Key_Escape)
    assert canvas.is_empty()
    qtbot.waitUntil(lambda: label_text(window) == "", timeout=5000)


def test_window_remembers_size_tab_model_and_training_form(open_window, trained_mlp: Path) -> None:
    window = open_window(trained_mlp)
    window.resize(760, 560)  # inside the offscreen screen (800x600)
    window.tabs.setCurrentIndex(1)
    window.train_tab.findChild(object, "epochsSpin").setValue(3)
    window.train_tab.findChild(object, "lrSpin").setValue(0.02)
    window.close()

    again = open_window()
    assert (again.width(), again.height()) == (760, 560)
    assert again.tabs.currentIndex() == 1
    assert again.model.path == trained_mlp
    assert again.train_tab.findChild(object, "epochsSpin").value() == 3
    assert again.train_tab.findChild(object, "lrSpin").value() == pytest.approx(0.02)


def _start_training(window: MainWindow, test_data: Path, epochs: int) -> None:
    tab = window.train_tab
    window.tabs.setCurrentIndex(1)
    tab.findChild(object, "dataFolderEdit").setText(str(test_data))
    tab.findChild(object, "modelCombo").setCurrentText("mlp")
    tab.findChild(object, "epochsSpin").setValue(epochs)
    tab.findChild(QPushButton, "startButton").click()


def test_trained_model_becomes_active_and_drawing_works_meanwhile(
    open_window, qtbot, test_data: Path, weak_model: Path
) -> None:
    window = open_window(weak_model)  # the new run beats it: it becomes active by itself
    shipped = window.model
    _start_training(window, test_data, epochs=2)
    window.tabs.setCurrentIndex(0)
    qtbot.waitUntil(lambda: window.train_tab.is_training, timeout=10000)
    draw(window.draw_tab.canvas, SEVEN)  # the GUI thread is free while the worker trains
    qtbot.waitUntil(lambda: label_text(window) == "7", timeout=5000)
    with qtbot.waitSignal(window.modelChanged, timeout=120000) as changed:
        pass
    path = Path(changed.args[0])
    assert path.parent == models_dir() and path.is_file()
    assert window.model is not shipped and window.model.path == path
    assert "is now the active model" in window.statusBar().currentMessage()


def test_stopped_run_keeps_the_previous_model(open_window, qtbot, test_data: Path) -> None:
    window = open_window()
    before = window.model
    _start_training(window, test_data, epochs=50)
    qtbot.waitUntil(lambda: window.train_tab.chart.point_count() > 0, timeout=30000)
    window.train_tab.findChild(QPushButton, "stopButton").click()
    qtbot.waitUntil(lambda: not window.train_tab.is_training, timeout=10000)
    assert window.model is before
    assert not models_dir().exists() or not any(models_dir().glob("*.pt"))


def test_closing_during_training_is_quick_and_clean(open_window, qtbot, test_data: Path) -> None:
    window = open_window()
    _start_training(window, test_data, epochs=50)
    qtbot.waitUntil(lambda: window.train_tab.chart.point_count() > 0, timeout=30000)
    window.close()  # asks first (tests/gui/test_library.py); the answer here: stop and quit
    start = time.perf_counter()
    window.findChild(QPushButton, "stopAndQuitButton").click()
    assert time.perf_counter() - start < 1.5
    assert not window.train_tab.is_training and not window.isVisible()


def test_escape_on_the_train_tab_keeps_the_drawing(open_window) -> None:
    window = open_window()
    canvas = window.draw_tab.canvas
    draw(canvas, SEVEN)
    window.tabs.setCurrentIndex(1)
    QTest.keyClick(window, Qt.Key.Key_Escape)
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(canvas.strokes()) == 1
    window.tabs.setCurrentIndex(0)
    QTest.keyClick(window, Qt.Key.Key_Escape)
    assert canvas.is_empty()


def test_model_opened_during_start_up_is_kept(qtbot, trained_mlp: Path) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.coreReady, timeout=60000):
        assert window.open_model(trained_mlp)  # before the start-up job has finished
    assert window.model.path == trained_mlp
    window.close()


def test_corrupt_remembered_model_falls_back_to_shipped(
    open_window, trained_mlp: Path, tmp_path: Path
) -> None:
    """After a crash or a bad disk, the app still opens, says why, and uses the shipped model."""
    last = tmp_path / "last.pt"
    last.write_bytes(trained_mlp.read_bytes())
    window = open_window(last)
    window.close()
    last.write_bytes(last.read_bytes()[:2000])  # the remembered file is now truncated
    again = open_window()
    box = again.findChild(QMessageBox, "errorDialog")
    assert box is not None and str(last) in box.text()
    assert again.model.path == shipped_models_dir() / "cnn.pt"
    box.accept()


def test_model_card_fits_the_screen_and_closes(open_window, qtbot) -> None:
    """The whole card (every section) scrolls inside a dialog no taller than the screen."""
    from PySide6.QtWidgets import QDialog, QDialogButtonBox

    window = open_window()
    about = next(a for a in window.help_menu.actions() if a.text() == "About the active &model")
    about.trigger()
    card = window.findChild(QDialog, "modelCardDialog")
    qtbot.waitExposed(card)
    text = card.text.toPlainText()
    assert "Model card: cnn" in text and "Per-class test accuracy" in text
    assert "Real pen digits" in text
    screen = card.screen().availableGeometry()
    assert card.frameGeometry().height() <= screen.height()
    assert card.text.verticalScrollBar().maximum() > 0 or card.height() < screen.height()
    close = card.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
    QTest.mouseClick(close, Qt.MouseButton.LeftButton)
    assert not card.isVisible()


def test_evaluate_reads_mnist_from_the_train_tab_s_folder_until_it_chooses_one(
    open_window, qtbot, test_data: Path, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QLineEdit

    window = open_window()
    window.train_tab.findChild(QLineEdit, "dataFolderEdit").setText(str(test_data))
    window.tabs.setCurrentWidget(window.evaluate_tab)
    evaluate = window.evaluate_tab
    assert evaluate.data_kind() == "mnist"
    assert evaluate.data_folder("mnist") == str(test_data)
    assert "the Train tab's data folder" in evaluate.folder_label.toolTip()
    with qtbot.waitSignal(evaluate.evaluationFinished, timeout=120000):
        evaluate.run_button.click()
    qtbot.waitUntil(lambda: not evaluate.is_running(), timeout=10000)
    assert "Done: 1,000 images" in evaluate.progress.format()
    window.save_settings()
    assert window._settings.value("evaluate/mnistFolder", "") == ""  # following: not pinned
    # No MNIST in the Train tab's folder (not downloaded yet): the test set that ships.
    window.train_tab.findChild(QLineEdit, "dataFolderEdit").setText(str(tmp_path / "none"))
    window.tabs.setCurrentWidget(window.draw_tab)
    window.tabs.setCurrentWidget(evaluate)
    assert evaluate.data_folder("mnist") == str(shipped_mnist_dir())
    assert "shipped with digitpad" in evaluate.folder_label.toolTip()
    with qtbot.waitSignal(evaluate.evaluationFinished, timeout=120000):
        evaluate.run_button.click()
    qtbot.waitUntil(lambda: not evaluate.is_running(), timeout=10000)
    assert "Done: 10,000 images" in evaluate.progress.format()
    evaluate.set_data_folder("mnist", tmp_path)  # chosen with Folder…: kept, whatever Train says
    window.train_tab.findChild(QLineEdit, "dataFolderEdit").setText(str(test_data / "elsewhere"))
    assert evaluate.data_folder("mnist") == str(tmp_path)
    window.save_settings()
    assert window._settings.value("evaluate/mnistFolder", "") == str(tmp_path)
