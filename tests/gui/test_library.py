"""The model library, safe activation, Revert, and quitting mid-run, through the real window.

Models are real files (trained on the MNIST subset); every action goes through
the widgets a user would press, found by objectName.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
)

from gui import MainWindow
from model.checkpoints import load_model
from model.library import trash_dir
from model.paths import models_dir, shipped_models_dir

RUN_TIMEOUT_MS = 120_000


@pytest.fixture
def my_model(trained_mlp: Path) -> Path:
    models_dir().mkdir(parents=True, exist_ok=True)
    path = models_dir() / "mlp-20261126-070000.pt"
    shutil.copy(trained_mlp, path)
    return path


def box(window: QDialog | MainWindow, name: str, qtbot) -> QMessageBox:
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, name) is not None, timeout=10000)
    found = window.findChild(QMessageBox, name)
    qtbot.waitUntil(found.isVisible, timeout=5000)
    return found


def press(parent, name: str) -> None:
    button = parent.findChild(QPushButton, name)
    assert button is not None, name
    button.click()


def row_of(table: QTableWidget, path: Path) -> int:
    for row in range(table.rowCount()):
        if table.item(row, 0).data(Qt.ItemDataRole.UserRole).path == path:
            return row
    raise AssertionError(f"{path} not listed")


def select(table: QTableWidget, *paths: Path) -> None:
    table.clearSelection()
    for path in paths:
        row = row_of(table, path)
        table.selectionModel().select(
            table.model().index(row, 0),
            table.selectionModel().SelectionFlag.Select | table.selectionModel().SelectionFlag.Rows,
        )


def start_training(window: MainWindow, test_data: Path, **settings: object) -> None:
    tab = window.train_tab
    tab.findChild(QLineEdit, "dataFolderEdit").setText(str(test_data))
    tab.findChild(object, "modelCombo").setCurrentText("mlp")
    tab.findChild(object, "epochsSpin").setValue(settings.get("epochs", 1))
    tab.findChild(object, "batchSizeSpin").setValue(settings.get("batch_size", 32))
    if "optimizer" in settings:
        tab.findChild(object, "optimizerCombo").setCurrentText(settings["optimizer"])
    if "lr" in settings:
        tab.findChild(object, "lrSpin").setValue(settings["lr"])
    tab.findChild(QPushButton, "startButton").click()


# -- the library window ------------------------------------------------------


def test_library_lists_every_model_with_its_figures(open_window, my_model: Path) -> None:
    window = open_window()
    window.library_action.trigger()
    library = window.findChild(QDialog, "modelLibrary")
    assert library is not None and library.isVisible()
    table = library.findChild(QTableWidget, "libraryTable")
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers == [
        "Name",
        "Network",
        "Test accuracy",
        "Real pen",
        "Your handwriting",
        "Created",
        "Training time",
        "Size",
        "Recipe",
    ]
    paths = [table.item(r, 0).data(Qt.ItemDataRole.UserRole).path for r in range(table.rowCount())]
    assert set(paths) == {
        my_model,
        shipped_models_dir() / "cnn.pt",
        shipped_models_dir() / "mlp.pt",
    }
    cnn = row_of(table, shipped_models_dir() / "cnn.pt")
    assert table.item(cnn, 0).text() == "cnn (shipped) — active"
    assert table.item(cnn, 0).font().bold()
    shipped = load_model(shipped_models_dir() / "cnn.pt").card.test_accuracy
    assert table.item(cnn, 2).text() == f"{100 * shipped:.2f} %"
    real_pen = load_model(shipped_models_dir() / "cnn.pt").card.real_pen["normal"]
    assert table.item(cnn, 3).text() == f"{100 * real_pen:.2f} %"  # from its card
    mine = row_of(table, my_model)
    accuracy = load_model(my_model).card.test_accuracy
    assert table.item(mine, 2).text() == f"{100 * accuracy:.2f} %"
    assert table.item(mine, 3).text() == "" and table.item(mine, 4).text() == ""  # not measured
    assert table.item(mine, 8).text().startswith("3 epochs · batch 32 · sgd lr 0.01 momentum 0.9")
    assert table.item(mine, 7).text().endswith("kB")

    select(table, shipped_models_dir() / "mlp.pt")
    assert not library.findChild(QPushButton, "deleteButton").isEnabled()  # shipped
    assert not library.findChild(QPushButton, "renameButton").isEnabled()


def test_activate_from_the_library_then_revert(open_window, my_model: Path, qtbot) -> None:
    window = open_window()
    assert not window.revert_action.isEnabled()
    library = window.show_library()
    table = library.findChild(QTableWidget, "libraryTable")
    select(table, my_model)
    with qtbot.waitSignal(window.modelChanged):
        press(library, "activateButton")
    assert window.model.path == my_model
    assert table.item(row_of(table, my_model), 0).text().endswith("— active")
    status = window.findChild(QLabel, "activeModelLabel").text()
    assert my_model.stem in status

    assert window.revert_action.isEnabled()
    assert window.revert_action in window.edit_menu.actions()
    window.revert_action.trigger()
    assert window.model.path == shipped_models_dir() / "cnn.pt"
    assert not window.revert_action.isEnabled()


def test_rename_shows_everywhere_and_the_file_keeps_its_name(
    open_window, my_model: Path, qtbot
) -> None:
    window = open_window()
    window.open_model(my_model)
    library = window.show_library()
    table = library.findChild(QTableWidget, "libraryTable")
    select(table, my_model)
    press(library, "renameButton")
    editor = table.findChild(QLineEdit)  # the cell editor the button opened
    assert editor is not None and editor.isVisible()
    editor.selectAll()
    QTest.keyClicks(editor, "my careful mlp")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: load_model(my_model).card.display_name == "my careful mlp")
    assert my_model.exists()
    accuracy = f"{100 * load_model(my_model).card.test_accuracy:.2f} %"
    labels = [a.text() for a in window.recent_menu.actions()]
    assert f"my careful mlp · {accuracy}" in labels  # Open recent names it, with its figure
    combo = window.evaluate_tab.model_combo  # so does the Evaluate tab's model list
    assert f"my careful mlp · {accuracy}" in [combo.itemText(i) for i in range(combo.count())]
    assert table.item(row_of(table, my_model), 0).text().startswith("my careful mlp")


def test_delete_moves_to_the_trash_and_undo_restores(
    open_window, my_model: Path, trained_mlp: Path, qtbot
) -> None:
    window = open_window()
    library = window.show_library()
    table = library.findChild(QTableWidget, "libraryTable")
    select(table, my_model)
    press(library, "deleteButton")
    assert not my_model.exists()
    assert any(trash_dir().glob("*.pt"))
    assert my_model not in [
        table.item(r, 0).data(Qt.ItemDataRole.UserRole).path for r in range(table.rowCount())
    ]
    assert "trash" in library.findChild(QLabel, "libraryStatus").text()

    library.activateWindow()
    qtbot.waitUntil(library.isActiveWindow, timeout=5000)
    QTest.keyClick(table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert my_model.read_bytes() == trained_mlp.read_bytes()
    row_of(table, my_model)  # listed again

    window.open_model(my_model)  # the active model is never deleted under the user's feet
    select(table, my_model)
    press(library, "deleteButton")
    assert my_model.exists()
    assert "active model cannot be deleted" in library.findChild(QLabel, "libraryStatus").text()


def test_compare_two_models_digit_by_digit(open_window, my_model: Path, qtbot) -> None:
    window = open_window()
    library = window.show_library()
    table = library.findChild(QTableWidget, "libraryTable")
    select(table, my_model, shipped_models_dir() / "cnn.pt")
    press(library, "compareButton")
    comparison = library.findChild(QDialog, "modelComparison")
    assert comparison is not None and comparison.isVisible()
    grid = comparison.findChild(QTableWidget, "comparisonTable")
    rows = [grid.verticalHeaderItem(r).text() for r in range(grid.rowCount())]
    assert rows[2] == "Test accuracy" and rows[3:] == [f"Digit {d}" for d in range(10)]
    assert grid.item(2, 2).text().endswith("points")

    press(comparison, "evaluateComparisonButton")  # the same two, on real images
    evaluate = window.evaluate_tab
    assert window.tabs.currentWidget() is evaluate
    assert evaluate.model_combo.currentData() == str(my_model)
    assert evaluate.compare_combo.currentData() == str(shipped_models_dir() / "cnn.pt")
    qtbot.waitUntil(lambda: not evaluate.is_running(), timeout=60000)


# -- safe activation ----------------------------------------------------------


def test_a_worse_run_is_kept_but_not_activated(open_window, qtbot, test_data: Path) -> None:
    window = open_window()  # the shipped cnn: 99.5 %, far beyond a 1-epoch mlp on the subset
    shipped = window.model
    start_training(window, test_data, epochs=1)
    message = box(window, "activationMessage", qtbot)
    assert window.model is shipped
    saved = sorted(models_dir().glob("*.pt"))
    assert len(saved) == 1  # kept in the library
    best = load_model(shipped_models_dir() / "cnn.pt").card.test_accuracy
    assert f"{100 * best:.2f} %" in message.text() and "kept in the library" in message.text()

    with qtbot.waitSignal(window.modelChanged):
        press(message, "activateAnywayButton")  # one click to use it anyway
    assert window.model.path == saved[0]
    window.revert_action.trigger()
    assert window.model.path == shipped.path


def test_a_better_run_becomes_active_and_revert_brings_the_old_one_back(
    open_window, qtbot, test_data: Path, weak_model: Path
) -> None:
    window = open_window(weak_model)
    with qtbot.waitSignal(window.modelChanged, timeout=RUN_TIMEOUT_MS):
        start_training(window, test_data, epochs=1)
    assert window.model.path.parent == models_dir()
    assert "now the active model" in window.statusBar().currentMessage()
    assert window.findChild(QMessageBox, "activationMessage") is None
    window.revert_action.trigger()
    assert window.model.path == weak_model


def test_a_diverged_run_is_not_saved_unless_asked(open_window, qtbot, test_data: Path) -> None:
    window = open_window()
    shipped = window.model
    start_training(window, test_data, epochs=1, batch_size=500, optimizer="adam", lr=1e6)
    message = box(window.train_tab, "divergedMessage", qtbot)
    assert "diverged" in message.text()
    assert window.model is shipped
    assert not any(models_dir().glob("*.pt"))
    error = window.train_tab.findChild(QLabel, "trainError")
    assert error.isVisibleTo(window.train_tab) and "lower learning rate" in error.text()

    press(message, "keepDivergedButton")
    kept = list(models_dir().glob("*.pt"))
    assert len(kept) == 1 and window.model is shipped  # kept, never activated


# -- quitting and stopping mid-run ---------------------------------------------


def test_quitting_mid_run_asks_first(open_window, qtbot, test_data: Path) -> None:
    window = open_window()
    start_training(window, test_data, epochs=50, batch_size=8)
    qtbot.waitUntil(lambda: window.train_tab.chart.point_count() > 0, timeout=RUN_TIMEOUT_MS)
    status = window.findChild(QLabel, "trainingStatus")
    window.tabs.setCurrentIndex(0)  # the Draw tab shows that a run is training
    qtbot.waitUntil(lambda: status.isVisible() and "epoch 1/50" in status.text(), timeout=5000)

    window.close()
    question = box(window, "quitMessage", qtbot)
    assert "Training is running (epoch 1/50). Stop and quit?" in question.text()
    assert window.isVisible() and window.train_tab.is_training
    press(question, "keepTrainingButton")
    assert window.isVisible() and window.train_tab.is_training

    window.close()
    press(box(window, "quitMessage", qtbot), "stopAndQuitButton")
    assert not window.isVisible() and not window.train_tab.is_training
