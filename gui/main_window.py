"""The main window: Draw and Train tabs, menus, status bar, remembered state.

The window paints before torch is imported: a background worker imports the
core, loads the model and runs it once, then hands it to the GUI thread, which
never waits on torch's start-up.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QProcess, Qt, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTabWidget,
)

from gui import i18n
from gui.collector import GuiThreadCollector
from gui.draw_tab import DrawTab
from gui.evaluate.tab import EvaluateTab
from gui.questions import Choice, ask
from gui.samples.tab import SamplesTab
from gui.settings import app_settings
from gui.train_tab import TrainTab
from gui.worker import Job, Worker, WorkerHandle
from model.errors import DigitpadError
from model.files import atomic_copy
from model.paths import models_dir, shipped_models_dir

if TYPE_CHECKING:
    from gui.library.dialog import LibraryDialog
    from model.checkpoints import LoadedModel

MAX_RECENT = 8
RECENT_LANGUAGE = "models/recent_labels_language"  # the language Open recent's names are in
# How Restart runs digitpad again: the launcher's entry point, in this interpreter.
RESTART_ARGS = ("-m", "gui")
MODEL_FILTER = QT_TRANSLATE_NOOP("MainWindow", "digitpad models (*.pt);;All files (*)")


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
                failures.append((str(path), i18n.error_text(exc)))
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
        self._history: list[Path] = []  # models that were active before, for Revert
        self._library: LibraryDialog | None = None
        self._quit_confirmed = False
        self._restart_requested = False
        # Before any worker starts: no worker thread may run a garbage collection.
        self._collector = GuiThreadCollector(self)
        self._collector.start()

        self.draw_tab = DrawTab()
        self.train_tab = TrainTab()
        self.evaluate_tab = EvaluateTab()
        self.samples_tab = SamplesTab()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        self.tabs.setAccessibleName("tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.draw_tab, self.tr("&Draw"))
        self.tabs.addTab(self.train_tab, self.tr("&Train"))
        self.tabs.addTab(self.evaluate_tab, self.tr("E&valuate"))
        self.tabs.addTab(self.samples_tab, self.tr("M&y handwriting"))
        self.setCentralWidget(self.tabs)

        self._model_label = QLabel(self.tr("Loading model…"))
        self._model_label.setObjectName("activeModelLabel")
        self._training_label = QLabel()  # a run's progress, seen from every tab
        self._training_label.setObjectName("trainingStatus")
        # As wide as its longest text, so the model's name beside it does not jitter.
        self._training_label.setMinimumWidth(
            self._training_label.fontMetrics().horizontalAdvance(
                self.tr("Training {network}: paused at {position}").format(
                    network="mlp",
                    position=self.tr("epoch {epoch}/{epochs}").format(epoch=100, epochs=100),
                )
                + " · "
                + i18n.percent(1.0, 0)
            )
        )
        self._training_label.hide()
        self.statusBar().addPermanentWidget(self._training_label)
        self.statusBar().addPermanentWidget(self._model_label)

        self._build_menus()
        self.train_tab.modelTrained.connect(self._on_model_trained)
        self.train_tab.runStarted.connect(self.draw_tab.follow.run_started)
        self.train_tab.weightsSnapshot.connect(self.draw_tab.follow.on_snapshot)
        self.train_tab.runEnded.connect(self.draw_tab.follow.run_ended)
        self.evaluate_tab.sendToDraw.connect(self._on_send_to_draw)
        self.train_tab.statusChanged.connect(self._on_training_status)
        self.samples_tab.personalized.connect(self._on_model_personalized)
        # One data folder for the app: Personalize and Evaluate read MNIST where training does.
        self.samples_tab.mnist_source = self.train_tab.mnist_source
        self.evaluate_tab.mnist_source = self.train_tab.mnist_source
        self.draw_tab.corrections.sampleSaved.connect(self.samples_tab.mark_stale)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self._restore_settings()

        self._candidates = self._startup_candidates()
        worker = Worker(_load_core(self._candidates))
        worker.event.connect(self._on_core_loaded)
        worker.failed.connect(self._on_core_failed)
        self._core_worker = WorkerHandle(worker, self)

    # -- menus -------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.open_action = QAction(
            self.tr("&Open model…"), self, shortcut=QKeySequence.StandardKey.Open
        )
        self.open_action.triggered.connect(self._on_open_requested)
        self.save_action = QAction(
            self.tr("&Save model as…"), self, shortcut=QKeySequence("Ctrl+S")
        )
        self.save_action.triggered.connect(self._on_save_requested)
        self.save_action.setEnabled(False)
        self.recent_menu = QMenu(self.tr("Open &recent"), self)
        self.recent_menu.setObjectName("recentMenu")
        self.library_action = QAction(
            self.tr("Model &library…"), self, shortcut=QKeySequence("Ctrl+L")
        )
        self.library_action.setStatusTip(self.tr("Every model: activate, rename, delete, compare"))
        self.library_action.triggered.connect(self.show_library)
        quit_action = QAction(self.tr("&Quit"), self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(self.open_action)
        file_menu.addMenu(self.recent_menu)
        file_menu.addAction(self.library_action)
        file_menu.addAction(self.save_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)

        # The Edit menu is shared: each feature adds its own group of actions.
        self.edit_menu = self.menuBar().addMenu(self.tr("&Edit"))
        self.edit_menu.setObjectName("editMenu")
        self.edit_menu.addAction(self.draw_tab.undo_action)
        self.edit_menu.addAction(self.draw_tab.redo_action)
        self.edit_menu.addAction(self.draw_tab.clear_action)
        self.edit_menu.addSeparator()
        self.revert_action = QAction(self.tr("&Revert to previous model"), self)
        self.revert_action.setObjectName("revertAction")
        self.revert_action.setStatusTip(
            self.tr("Make the model that was active before this one active again")
        )
        self.revert_action.triggered.connect(self.revert_to_previous_model)
        self.revert_action.setEnabled(False)
        self.edit_menu.addAction(self.revert_action)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.samples_tab.undo_action)  # delete/relabel of samples
        self.edit_menu.addAction(self.samples_tab.redo_action)

        self._build_language_menu()
        self.help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = QAction(self.tr("About the active &model"), self)
        about.triggered.connect(self._on_about_model)
        shortcuts = QAction(self.tr("&Keyboard shortcuts"), self, shortcut=QKeySequence("F1"))
        shortcuts.triggered.connect(self._on_shortcuts_help)
        about_app = QAction(self.tr("&About digitpad"), self)
        about_app.triggered.connect(self._on_about_app)
        self.help_menu.addAction(about)
        self.help_menu.addAction(shortcuts)
        self.help_menu.addSeparator()
        self.help_menu.addAction(about_app)
        self._rebuild_recent_menu()

    def _build_language_menu(self) -> None:
        """English / 简体中文 / the system's; the choice is remembered and applies on restart.

        Retranslating a live window would mean every widget re-setting every text
        it ever set (many are built from the run's state); a restart, offered at
        once, gives the same window in the other language with the state the app
        remembers anyway.
        """
        self.language_menu = self.menuBar().addMenu(self.tr("Lang&uage"))
        self.language_menu.setObjectName("languageMenu")
        group = QActionGroup(self)
        chosen = i18n.chosen_language(self._settings)
        choices = [(i18n.SYSTEM, self.tr("System default")), *i18n.LANGUAGES.items()]
        for code, text in choices:
            action = QAction(text, self, checkable=True)
            action.setObjectName(f"language_{code}")
            action.setData(code)
            action.setChecked(code == chosen)
            action.triggered.connect(lambda _=False, c=code: self.choose_language(c))
            group.addAction(action)
            self.language_menu.addAction(action)

    def choose_language(self, code: str) -> None:
        """Remember ``code`` (``system``, ``en``, ``zh_CN``); offer a restart if it changes the text."""
        self._settings.setValue(i18n.SETTING, code)
        for action in self.language_menu.actions():
            action.setChecked(action.data() == code)
        if i18n.resolve_language(code) == i18n.current_language():
            return
        ask(
            self,
            name="languageMessage",
            title=self.tr("Language"),
            text=self.tr("digitpad shows the new language when it starts again."),
            details=self.tr("Restart now? What you drew is not kept; the settings are."),
            icon=QMessageBox.Icon.Information,
            choices=[
                Choice(
                    self.tr("Restart now"),
                    "restartButton",
                    QMessageBox.ButtonRole.AcceptRole,
                    self.restart,
                ),
                Choice(self.tr("Later"), "laterButton", QMessageBox.ButtonRole.RejectRole),
            ],
        )

    def restart(self) -> None:
        """Close (asking first if a run is going) and start digitpad again, same arguments."""
        self._restart_requested = True
        self.close()

    def _recent_models(self) -> list[str]:
        return self._settings.get_str_list("models/recent")

    def _recent_labels(self) -> dict[str, str]:
        """The name each recent model had when it was last active (display name · accuracy)."""
        paths = self._recent_models()
        labels = self._settings.value("models/recent_labels", [])
        if isinstance(labels, str):
            labels = [labels]
        labels = [x for x in (labels or []) if isinstance(x, str)]
        return dict(zip(paths, labels, strict=False)) if len(labels) == len(paths) else {}

    def _remember_model(self, path: Path, label: str) -> None:
        labels = self._recent_labels()
        labels[str(path)] = label
        recent = ([str(path)] + [p for p in self._recent_models() if p != str(path)])[:MAX_RECENT]
        self._settings.setValue("models/recent", recent)
        self._settings.setValue("models/recent_labels", [labels.get(p, "") for p in recent])
        self._settings.setValue(RECENT_LANGUAGE, i18n.current_language())
        self._settings.setValue("models/last", str(path))
        self._rebuild_recent_menu()

    def _relabel_recent(self) -> None:
        """After a rename in the library: the menus show the new names."""
        from gui.library.labels import model_label
        from model.checkpoints import load_model

        recent = self._recent_models()
        labels = self._recent_labels()
        for path in recent:
            with contextlib.suppress(DigitpadError, OSError):
                labels[path] = model_label(load_model(path).card, Path(path))
        self._settings.setValue("models/recent_labels", [labels.get(p, "") for p in recent])
        self._settings.setValue(RECENT_LANGUAGE, i18n.current_language())
        self._rebuild_recent_menu()
        self.evaluate_tab.set_active_model(self._model)  # its model lists name them too

    def _rebuild_recent_menu(self) -> None:
        self.recent_menu.clear()
        labels = self._recent_labels()
        recent = [p for p in self._recent_models() if Path(p).is_file()]
        for path in recent:
            action = self.recent_menu.addAction(labels.get(path) or Path(path).name)
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
        self._show_error(self.tr("digitpad could not start its core"), message)

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
        # torch and the window are some 235,000 tracked objects that live as long
        # as the app: out of the collector's sight, the full collection each worker
        # start makes on this thread (gui.worker) takes 2 ms instead of 190 ms, a
        # stall of the window at every Evaluate or Train click. Freezing is
        # instant and frees nothing; ``closeEvent`` hands them back.
        gc.freeze()
        self._core_loaded = True
        # Open recent's names were written in the language of an earlier launch.
        written_in = self._settings.get_str(RECENT_LANGUAGE, i18n.ENGLISH)
        stale_names = bool(self._recent_models()) and written_in != i18n.current_language()
        self.train_tab.set_devices(list(result.devices))
        self._report_restore_problems(result)
        if self._model is not None:
            pass  # the user opened a model while this one loaded: theirs wins
        elif result.model is not None:
            self._set_model(result.model)
        else:
            self._model_label.setText(self.tr("No model: train one in the Train tab"))
            self.draw_tab.set_model(None, self.tr("No model yet: train one in the Train tab"))
        if stale_names:
            self._relabel_recent()
        self.coreReady.emit()

    def _report_restore_problems(self, result: CoreLoaded) -> None:
        """One dialog for everything that could not be restored at start-up.

        Only the requested or remembered model counts, not a fallback; a
        remembered model that fails is forgotten, so the next launch is clean.
        """
        failed = bool(result.failures) and result.failures[0][0] == str(self._candidates[0])
        if failed and self._requested_model is not None:
            self._show_error(self.tr("Could not open the model"), result.failures[0][1])
            failed = False
        problems = list(self._settings.problems)
        self._settings.problems.clear()
        if failed:
            problems.append(result.failures[0][1])
            self._settings.remove("models/last")
        if not problems:
            return
        intro = (
            self.tr(
                "digitpad started with its defaults and the shipped model instead of what it remembered:"
            )
            if failed
            else self.tr("digitpad started with its defaults instead of what it remembered:")
        )
        self._show_error(
            self.tr("Could not restore the last session"),
            intro + "\n\n" + "\n".join(f"• {p}" for p in problems),
        )

    def open_model(self, path: str | os.PathLike[str], *, quiet: bool = False) -> bool:
        """Make the model at ``path`` active; on failure keep the current one and say why."""
        from model.checkpoints import load_model

        try:
            loaded = load_model(path)
        except DigitpadError as exc:
            if not quiet:
                self._show_error(self.tr("Could not open the model"), i18n.error_text(exc))
            return False
        self._set_model(loaded)
        return True

    def _set_model(self, loaded: LoadedModel, *, remember: bool = True) -> None:
        """Make ``loaded`` active; ``remember`` keeps the one it replaces for Revert."""
        from gui.library.labels import model_label

        previous = self._model
        replaced = previous.path if previous is not None else None
        if remember and replaced is not None and replaced != loaded.path:
            self._history = [p for p in self._history if p != replaced]
            self._history.append(replaced)
        self._update_revert_action()
        self._model = loaded
        self.draw_tab.set_model(loaded)
        self.evaluate_tab.set_active_model(loaded)
        self.samples_tab.set_model(loaded)
        self.save_action.setEnabled(loaded.path is not None)
        shipped = loaded.path is not None and loaded.path.parent == shipped_models_dir()
        name = (
            loaded.title
            if loaded.title == loaded.network_name
            else f"{loaded.title} ({loaded.network_name})"
        )
        if shipped:
            name = self.tr("{name} (shipped)").format(name=name)
        accuracy = loaded.card.test_accuracy
        if accuracy == accuracy:  # not NaN: the card has a test run
            name += " · " + self.tr("{accuracy} test accuracy").format(
                accuracy=i18n.percent(accuracy, 2)
            )
        self._model_label.setText(self.tr("Model: {name}").format(name=name))
        self._model_label.setToolTip(str(loaded.path or ""))
        if loaded.path is not None:
            self._remember_model(loaded.path, model_label(loaded.card, loaded.path))
        if self._library is not None:
            self._library.set_active(loaded.path)
        self.modelChanged.emit(str(loaded.path or ""))

    def _update_revert_action(self) -> None:
        self._history = [p for p in self._history if p.is_file()]
        self.revert_action.setEnabled(bool(self._history))
        if self._history:
            self.revert_action.setText(
                self.tr("&Revert to previous model ({name})").format(name=self._history[-1].stem)
            )
        else:
            self.revert_action.setText(self.tr("&Revert to previous model"))

    @Slot()
    def revert_to_previous_model(self) -> bool:
        """Bring back the model that was active before the current one."""
        self._update_revert_action()
        if not self._history:
            return False
        path = self._history.pop()
        from model.checkpoints import load_model

        try:
            loaded = load_model(path)
        except DigitpadError as exc:
            self._update_revert_action()
            self._show_error(
                self.tr("Could not revert to the previous model"), i18n.error_text(exc)
            )
            return False
        self._set_model(loaded, remember=False)
        self._update_revert_action()
        self.statusBar().showMessage(self.tr("Reverted to {name}").format(name=loaded.title), 10000)
        return True

    @Slot(str)
    def _on_model_trained(self, path: str) -> None:
        """A run saved a model: it becomes active only if that cannot make things worse."""
        from model.activation import Verdict, decide
        from model.checkpoints import load_model

        try:
            loaded = load_model(path)
        except DigitpadError as exc:
            self._show_error(self.tr("Could not open the trained model"), i18n.error_text(exc))
            return
        previous = self._model
        active = previous.card.test_accuracy if previous is not None else None
        decision = decide(loaded.card.test_accuracy, active)
        if decision.verdict is Verdict.ACTIVATE:
            self._set_model(loaded)
            back = self._revert_hint(previous)
            self.statusBar().showMessage(
                self.tr("Training finished: {message}").format(
                    message=self.tr("The new model ({accuracy}) is now the active model.").format(
                        accuracy=i18n.percent(loaded.card.test_accuracy, 2)
                    )
                )
                + back,
                15000,
            )
            return
        ask(
            self,
            name="activationMessage",
            title=self.tr("The new model was not activated"),
            # model.activation.decide's message, in the reader's language.
            text=self.tr(
                "The new model reached {new}, {gap} points below the active model's {active}. "
                "It was kept in the library; the active model stays."
            ).format(
                new=i18n.percent(loaded.card.test_accuracy, 2),
                gap=i18n.number(100 * (active - loaded.card.test_accuracy), 2),
                active=i18n.percent(active, 2),
            )
            if active is not None
            else i18n.core_text(decision.message),
            details=self.tr("Open File → Model library to compare them, or activate it now."),
            icon=QMessageBox.Icon.Information,
            choices=[
                Choice(
                    self.tr("Keep the current model"),
                    "keepCurrentButton",
                    QMessageBox.ButtonRole.RejectRole,
                ),
                Choice(
                    self.tr("Activate it anyway"),
                    "activateAnywayButton",
                    QMessageBox.ButtonRole.AcceptRole,
                    lambda: self._set_model(loaded),
                ),
            ],
        )

    @Slot(str)
    def _on_training_status(self, text: str) -> None:
        self._training_label.setText(text)
        self._training_label.setVisible(bool(text))

    @Slot(str, str)
    def _on_compare_requested(self, first: str, second: str) -> None:
        """The library's Compare, on real images: the Evaluate tab runs both side by side."""
        self.evaluate_tab.select_models(first, second)
        self.tabs.setCurrentWidget(self.evaluate_tab)
        self.evaluate_tab.start()

    @Slot()
    def show_library(self) -> LibraryDialog:
        """Open (or raise) the model library window."""
        from gui.library.dialog import LibraryDialog

        if self._library is None:
            self._library = LibraryDialog(self)
            self._library.activateRequested.connect(self.open_model)
            self._library.modelsChanged.connect(self._relabel_recent)
            self._library.compareRequested.connect(self._on_compare_requested)
        self._library.refresh()
        self._library.set_active(self._model.path if self._model else None)
        if self._library.isVisible():  # behind the main window: bring it forward
            self._library.raise_()
            self._library.activateWindow()
        else:
            self._library.show()
        return self._library

    @Slot(object)
    def _on_send_to_draw(self, sample: object) -> None:
        self.draw_tab.show_sample(sample)
        self.tabs.setCurrentWidget(self.draw_tab)

    @Slot(str)
    def _on_model_personalized(self, path: str) -> None:
        previous = self._model
        if self.open_model(path):
            back = self._revert_hint(previous)
            self.statusBar().showMessage(
                self.tr("Personalized: {name} is now the active model.").format(
                    name=Path(path).name
                )
                + back,
                15000,
            )

    def _revert_hint(self, previous: LoadedModel | None) -> str:
        if previous is None:
            return ""
        return " " + self.tr("Edit → Revert brings back {name}.").format(name=previous.title)

    # -- file dialogs (non-blocking, so tests and scripts can drive them) ----

    def _file_dialog(self, title: str, mode: QFileDialog.AcceptMode) -> QFileDialog:
        if self._dialog is not None:
            self._dialog.setObjectName("")  # findChild must find the new one
            self._dialog.deleteLater()
        dialog = QFileDialog(self, title, str(models_dir()), self.tr(MODEL_FILTER))
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
        dialog = self._file_dialog(self.tr("Open model"), QFileDialog.AcceptMode.AcceptOpen)
        dialog.fileSelected.connect(self.open_model)
        dialog.open()

    @Slot()
    def _on_save_requested(self) -> None:
        if self._model is None or self._model.path is None:
            return
        models_dir().mkdir(parents=True, exist_ok=True)
        dialog = self._file_dialog(self.tr("Save model as"), QFileDialog.AcceptMode.AcceptSave)
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
            self._show_error(
                self.tr("Could not save the model"), f"{target_path}: {exc.strerror or exc}"
            )
            return False
        self.statusBar().showMessage(self.tr("Saved {path}").format(path=target_path), 5000)
        return True

    @Slot()
    def _on_about_model(self) -> None:
        if self._model is None:
            return
        from gui.card_dialog import ModelCardDialog

        lines = self._model.card.markdown_lines(self._model.title)
        text = "\n".join(i18n.core_text(line) for line in lines)
        ModelCardDialog(self.tr("Active model"), text, self).open()

    @Slot()
    def _on_shortcuts_help(self) -> None:
        from gui.help import shortcuts_text

        box = QMessageBox(self)
        box.setObjectName("shortcutsDialog")
        box.setWindowTitle(self.tr("Keyboard shortcuts"))
        box.setTextFormat(Qt.TextFormat.MarkdownText)
        box.setText(shortcuts_text(self))
        box.open()

    @Slot()
    def _on_about_app(self) -> None:
        from gui.help import about_text

        box = QMessageBox(self)
        box.setObjectName("aboutDialog")
        box.setWindowTitle(self.tr("About digitpad"))
        box.setTextFormat(Qt.TextFormat.MarkdownText)
        box.setText(about_text())
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
        self.evaluate_tab.load_settings(self._settings)

    def save_settings(self) -> None:
        self._settings.setValue("window/geometry", self.saveGeometry())
        self._settings.setValue("window/tab", self.tabs.currentIndex())
        self.train_tab.save_settings(self._settings)
        self.evaluate_tab.save_settings(self._settings)
        self._settings.sync()

    def request_quit(self) -> None:
        """Quit without asking (Ctrl+C in the terminal): a running run is stopped."""
        self._quit_confirmed = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.train_tab.is_training and not self._quit_confirmed:
            event.ignore()  # ask first: quitting would lose the run
            ask(
                self,
                name="quitMessage",
                title=self.tr("Quit digitpad?"),
                text=self.tr("Training is running ({position}). Stop and quit?").format(
                    position=self.train_tab.position_text()
                ),
                details=self.tr("The run is lost; the active model stays as it is."),
                choices=[
                    Choice(
                        self.tr("Stop and quit"),
                        "stopAndQuitButton",
                        QMessageBox.ButtonRole.AcceptRole,
                        self.request_quit,
                    ),
                    Choice(
                        self.tr("Keep training"),
                        "keepTrainingButton",
                        QMessageBox.ButtonRole.RejectRole,
                    ),
                ],
            )
            return
        self.save_settings()
        ended = [
            self.train_tab.shutdown(2000),
            self.evaluate_tab.shutdown(2000),
            self.samples_tab.shutdown(2000),
            self.draw_tab.shutdown(2000),
            self._core_worker.shutdown(5000),
        ]
        gc.unfreeze()  # what the window held can be collected again, here on the GUI thread
        if all(ended):  # a worker still ending (the app waits for it) must not collect either
            self._collector.stop()
        event.accept()
        if self._restart_requested:
            self._restart_requested = False
            QProcess.startDetached(sys.executable, [*RESTART_ARGS, *sys.argv[1:]])
