"""The main window: Draw and Train tabs, menus, status bar, remembered state.

The window paints before torch is imported: a background worker imports the
core, loads the model and runs it once, then hands it to the GUI thread, which
never waits on torch's start-up.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTabWidget,
)

from gui.draw_tab import DrawTab
from gui.settings import app_settings
from gui.train_tab import TrainTab
from gui.worker import Job, Worker, WorkerHandle
from model.errors import DigitpadError
from model.files import atomic_copy
from model.paths import models_dir, shipped_models_dir

if TYPE_CHECKING:
    from model.checkpoints import LoadedModel

MAX_RECENT = 8
MODEL_FILTER = "digitpad models (*.pt);;All files (*)"


@dataclass(frozen=True)
class CoreLoaded:
    """What the start-up job hands the GUI thread: the first model that loaded.

    ``model`` changes hands here: the worker never touches it again.
    """

    devices: tuple[str, ...]
    model: LoadedModel | None
    failures: tuple[tuple[str, str], ...]  # (path, message) of the files that did not load


def _load_core(candidates: list[Path]) -> Job:
    """Import torch and load the first loadable model, off the GUI thread."""

    def job(stop: threading.Event, pause: threading.Event) -> Iterator[CoreLoaded]:
        from model.checkpoints import load_model
        from model.prediction import predict_probabilities
        from model.training import available_devices

        failures = []
        for path in candidates:
            try:
                loaded = load_model(path)
            except DigitpadError as exc:
                failures.append((str(path), str(exc)))
                continue
            except Exception as exc:  # a bug in the loader must not block start-up
                failures.append((str(path), f"{path}: unexpected {type(exc).__name__}: {exc}"))
                continue
            # One throw-away prediction pays torch's first-call set-up here, not
            # in the GUI thread when the user draws the first stroke.
            predict_probabilities(loaded.network, np.zeros((28, 28), dtype=np.float32))
            yield CoreLoaded(tuple(available_devices()), loaded, tuple(failures))
            return
        yield CoreLoaded(tuple(available_devices()), None, tuple(failures))

    return job


def shipped_models() -> list[Path]:
    """The models that ship with digitpad, best first (cnn beats mlp on MNIST)."""
    folder = shipped_models_dir()
    return [p for p in (folder / "cnn.pt", folder / "mlp.pt") if p.is_file()]


class MainWindow(QMainWindow):
    """``MainWindow()`` opens the user's last model, else the best shipped one;
    ``MainWindow(path)`` opens that model file."""

    modelChanged = Signal(str)  # path of the newly active model
    coreReady = Signal()

    def __init__(self, model_path: str | os.PathLike[str] | None = None) -> None:
        super().__init__()
        self.setWindowTitle("digitpad")
        self._settings = app_settings()
        self._requested_model = Path(model_path) if model_path is not None else None
        self._model: LoadedModel | None = None
        self._core_loaded = False
        self._dialog: QFileDialog | None = None

        self.draw_tab = DrawTab()
        self.train_tab = TrainTab()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        self.tabs.setAccessibleName("tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.draw_tab, "&Draw")
        self.tabs.addTab(self.train_tab, "&Train")
        self.setCentralWidget(self.tabs)

        self._model_label = QLabel("Loading model…")
        self._model_label.setObjectName("activeModelLabel")
        self.statusBar().addPermanentWidget(self._model_label)

        self._build_menus()
        self.train_tab.modelTrained.connect(self._on_model_trained)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self._restore_settings()

        self._candidates = self._startup_candidates()
        worker = Worker(_load_core(self._candidates))
        worker.event.connect(self._on_core_loaded)
        worker.failed.connect(self._on_core_failed)
        self._core_worker = WorkerHandle(worker, self)

    # -- menus -------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.open_action = QAction("&Open model…", self, shortcut=QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(self._on_open_requested)
        self.save_action = QAction("&Save model as…", self, shortcut=QKeySequence("Ctrl+S"))
        self.save_action.triggered.connect(self._on_save_requested)
        self.save_action.setEnabled(False)
        self.recent_menu = QMenu("Open &recent", self)
        self.recent_menu.setObjectName("recentMenu")
        quit_action = QAction("&Quit", self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(self.open_action)
        file_menu.addMenu(self.recent_menu)
        file_menu.addAction(self.save_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)

        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.addAction(self.draw_tab.undo_action)
        edit_menu.addAction(self.draw_tab.clear_action)

        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About the active model", self)
        about.triggered.connect(self._on_about_model)
        help_menu.addAction(about)
        self._rebuild_recent_menu()

    def _recent_models(self) -> list[str]:
        return self._settings.get_str_list("models/recent")

    def _remember_model(self, path: Path) -> None:
        recent = [str(path)] + [p for p in self._recent_models() if p != str(path)]
        self._settings.setValue("models/recent", recent[:MAX_RECENT])
        self._settings.setValue("models/last", str(path))
        self._rebuild_recent_menu()

    def _rebuild_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = [p for p in self._recent_models() if Path(p).is_file()]
        for path in recent:
            action = self.recent_menu.addAction(Path(path).name)
            action.setToolTip(path)
            action.triggered.connect(lambda _=False, p=path: self.open_model(p))
        self.recent_menu.setEnabled(bool(recent))

    @Slot(int)
    def _on_tab_changed(self, index: int) -> None:
        self.draw_tab.set_shortcuts_active(self.tabs.widget(index) is self.draw_tab)

    # -- model loading -----------------------------------------------------

    @property
    def model(self) -> LoadedModel | None:
        """The active model, or None until the core has loaded."""
        return self._model

    @property
    def core_loaded(self) -> bool:
        return self._core_loaded

    @Slot(str)
    def _on_core_failed(self, message: str) -> None:
        self._show_error("digitpad could not start its core", message)

    def _startup_candidates(self) -> list[Path]:
        """The requested model, else the user's last one, then the shipped ones."""
        candidates: list[Path] = []
        if self._requested_model is not None:
            candidates.append(self._requested_model)
        else:
            last = self._settings.get_str("models/last", "")
            if last and Path(last).is_file():
                candidates.append(Path(last))
        return candidates + [p for p in shipped_models() if p not in candidates]

    @Slot(object)
    def _on_core_loaded(self, result: CoreLoaded) -> None:
        import torch

        # Single-image inference is as fast on one thread and far steadier while a
        # training run keeps the cores busy; training sets its own thread count.
        torch.set_num_threads(1)
        self._core_loaded = True
        self.train_tab.set_devices(list(result.devices))
        self._report_restore_problems(result)
        if self._model is not None:
            pass  # the user opened a model while this one loaded: theirs wins
        elif result.model is not None:
            self._set_model(result.model)
        else:
            self._model_label.setText("No model: train one in the Train tab")
            self.draw_tab.set_model(None, "No model yet: train one in the Train tab")
        self.coreReady.emit()

    def _report_restore_problems(self, result: CoreLoaded) -> None:
        """One dialog for everything that could not be restored at start-up.

        Only the requested or remembered model counts, not a fallback; a
        remembered model that fails is forgotten, so the next launch is clean.
        """
        failed = bool(result.failures) and result.failures[0][0] == str(self._candidates[0])
        if failed and self._requested_model is not None:
            self._show_error("Could not open the model", result.failures[0][1])
            failed = False
        problems = list(self._settings.problems)
        self._settings.problems.clear()
        if failed:
            problems.append(result.failures[0][1])
            self._settings.remove("models/last")
        if not problems:
            return
        fallback = " and the shipped model" if failed else ""
        self._show_error(
            "Could not restore the last session",
            f"digitpad started with its defaults{fallback} instead of what it remembered:\n\n"
            + "\n".join(f"• {p}" for p in problems),
        )

    def open_model(self, path: str | os.PathLike[str], *, quiet: bool = False) -> bool:
        """Make the model at ``path`` active; on failure keep the current one and say why."""
        from model.checkpoints import load_model

        try:
            loaded = load_model(path)
        except DigitpadError as exc:
            if not quiet:
                self._show_error("Could not open the model", str(exc))
            return False
        self._set_model(loaded)
        return True

    def _set_model(self, loaded: LoadedModel) -> None:
        self._model = loaded
        self.draw_tab.set_model(loaded)
        self.save_action.setEnabled(loaded.path is not None)
        shipped = loaded.path is not None and loaded.path.parent == shipped_models_dir()
        origin = " (shipped)" if shipped else ""
        name = (
            loaded.title
            if loaded.title == loaded.network_name
            else f"{loaded.title} ({loaded.network_name})"
        )
        accuracy = loaded.card.accuracy_text()
        detail = f" · {accuracy}" if accuracy else ""
        self._model_label.setText(f"Model: {name}{origin}{detail}")
        self._model_label.setToolTip(str(loaded.path or ""))
        if loaded.path is not None:
            self._remember_model(loaded.path)
        self.modelChanged.emit(str(loaded.path or ""))

    @Slot(str)
    def _on_model_trained(self, path: str) -> None:
        if self.open_model(path):
            self.statusBar().showMessage(
                f"Training finished: {Path(path).name} is now the active model", 10000
            )

    # -- file dialogs (non-blocking, so tests and scripts can drive them) ----

    def _file_dialog(self, title: str, mode: QFileDialog.AcceptMode) -> QFileDialog:
        if self._dialog is not None:
            self._dialog.setObjectName("")  # findChild must find the new one
            self._dialog.deleteLater()
        dialog = QFileDialog(self, title, str(models_dir()), MODEL_FILTER)
        dialog.setObjectName("modelFileDialog")
        dialog.setAcceptMode(mode)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        if mode == QFileDialog.AcceptMode.AcceptOpen:
            dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        else:
            dialog.setDefaultSuffix("pt")
        self._dialog = dialog
        return dialog

    @Slot()
    def _on_open_requested(self) -> None:
        models_dir().mkdir(parents=True, exist_ok=True)
        dialog = self._file_dialog("Open model", QFileDialog.AcceptMode.AcceptOpen)
        dialog.fileSelected.connect(self.open_model)
        dialog.open()

    @Slot()
    def _on_save_requested(self) -> None:
        if self._model is None or self._model.path is None:
            return
        models_dir().mkdir(parents=True, exist_ok=True)
        dialog = self._file_dialog("Save model as", QFileDialog.AcceptMode.AcceptSave)
        dialog.selectFile(self._model.path.name)
        dialog.fileSelected.connect(self.save_model_as)
        dialog.open()

    def save_model_as(self, target: str | os.PathLike[str]) -> bool:
        """Copy the active model file to ``target`` atomically; it stays the active model."""
        if self._model is None or self._model.path is None:
            return False
        target_path = Path(target)
        if target_path.resolve() == self._model.path.resolve():
            return True
        try:
            atomic_copy(self._model.path, target_path)
        except OSError as exc:
            self._show_error("Could not save the model", f"{target_path}: {exc.strerror or exc}")
            return False
        self.statusBar().showMessage(f"Saved {target_path}", 5000)
        return True

    @Slot()
    def _on_about_model(self) -> None:
        if self._model is None:
            return
        box = QMessageBox(self)
        box.setWindowTitle("Active model")
        box.setTextFormat(Qt.TextFormat.MarkdownText)
        box.setText(self._model.card.markdown(self._model.title))
        box.open()

    def _show_error(self, title: str, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, parent=self)
        box.setObjectName("errorDialog")
        box.open()  # window-modal but not blocking: the app keeps running

    # -- remembered state ------------------------------------------------------

    def _restore_settings(self) -> None:
        geometry = self._settings.get_bytes("window/geometry")
        if geometry is None or geometry.isEmpty() or not self.restoreGeometry(geometry):
            self.resize(900, 620)
        self.tabs.setCurrentIndex(self._settings.get_int("window/tab", 0, 0, self.tabs.count() - 1))
        self._on_tab_changed(self.tabs.currentIndex())
        self.train_tab.load_settings(self._settings)

    def save_settings(self) -> None:
        self._settings.setValue("window/geometry", self.saveGeometry())
        self._settings.setValue("window/tab", self.tabs.currentIndex())
        self.train_tab.save_settings(self._settings)
        self._settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        self.train_tab.shutdown(2000)
        self._core_worker.shutdown(5000)
        event.accept()
