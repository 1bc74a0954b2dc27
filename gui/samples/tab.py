"""The "My handwriting" tab: the user's samples by digit, and the Personalize button.

Left, the digits with their counts (a drop target: drag samples onto a digit to
relabel them); right, a grid of thumbnails (``QListView`` over
``SamplesModel``: one view, rows painted on demand, so 10,000 samples scroll
like 10). Delete moves samples to the trash and Relabel moves them between
folders; both go on an undo stack whose Undo/Redo actions live in the Edit
menu. Import/Export write or read the whole store as a zip.

Personalize runs ``model.personalize.personalize`` in the one worker
(``gui.worker``), with progress and Stop like the Train tab. The new model
becomes active only if it is not worse on the user's samples (cross-validated)
nor on MNIST; otherwise the tab says so and offers it anyway.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QFileSystemWatcher,
    QSize,
    Qt,
    QTimer,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QDesktopServices,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QHideEvent,
    QIcon,
    QKeySequence,
    QPalette,
    QShowEvent,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from gui.i18n import (
    core_text,
    error_text,
    file_count,
    integer,
    number,
    percent,
    sample_count,
)
from gui.samples.model import MIME_TYPE, THUMBNAIL, SamplesModel
from gui.worker import Job, Worker, WorkerHandle
from model.errors import DigitpadError
from model.paths import new_model_path, samples_dir
from model.samples import Sample, SampleStore, TrashBatch

if TYPE_CHECKING:
    from model.checkpoints import LoadedModel
    from model.personalize import PersonalizeConfig

ZIP_FILTER = QT_TRANSLATE_NOOP("SamplesTab", "Zip archives (*.zip);;All files (*)")
ALL_ROW = 0  # the digit list's first row shows every sample
FOLDER_SETTLE_MS = 300  # quiet time after the last change in the folder before re-reading it


FolderState = tuple[tuple[int, int] | None, ...]


def folder_state(root: Path) -> FolderState:
    """Modification time and size of the store's folders: 11 stats, not a listing."""
    state: list[tuple[int, int] | None] = []
    for folder in SampleStore(root).folders():
        try:
            st = folder.stat()
        except OSError:
            state.append(None)
        else:
            state.append((st.st_mtime_ns, st.st_size))
    return tuple(state)


def personalize_job(
    base: LoadedModel, root: Path, out: Path, config: PersonalizeConfig | None = None
) -> Job:
    """Load the samples and fine-tune, all in the worker thread (decoding 10,000 PNGs takes a while)."""

    def job(stop: threading.Event, pause: threading.Event) -> Iterator[object]:
        import torch

        from gui.train_tab import training_threads
        from model.checkpoints import load_model
        from model.personalize import FromOrigin, origin_of, personalize
        from model.samples import load_images, scan_folder

        torch.set_num_threads(training_threads(torch.get_num_threads(), os.cpu_count()))
        start = origin_of(base)  # reads cards and loads the origin's file: base stays as is
        if start is not base:
            yield FromOrigin(start.title)
        elif base.path is not None:
            # A private copy: the Draw tab keeps predicting with the active one meanwhile.
            start = load_model(base.path)
        samples = load_images(scan_folder(root).samples)
        if stop.is_set():
            return
        yield from personalize(start, samples, config, out=out, stop=stop, pause=pause)

    return job


# -- undo -------------------------------------------------------------------------------


class _Delete(QUndoCommand):
    def __init__(self, tab: SamplesTab, samples: Sequence[Sample]) -> None:
        super().__init__(
            QCoreApplication.translate("SamplesTab", "Delete {samples}").format(
                samples=sample_count(len(samples))
            )
        )
        self._tab = tab
        self._samples = list(samples)
        self._batch: TrashBatch | None = None

    def redo(self) -> None:
        self._batch = self._tab.store().delete(self._samples)
        self._tab.refresh()

    def undo(self) -> None:
        if self._batch is not None:
            self._samples = self._tab.store().restore(self._batch)
            self._batch = None
        self._tab.refresh()


class _Relabel(QUndoCommand):
    def __init__(self, tab: SamplesTab, samples: Sequence[Sample], digit: int) -> None:
        super().__init__(
            QCoreApplication.translate("SamplesTab", "Relabel {samples} as {digit}").format(
                samples=sample_count(len(samples)), digit=digit
            )
        )
        self._tab = tab
        self._samples = list(samples)
        self._digit = digit
        self._moves: list[tuple[Sample, Sample]] = []

    def redo(self) -> None:
        self._moves = self._tab.store().relabel(self._samples, self._digit)
        self._tab.refresh()

    def undo(self) -> None:
        store = self._tab.store()
        self._samples = []
        for before, after in self._moves:
            [(_, back)] = store.relabel([after], before.label)
            self._samples.append(back)
        self._moves = []
        self._tab.refresh()


# -- views ------------------------------------------------------------------------------


class DigitList(QListWidget):
    """ "All" then the digits 0-9 with counts; dropping samples on a digit relabels them."""

    samplesDropped = Signal(list, int)  # image paths, digit

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("digitList")
        self.setAccessibleName(self.tr("Digits"))
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.addItem(QListWidgetItem(self.tr("All")))
        for digit in range(10):
            item = QListWidgetItem(str(digit))
            item.setToolTip(
                self.tr(
                    "The samples of the digit {digit}; drop samples here to relabel them"
                ).format(digit=digit)
            )
            self.addItem(item)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.setFixedWidth(120)

    def set_counts(self, counts: Sequence[int]) -> None:
        self.item(ALL_ROW).setText(f"{self.tr('All')}  ·  {integer(sum(counts))}")
        for digit, count in enumerate(counts):
            self.item(digit + 1).setText(f"{digit}  ·  {integer(count)}")

    def digit_at(self, row: int) -> int | None:
        return None if row <= ALL_ROW else row - 1

    def _drop_digit(self, event: QDropEvent | QDragMoveEvent) -> int | None:
        index = self.indexAt(event.position().toPoint())
        return self.digit_at(index.row()) if index.isValid() else None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(MIME_TYPE):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasFormat(MIME_TYPE) and self._drop_digit(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        digit = self._drop_digit(event)
        if not event.mimeData().hasFormat(MIME_TYPE) or digit is None:
            event.ignore()
            return
        raw = bytes(event.mimeData().data(MIME_TYPE).data()).decode()
        event.setDropAction(Qt.DropAction.CopyAction)  # the view must not remove rows itself
        event.accept()
        self.samplesDropped.emit([p for p in raw.splitlines() if p], digit)


class SamplesTab(QWidget):
    """Browse, relabel, delete, import and export the samples; personalize the active model."""

    personalized = Signal(str)  # a personalized model to make active (its path)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("samplesTab")
        self._model_in_use: LoadedModel | None = None
        self._handle: WorkerHandle | None = None
        self._busy = False  # a job runs (its thread may outlive it by a moment)
        self._result_path: str | None = None
        self._origin: str | None = None  # the model Personalize started again from
        self._active = False
        self._stale = False
        self._seen: FolderState = ()  # the folders as the last re-read found them
        self._dialog: QFileDialog | None = None
        self.config: PersonalizeConfig | None = None  # None: the recipe's defaults
        # Where MNIST is and whether to fetch it (the Train tab's, set by the main window).
        self.mnist_source: Callable[[], tuple[str | None, bool]] | None = None

        self.undo_stack = QUndoStack(self)
        self.undo_action = QAction(QIcon.fromTheme(QIcon.ThemeIcon.EditUndo), self.tr("Undo"), self)
        self.undo_action.setObjectName("samplesUndoAction")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = QAction(QIcon.fromTheme(QIcon.ThemeIcon.EditRedo), self.tr("Redo"), self)
        self.redo_action.setObjectName("samplesRedoAction")
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        self.undo_action.triggered.connect(self.undo_stack.undo)
        self.redo_action.triggered.connect(self.undo_stack.redo)
        self.undo_stack.indexChanged.connect(self._sync_undo)
        self.addAction(self.undo_action)
        self.addAction(self.redo_action)

        self.model = SamplesModel(self)
        self.digits = DigitList(self)
        self.view = QListView(self)
        self.view.setObjectName("samplesView")
        self.view.setAccessibleName(self.tr("Samples"))
        self.view.setModel(self.model)
        self.view.setViewMode(QListView.ViewMode.IconMode)
        self.view.setIconSize(QSize(THUMBNAIL, THUMBNAIL))
        self.view.setGridSize(QSize(THUMBNAIL + 10, THUMBNAIL + 10))
        self.view.setUniformItemSizes(True)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setMovement(QListView.Movement.Static)
        self.view.setLayoutMode(QListView.LayoutMode.Batched)
        self.view.setBatchSize(500)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

        self.delete_action = QAction(
            QIcon.fromTheme(QIcon.ThemeIcon.EditDelete), self.tr("&Delete"), self
        )
        self.delete_action.setShortcuts(
            [QKeySequence(QKeySequence.StandardKey.Delete), QKeySequence(Qt.Key.Key_Backspace)]
        )
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_action.triggered.connect(self.delete_selected)
        self.view.addAction(self.delete_action)
        self.relabel_menu = QMenu(self.tr("&Relabel as"), self)
        self.relabel_menu.setObjectName("relabelMenu")
        for digit in range(10):
            action = self.relabel_menu.addAction(str(digit))
            action.setObjectName(f"relabelAs{digit}")
            action.triggered.connect(lambda _=False, d=digit: self.relabel_selected(d))

        self._build_buttons()
        self._layout()

        self.digits.currentRowChanged.connect(self._on_digit_chosen)
        self.digits.samplesDropped.connect(self._on_samples_dropped)
        self.view.customContextMenuRequested.connect(self._on_context_menu)
        self.view.selectionModel().selectionChanged.connect(self._sync_selection)
        # Pictures copied into the folder with a file manager ("Open folder") show up
        # without a restart. While the tab is shown Qt watches the folders, not the
        # files: 11 watches for any number of samples, and a burst of changes (a folder
        # copied in) is one re-read. A hidden tab watches nothing: it compares the
        # folders' times when it is shown again.
        self._watcher: QFileSystemWatcher | None = None  # made when first shown
        self._changed = QTimer(self)
        self._changed.setSingleShot(True)
        self._changed.setInterval(FOLDER_SETTLE_MS)
        self._changed.timeout.connect(self._on_folder_settled)

        self.digits.setCurrentRow(ALL_ROW)
        store = self.store()
        store.purge_trash()
        self.refresh()
        self._sync_undo()

    def _build_buttons(self) -> None:
        self.summary = QLabel(self)
        self.summary.setObjectName("samplesSummary")
        self.summary.setWordWrap(True)
        # With no samples the grid's place says how to make some: a sentence squeezed
        # into the tool row wrapped into a narrow column (in Chinese, six lines).
        self.empty_hint = QLabel(
            self.tr(
                "No samples yet: on the Draw tab, draw a digit and press its key (or Enter if "
                "digitpad read it right)."
            ),
            self,
        )
        self.empty_hint.setObjectName("samplesEmptyHint")
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setMargin(24)
        self.empty_hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.import_button = QPushButton(self.tr("Import…"), self)
        self.import_button.setObjectName("importSamplesButton")
        self.import_button.setToolTip(self.tr("Add the samples of a zip exported by digitpad"))
        self.import_button.clicked.connect(self._on_import_requested)
        self.export_button = QPushButton(self.tr("Export…"), self)
        self.export_button.setObjectName("exportSamplesButton")
        self.export_button.setToolTip(self.tr("Save all your samples in one zip"))
        self.export_button.clicked.connect(self._on_export_requested)
        self.open_button = QPushButton(self.tr("Open folder"), self)
        self.open_button.setObjectName("openSamplesFolderButton")
        self.open_button.setToolTip(
            self.tr("One folder per digit: add or remove pictures as you like")
        )
        self.open_button.clicked.connect(self._on_open_folder)
        self.delete_button = QPushButton(self.delete_action.icon(), self.tr("Delete"), self)
        self.delete_button.setObjectName("deleteSamplesButton")
        self.delete_button.setToolTip(
            self.tr("Move the selected samples to the trash (Edit → Undo)")
        )
        self.delete_button.clicked.connect(self.delete_selected)
        self.relabel_button = QPushButton(self.tr("Relabel as"), self)
        self.relabel_button.setObjectName("relabelButton")
        self.relabel_button.setMenu(self.relabel_menu)

        self.personalize_button = QPushButton(self.tr("Personalize"), self)
        self.personalize_button.setObjectName("personalizeButton")
        self.personalize_button.setToolTip(
            self.tr(
                "Fine-tune the active model on your samples and show the gain, measured on "
                "samples it did not train on"
            )
        )
        self.personalize_button.clicked.connect(self.start_personalize)
        self.stop_button = QPushButton(self.tr("Stop"), self)
        self.stop_button.setObjectName("personalizeStopButton")
        self.stop_button.setToolTip(self.tr("Stop; nothing is saved and the current model stays"))
        self.stop_button.clicked.connect(self.stop_personalize)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("personalizeProgress")
        self.progress.setTextVisible(True)
        self.progress.setFormat("")
        self.result = QLabel(self)
        self.result.setObjectName("personalizeResult")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.hide()  # shown with its first outcome: an empty line would be a gap
        self.use_anyway_button = QPushButton(self.tr("Use it anyway"), self)
        self.use_anyway_button.setObjectName("useAnywayButton")
        self.use_anyway_button.clicked.connect(self._on_use_anyway)
        self.use_anyway_button.hide()

    def _layout(self) -> None:
        tools = QHBoxLayout()
        tools.addWidget(self.summary, 1)
        for button in (self.relabel_button, self.delete_button):
            tools.addWidget(button)
        tools.addSpacing(12)
        for button in (self.import_button, self.export_button, self.open_button):
            tools.addWidget(button)
        personal = QHBoxLayout()
        personal.addWidget(self.personalize_button)
        personal.addWidget(self.stop_button)
        personal.addWidget(self.progress, 1)
        right = QVBoxLayout()
        right.addLayout(tools)
        self.grid_or_hint = QStackedWidget(self)
        self.grid_or_hint.addWidget(self.view)
        self.grid_or_hint.addWidget(self.empty_hint)
        right.addWidget(self.grid_or_hint, 1)
        # The outcome above the buttons: a long one takes room from the grid, and the
        # Personalize button stays where the pointer left it.
        result = QHBoxLayout()
        result.addWidget(self.result, 1)
        result.addWidget(self.use_anyway_button)
        right.addLayout(result)
        right.addLayout(personal)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addWidget(self.digits)
        layout.addLayout(right, 1)
        self._sync_controls()

    # -- public API ---------------------------------------------------------------------

    def store(self) -> SampleStore:
        """``DIGITPAD_SAMPLES`` or the user folder, read each time (the CLI's rule)."""
        return SampleStore(samples_dir())

    def set_model(self, loaded: LoadedModel | None) -> None:
        """The model Personalize starts from (the active one)."""
        self._model_in_use = loaded
        self._sync_controls()

    def refresh(self) -> None:
        """Re-read the folder (a listing, no decoding: cheap even for 10,000 samples)."""
        self._seen = folder_state(self.store().root)  # before the listing: a change during it shows
        scan = self.store().scan()
        selected = {s.path for s in self.selected_samples()}
        self.model.set_samples(scan.samples)
        counts = self.model.counts()
        self.digits.set_counts(counts)
        total = sum(counts)
        text = (
            self.tr("{samples} of your handwriting").format(samples=sample_count(total))
            if total
            else self.tr("No samples yet")
        )
        self.grid_or_hint.setCurrentWidget(self.view if total else self.empty_hint)
        if scan.problem is not None:  # no folder to list: say why, not "1 file skipped"
            text = core_text(scan.problem)
            text = text[:1].upper() + text[1:]  # the CLI's line, as a sentence here
            self.summary.setToolTip("")
        elif scan.warnings:
            text += " · " + self.tr("{files} skipped").format(files=file_count(len(scan.warnings)))
            self.summary.setToolTip("\n".join(map(core_text, scan.warnings[:20])))
        else:
            self.summary.setToolTip(str(self.store().root))
        self.summary.setText(text)
        if self.isVisible():
            self._watch(self.store().root)
        if selected:
            selection = self.view.selectionModel()
            for row in range(self.model.rowCount()):
                if self.model.sample(row).path in selected:
                    selection.select(self.model.index(row), selection.SelectionFlag.Select)
        self._sync_controls()

    def _watch(self, root: Path) -> None:
        """Watch ``root`` and its digit folders; the nearest existing parent while it is missing."""
        if self._watcher is None:
            self._watcher = QFileSystemWatcher(self)
            self._watcher.directoryChanged.connect(self._on_folder_changed)
        wanted = {str(f) for f in SampleStore(root).folders() if f.is_dir()}
        if not wanted:
            parent = next((p for p in root.parents if p.is_dir()), None)
            wanted = {str(parent)} if parent is not None else set()
        watched = set(self._watcher.directories())
        if watched - wanted:
            self._watcher.removePaths(sorted(watched - wanted))
        if wanted - watched:
            self._watcher.addPaths(sorted(wanted - watched))

    @Slot(str)
    def _on_folder_changed(self, _folder: str) -> None:
        self._changed.start()  # restarted by every change: settles after the last one

    @Slot()
    def _on_folder_settled(self) -> None:
        """Re-read when the folders changed since the last re-read (not for the tab's own edits)."""
        if not self.isVisible():
            return  # hidden since the change: showing compares the folders' times
        root = self.store().root
        if folder_state(root) != self._seen:
            self.refresh()  # listing 10,000 samples takes about 60 ms: only when needed
        else:
            self._watch(root)

    def selected_samples(self) -> list[Sample]:
        return self.model.samples_at(self.view.selectionModel().selectedIndexes())

    def is_running(self) -> bool:
        """A Personalize job runs, or its thread has not ended yet."""
        return self._busy or (self._handle is not None and self._handle.running)

    def delete_selected(self) -> None:
        samples = self.selected_samples()
        if samples:
            self.undo_stack.push(_Delete(self, samples))

    def relabel_selected(self, digit: int) -> None:
        self.relabel([s for s in self.selected_samples() if s.label != digit], digit)

    def relabel(self, samples: Sequence[Sample], digit: int) -> None:
        if samples:
            self.undo_stack.push(_Relabel(self, samples, digit))

    def import_zip(self, path: str | os.PathLike[str]) -> bool:
        try:
            result = self.store().import_zip(path)
        except (DigitpadError, OSError) as exc:
            self._show_error(self.tr("Could not import the samples"), error_text(exc))
            return False
        self.refresh()
        parts = [self.tr("Imported {samples}").format(samples=sample_count(result.added))]
        if result.duplicates:
            parts.append(self.tr("{count} already here").format(count=integer(result.duplicates)))
        if result.warnings:
            parts.append(self.tr("{files} skipped").format(files=file_count(len(result.warnings))))
        self._say(self.tr("{parts}.").format(parts=self.tr(", ").join(parts)))
        return True

    def export_zip(self, path: str | os.PathLike[str]) -> bool:
        try:
            count = self.store().export_zip(path)
        except (DigitpadError, OSError) as exc:
            self._show_error(self.tr("Could not export the samples"), error_text(exc))
            return False
        self._say(
            self.tr("Exported {samples} to {path}.").format(samples=sample_count(count), path=path)
        )
        return True

    def _say(self, text: str) -> None:
        """The outcome line above the buttons, hidden while there is none."""
        self.result.setText(text)
        self.result.setVisible(bool(text))

    def shutdown(self, timeout_ms: int = 2000) -> bool:
        return self._handle.shutdown(timeout_ms) if self._handle is not None else True

    # -- personalize --------------------------------------------------------------------

    def start_personalize(self) -> None:
        if self._busy or self._model_in_use is None:
            return
        self.refresh()  # the grid shows exactly what the job reads from the folder
        if not self.model.all_samples():
            self._show_error(
                self.tr("No samples yet"),
                self.tr("Save a few digits on the Draw tab first (keys 0-9)."),
            )
            return
        base = self._model_in_use
        out = new_model_path(f"{base.network_name}-personal")
        self._result_path = None
        self._origin = None
        self.use_anyway_button.hide()
        self._say("")
        self.progress.setRange(0, 0)  # busy until the first step
        self.progress.setFormat(self.tr("Loading your samples and MNIST…"))
        config = self.config
        if self.mnist_source is not None:
            from model.personalize import PersonalizeConfig

            folder, download = self.mnist_source()
            config = replace(config or PersonalizeConfig(), data_dir=folder, download=download)
        worker = Worker(personalize_job(base, self.store().root, out, config))
        worker.event.connect(self._on_event)
        worker.failed.connect(self._on_failed)
        worker.finished.connect(self._on_finished)
        self._busy = True
        self._handle = WorkerHandle(worker, self)
        self._sync_controls()

    def stop_personalize(self) -> None:
        if self._handle is not None:
            self._handle.request_stop()
            self.progress.setFormat(self.tr("Stopping…"))

    @Slot(object)
    def _on_event(self, event: object) -> None:
        from model.events import DataProgress
        from model.personalize import (
            FromOrigin,
            PersonalizeFinished,
            PersonalizeProgress,
            PersonalizeStarted,
        )

        if isinstance(event, FromOrigin):
            self._origin = event.title
        elif isinstance(event, DataProgress):
            if event.total > 0:  # a known amount of work: a filling bar, not a busy one
                self.progress.setRange(0, event.total)
                self.progress.setValue(event.done)
            self.progress.setFormat(core_text(event.message) + "…")
        elif isinstance(event, PersonalizeStarted):
            self.progress.setRange(0, event.total_steps)
            self.progress.setValue(0)
            if event.folds:
                plan = self.tr("{folds}-fold check + final model").format(folds=event.folds)
            else:
                plan = self.tr("final model")
            self.progress.setFormat(f"{sample_count(event.samples)}: {plan}")
        elif isinstance(event, PersonalizeProgress):
            self.progress.setValue(event.step)
            eta = round(event.eta_seconds)
            self.progress.setFormat(
                self.tr("{stage} · %p % · about {eta} s left").format(
                    stage=self._stage_text(event.stage), eta=eta
                )
            )
        elif isinstance(event, PersonalizeFinished):
            self._on_personalize_finished(event)

    def _stage_text(self, stage: str) -> str:
        """The core's "fold 2 of 5" / "final model" in the reader's language."""
        match = re.fullmatch(r"fold (\d+) of (\d+)", stage)
        if match:
            return self.tr("fold {n} of {folds}").format(n=match[1], folds=match[2])
        return self.tr("final model") if stage == "final model" else stage

    def _on_personalize_finished(self, event) -> None:
        self.progress.setRange(0, 1)
        if event.stopped or event.after is None:
            self.progress.setValue(0)
            self.progress.setFormat(self.tr("Stopped"))
            self._say(self.tr("Stopped: nothing saved; the active model is unchanged."))
            return
        self.progress.setValue(1)
        self.progress.setFormat(self.tr("Done"))
        # model.personalize.describe's summary, in the reader's language.
        before, after = event.before, event.after
        summary = self.tr(
            "Your handwriting: {before} → {after} · MNIST: {m_before} → {m_after}"
        ).format(
            before=percent(before.samples_accuracy, 0),
            after=percent(after.samples_accuracy, 0),
            m_before=percent(before.mnist_accuracy, 1),
            m_after=percent(after.mnist_accuracy, 1),
        )
        self._result_path = event.model_path
        if self._origin is not None:
            # Before/after are against the origin, not the personalized model it replaces.
            summary = self.tr(
                "Started again from {model}, the model yours was made from, with your {samples}. "
                "{summary}"
            ).format(model=self._origin, samples=sample_count(event.samples), summary=summary)
        if event.not_worse:
            from model.personalize import MNIST_TOLERANCE  # loaded already: the run imported it

            drop = before.mnist_accuracy - after.mnist_accuracy
            if drop > 0:  # say why a model that reads less of MNIST still became active
                text = self.tr(
                    "{summary}. The personalized model is now active: {drop} points less on "
                    "MNIST is within the {allowed} allowed for learning your digits."
                ).format(
                    summary=summary,
                    drop=number(100 * drop, 2),
                    allowed=number(100 * MNIST_TOLERANCE, 1),
                )
            else:
                text = self.tr("{summary}. The personalized model is now active.").format(
                    summary=summary
                )
            self._say(text)
            if event.model_path:
                self.personalized.emit(event.model_path)
        else:
            worse = (
                self.tr("your samples")
                if event.after.samples_accuracy < event.before.samples_accuracy
                else "MNIST"
            )
            name = Path(event.model_path).name if event.model_path else self.tr("it")
            self._say(
                self.tr(
                    "{summary}. Worse on {worse}, so the active model stays; {name} is saved "
                    "if you want it anyway."
                ).format(summary=summary, worse=worse, name=name)
            )
            self.use_anyway_button.setVisible(event.model_path is not None)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat(self.tr("Failed"))
        self._say(self.tr("Personalize failed: {message}").format(message=message))

    @Slot()
    def _on_finished(self) -> None:
        self._busy = False
        self._sync_controls()

    @Slot()
    def _on_use_anyway(self) -> None:
        if self._result_path:
            self.use_anyway_button.hide()
            self.personalized.emit(self._result_path)

    # -- slots --------------------------------------------------------------------------

    @Slot(int)
    def _on_digit_chosen(self, row: int) -> None:
        self.model.set_digit(self.digits.digit_at(row))
        self._sync_controls()

    @Slot(list, int)
    def _on_samples_dropped(self, paths: list[str], digit: int) -> None:
        wanted = set(paths)
        samples = [s for s in self.model.all_samples() if str(s.path) in wanted]
        self.relabel([s for s in samples if s.label != digit], digit)

    @Slot()
    def _on_context_menu(self, pos) -> None:
        if not self.selected_samples():
            return
        menu = QMenu(self)
        menu.addMenu(self.relabel_menu)
        menu.addAction(self.delete_action)
        menu.popup(self.view.viewport().mapToGlobal(pos))

    @Slot()
    def _sync_selection(self) -> None:
        self._sync_controls()

    def _sync_controls(self) -> None:
        has_selection = bool(self.view.selectionModel().hasSelection())
        self.delete_button.setEnabled(has_selection)
        self.delete_action.setEnabled(has_selection)
        self.relabel_button.setEnabled(has_selection)
        running = self._busy
        has_samples = bool(self.model.all_samples())
        self.personalize_button.setEnabled(
            not running and has_samples and self._model_in_use is not None
        )
        self.stop_button.setEnabled(running)
        self.import_button.setEnabled(not running)
        self.export_button.setEnabled(has_samples)

    @Slot()
    def _sync_undo(self) -> None:
        """Undo/Redo act only while this tab is shown: Ctrl+Z on the Draw tab undoes a stroke."""
        stack = self.undo_stack
        self.undo_action.setText(
            self.tr("Undo {what}").format(what=stack.undoText())
            if stack.canUndo()
            else self.tr("Undo")
        )
        self.redo_action.setText(
            self.tr("Redo {what}").format(what=stack.redoText())
            if stack.canRedo()
            else self.tr("Redo")
        )
        self.undo_action.setEnabled(self._active and stack.canUndo())
        self.redo_action.setEnabled(self._active and stack.canRedo())

    def mark_stale(self) -> None:
        """The folder changed behind the tab's back (a sample saved on the Draw tab)."""
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        self._active = True
        super().showEvent(event)  # visible from here on: refresh() watches the folders
        root = self.store().root
        if self._stale or folder_state(root) != self._seen:
            self._stale = False
            self.refresh()
        else:
            self._watch(root)
        self._sync_undo()

    def hideEvent(self, event: QHideEvent) -> None:
        self._active = False
        self._changed.stop()
        if self._watcher is not None and self._watcher.directories():
            self._watcher.removePaths(self._watcher.directories())
        self._sync_undo()
        super().hideEvent(event)

    # -- dialogs ------------------------------------------------------------------------

    def _file_dialog(self, title: str, mode: QFileDialog.AcceptMode) -> QFileDialog:
        if self._dialog is not None:
            self._dialog.setObjectName("")
            self._dialog.deleteLater()
        dialog = QFileDialog(self, title, str(Path.home()), self.tr(ZIP_FILTER))
        dialog.setObjectName("samplesFileDialog")
        dialog.setAcceptMode(mode)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        if mode == QFileDialog.AcceptMode.AcceptOpen:
            dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        else:
            dialog.setDefaultSuffix("zip")
            dialog.selectFile("digitpad-samples.zip")
        self._dialog = dialog
        return dialog

    @Slot()
    def _on_import_requested(self) -> None:
        dialog = self._file_dialog(self.tr("Import samples"), QFileDialog.AcceptMode.AcceptOpen)
        dialog.fileSelected.connect(self.import_zip)
        dialog.open()

    @Slot()
    def _on_export_requested(self) -> None:
        dialog = self._file_dialog(self.tr("Export samples"), QFileDialog.AcceptMode.AcceptSave)
        dialog.fileSelected.connect(self.export_zip)
        dialog.open()

    @Slot()
    def _on_open_folder(self) -> None:
        store = self.store()
        store.ensure_layout()
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(store.root)))

    def _show_error(self, title: str, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, parent=self)
        box.setObjectName("errorDialog")
        box.open()
