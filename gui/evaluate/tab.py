"""The Evaluate tab: run a model (or two) over a data set and look inside the results.

The run is ``model.eval_run.run_evaluation`` in the one worker: progress,
Cancel, errors in the tab. Results are ``Report``s holding every image's
probabilities, so the matrix, the per-class table, the most confused pairs and
the gallery are all views of the same numbers (and of ``digitpad evaluate``'s).
A loaded data set is kept for the session: a second run on it starts at once.
"""

from __future__ import annotations

import hashlib
import html
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QBuffer,
    QCoreApplication,
    QEvent,
    QIODevice,
    QObject,
    QSettings,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QShowEvent, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gui.evaluate.gallery import Gallery
from gui.evaluate.matrix import ConfusionMatrix
from gui.i18n import (
    core_text,
    file_count,
    image_count,
    integer,
    number,
    path_text,
    percent,
    sample_count,
)
from gui.library.labels import ModelLabels
from gui.worker import Job, Worker, WorkerHandle
from model.eval_sets import LabelledImages, LoadProgress, default_pen_data_dir
from model.files import atomic_writer
from model.mnist_files import or_shipped_part
from model.paths import (
    default_data_dir,
    models_dir,
    samples_dir,
    shipped_mnist_dir,
    shipped_models_dir,
)
from model.samples import Scan, scan_folder

if TYPE_CHECKING:
    from model.checkpoints import LoadedModel
    from model.eval_run import DataChoice, ModelChoice
    from model.evaluation import Report

ACTIVE = "active"  # the model combos' entry for "whatever model is active"
NONE = ""
DATA_KINDS = (
    ("mnist", QT_TRANSLATE_NOOP("EvaluateTab", "MNIST test")),
    ("pen", QT_TRANSLATE_NOOP("EvaluateTab", "Real pen digits (UNIPEN)")),
    ("samples", QT_TRANSLATE_NOOP("EvaluateTab", "Your handwriting")),
)
NO_SAMPLES = QT_TRANSLATE_NOOP(
    "EvaluateTab",
    "No samples yet: draw a digit on the Draw tab and press its key (0-9) to save it, "
    "or import a zip on the My handwriting tab.",
)
ERROR_STYLE = "QLabel { color: #b3261e; }"


def _evaluation_job(models: list[ModelChoice], data: DataChoice | LabelledImages) -> Job:
    def job(stop: threading.Event, pause: threading.Event) -> Iterator[object]:
        from model.eval_run import run_evaluation

        yield from run_evaluation(models, data, stop)

    return job


def _samples_key(folder: Path, scan: Scan) -> tuple[str, ...]:
    """The cache key of the samples as they are now: adding, deleting or relabelling changes it."""
    names = "\n".join(str(s.path) for s in scan.samples).encode()
    return ("samples", str(folder.expanduser().resolve()), hashlib.sha1(names).hexdigest())


def _percent(x: float) -> str:
    return QCoreApplication.translate("EvaluateTab", "n/a") if np.isnan(x) else percent(x, 2)


def _item(text: str, align_right: bool = True) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _table(name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return table


class EvaluateTab(QWidget):
    """Model and data pickers, the confusion matrix (two in comparison), figures and images."""

    sendToDraw = Signal(object)  # a gui.evaluate.gallery.SampleToShow
    evaluationFinished = Signal()  # results shown (not emitted when cancelled or failed)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evaluateTab")
        self._active: LoadedModel | None = None
        self._handle: WorkerHandle | None = None
        self._cache: dict[tuple[str, ...], LabelledImages] = {}
        self._pending: DataChoice | None = None
        self._pending_key: tuple[str, ...] = ("", "")
        self._sample_count = 0
        self._pair_cells: list[tuple[int, int]] = []
        self._disagreements: tuple[np.ndarray, np.ndarray] = (np.zeros(0, int), np.zeros(0, int))
        self._running_titles: list[str] = []
        self._data: LabelledImages | None = None
        self._reports: list[Report] = []
        self._run_reports: list[Report] = []
        self._run_notes: list[str | None] = []  # per report: why it is no test (eval_run)
        self._run_data: LabelledImages | None = None  # the held-out pen digits, if narrowed
        # "" for MNIST: the app's data folder (the Train tab's), until one is chosen here.
        self._folders = {"mnist": "", "pen": str(default_pen_data_dir() or "")}
        # The Train tab's data folder and download choice (gui.train_tab.TrainTab.mnist_source).
        self.mnist_source: Callable[[], tuple[str | None, bool]] | None = None
        self._dialog: QFileDialog | None = None
        self._labels = ModelLabels()

        self._build_controls()
        self._build_results()
        self._layout()
        self._refresh_model_lists()
        self.refresh_samples()
        self._update_controls()

    # -- construction ------------------------------------------------------

    def _build_controls(self) -> None:
        self.model_combo = QComboBox(self)
        self.model_combo.setObjectName("evaluateModelCombo")
        self.model_combo.setAccessibleName(self.tr("Model to evaluate"))
        self.compare_combo = QComboBox(self)
        self.compare_combo.setObjectName("compareModelCombo")
        self.compare_combo.setAccessibleName(self.tr("Model to compare with"))
        self.compare_combo.setToolTip(
            self.tr(
                "Run a second model on the same images: see which images one reads right "
                "and the other wrong (e.g. mlp against cnn, or before and after personalising)."
            )
        )
        for combo in (self.model_combo, self.compare_combo):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(14)
            combo.activated.connect(self._on_model_combo_activated)
        self.data_combo = QComboBox(self)
        self.data_combo.setObjectName("dataSetCombo")
        self.data_combo.setAccessibleName(self.tr("Data set"))
        for kind, label in DATA_KINDS:
            self.data_combo.addItem(self.tr(label), kind)
        self.data_combo.currentIndexChanged.connect(self._on_data_changed)
        self.folder_label = QLabel(self)
        self.folder_label.setObjectName("dataFolderLabel")
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # A long path must not widen the window: the label takes what is left (tooltip: all).
        self.folder_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.folder_button = QPushButton(self.tr("Folder…"), self)
        self.folder_button.setObjectName("dataFolderButton")
        self.folder_button.setToolTip(self.tr("Choose the folder that holds this data set"))
        self.folder_button.clicked.connect(self._on_folder_clicked)
        self.run_button = QPushButton(self.tr("Evaluate"), self)
        self.run_button.setObjectName("evaluateButton")
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("cancelEvaluateButton")
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("evaluateProgress")
        self.progress.setTextVisible(True)
        self.progress.setFormat(self.tr("Ready"))
        self.progress.setValue(0)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("evaluateError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()

    def _build_results(self) -> None:
        self.matrix = ConfusionMatrix(self)
        self.matrix_b = ConfusionMatrix(self, name="confusionMatrixB")
        self.caption = QLabel("", self)
        self.caption.setObjectName("matrixCaption")
        self.caption_b = QLabel("", self)
        self.caption_b.setObjectName("matrixCaptionB")
        for caption in (self.caption, self.caption_b):
            caption.setWordWrap(True)
        self.matrix.cellClicked.connect(lambda t, p: self.open_cell(0, t, p))
        self.matrix_b.cellClicked.connect(lambda t, p: self.open_cell(1, t, p))
        self.csv_button = QPushButton(self.tr("Export CSV…"), self)
        self.csv_button.setObjectName("exportCsvButton")
        self.csv_button.setToolTip(
            self.tr("Save the confusion matrix and the per-class figures as CSV")
        )
        self.csv_button.clicked.connect(lambda: self._ask_export("csv"))
        self.png_button = QPushButton(self.tr("Export PNG…"), self)
        self.png_button.setObjectName("exportPngButton")
        self.png_button.setToolTip(self.tr("Save the heatmap as a picture"))
        self.png_button.clicked.connect(lambda: self._ask_export("png"))

        self.gallery = Gallery(self)
        self.gallery.sendToDraw.connect(self.sendToDraw)
        self.per_class = _table(
            "perClassTable",
            [self.tr("digit"), self.tr("images"), self.tr("accuracy"), self.tr("precision")],
        )
        self.pairs = _table(
            "confusedPairsTable",
            [self.tr("true"), self.tr("read as"), self.tr("images"), self.tr("share of true")],
        )
        self.pairs.setToolTip(self.tr("Click a row to see its images"))
        self.pairs.cellClicked.connect(self._on_pair_clicked)
        self.comparison = QWidget(self)
        self.comparison.setObjectName("comparisonPage")
        self.comparison_label = QLabel(
            self.tr("Choose a model to compare with, then Evaluate."), self
        )
        self.comparison_label.setWordWrap(True)
        self.only_a_button = QPushButton(self)
        self.only_a_button.setObjectName("onlyFirstRightButton")
        self.only_a_button.clicked.connect(lambda: self.open_disagreements(0))
        self.only_b_button = QPushButton(self)
        self.only_b_button.setObjectName("onlySecondRightButton")
        self.only_b_button.clicked.connect(lambda: self.open_disagreements(1))
        page = QVBoxLayout(self.comparison)
        page.addWidget(self.comparison_label)
        page.addWidget(self.only_a_button)
        page.addWidget(self.only_b_button)
        page.addStretch(1)
        self.details = QTabWidget(self)
        self.details.setObjectName("evaluateDetails")
        self.details.setDocumentMode(True)
        self.details.addTab(self.gallery, self.tr("Images"))
        self.details.addTab(self.per_class, self.tr("Per class"))
        self.details.addTab(self.pairs, self.tr("Most confused"))
        self.details.addTab(self.comparison, self.tr("Comparison"))
        # Every label whole where the window has room (_fit_tab_labels); the arrows stay
        # for a window too narrow for both panes, and labels are never cut to "Comp…".
        self.details.tabBar().setElideMode(Qt.TextElideMode.ElideNone)
        self.details.installEventFilter(self)

    def _layout(self) -> None:
        form = QGridLayout()
        form.addWidget(QLabel(self.tr("&Model:"), buddy=self.model_combo), 0, 0)
        form.addWidget(self.model_combo, 0, 1)
        form.addWidget(QLabel(self.tr("Compare &with:"), buddy=self.compare_combo), 0, 2)
        form.addWidget(self.compare_combo, 0, 3)
        form.addWidget(QLabel(self.tr("D&ata:"), buddy=self.data_combo), 1, 0)
        form.addWidget(self.data_combo, 1, 1)
        folder = QHBoxLayout()
        folder.addWidget(self.folder_label, 1)
        folder.addWidget(self.folder_button)
        form.addLayout(folder, 1, 2, 1, 2)
        form.setColumnStretch(3, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.progress, 1)

        self._matrices = matrices = QHBoxLayout()
        for caption, matrix in ((self.caption, self.matrix), (self.caption_b, self.matrix_b)):
            column = QVBoxLayout()
            column.addWidget(caption)
            column.addWidget(matrix, 1)
            matrices.addLayout(column, 1)
        matrices.setStretch(1, 0)  # while the second matrix is hidden, its column takes no width
        exports = QHBoxLayout()
        exports.addStretch(1)
        exports.addWidget(self.csv_button)
        exports.addWidget(self.png_button)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(matrices, 1)
        left_layout.addLayout(exports)
        self._splitter = splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)

        outer = QVBoxLayout(self)
        outer.addLayout(form)
        outer.addLayout(buttons)
        outer.addWidget(self.error_label)
        outer.addWidget(splitter, 1)
        self.matrix_b.hide()
        self.caption_b.hide()

    # -- models --------------------------------------------------------------

    def set_active_model(self, loaded: LoadedModel | None) -> None:
        """The model the "Active model" entries stand for (the main window calls this)."""
        self._active = loaded
        self._refresh_model_lists()
        self._update_controls()

    def _model_files(self) -> list[Path]:
        files = [shipped_models_dir() / "cnn.pt", shipped_models_dir() / "mlp.pt"]
        folder = models_dir()
        if folder.is_dir():
            files += sorted(folder.glob("*.pt"), key=lambda p: p.stat().st_mtime, reverse=True)
        return [p for p in files if p.is_file()]

    def _model_label(self, path: Path) -> str:
        """Display name and accuracy once the core is loaded (cards need torch), else the name."""
        if self._active is None:
            shipped = path.parent == shipped_models_dir()
            return self.tr("{name} (shipped)").format(name=path.stem) if shipped else path.stem
        return self._labels.label(path)

    def _refresh_model_lists(self, extra: Path | None = None) -> None:
        active = self._active
        active_text = (
            self.tr("Active model ({name})").format(name=active.title)
            if active is not None
            else self.tr("Active model")
        )
        files = self._model_files()
        if extra is not None and extra not in files:
            files.insert(0, extra)
        for combo, first in ((self.model_combo, None), (self.compare_combo, self.tr("— none —"))):
            keep = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            if first is not None:
                combo.addItem(first, NONE)
            combo.addItem(active_text, ACTIVE)
            for path in files:
                combo.addItem(self._model_label(path), str(path))
                combo.setItemData(combo.count() - 1, str(path), Qt.ItemDataRole.ToolTipRole)
            combo.addItem(self.tr("Other file…"), "browse")
            index = combo.findData(keep) if keep is not None else -1
            combo.setCurrentIndex(index if index >= 0 and keep != "browse" else 0)
            combo.blockSignals(False)

    def select_models(self, first: str, second: str = NONE) -> None:
        """Pick by path (or ``ACTIVE``); adds a file that is not listed yet."""
        for combo, value in ((self.model_combo, first), (self.compare_combo, second)):
            if value not in (ACTIVE, NONE) and combo.findData(value) < 0:
                self._refresh_model_lists(Path(value))
            combo.setCurrentIndex(combo.findData(value))

    def _choice(self, value: str) -> ModelChoice | None:
        from model.eval_run import ModelChoice

        if value == ACTIVE:
            if self._active is None:
                return None
            if self._active.path is not None and self._active.path.is_file():
                return ModelChoice(self._active.title, path=str(self._active.path))
            return ModelChoice(
                self._active.title,
                network=self._active.network,
                card=self._active.card,
                memory=self._active.memory,
            )
        return ModelChoice(Path(value).stem, path=value)

    @Slot(int)
    def _on_model_combo_activated(self, _index: int) -> None:
        combo = self.sender()
        if not isinstance(combo, QComboBox) or combo.currentData() != "browse":
            return
        combo.setCurrentIndex(0)
        dialog = self._file_dialog(
            self.tr("Choose a model"), self.tr("digitpad models (*.pt);;All files (*)")
        )
        dialog.setDirectory(str(models_dir()))
        slot = self.model_combo if combo is self.model_combo else self.compare_combo

        def chosen(path: str) -> None:
            self._refresh_model_lists(Path(path))
            slot.setCurrentIndex(slot.findData(str(Path(path))))

        dialog.fileSelected.connect(chosen)
        dialog.open()

    # -- data ----------------------------------------------------------------

    def data_kind(self) -> str:
        return str(self.data_combo.currentData())

    def data_folder(self, kind: str) -> str:
        """Where ``kind`` is read from; the samples are always the store's (``DIGITPAD_SAMPLES``).

        MNIST is read where the Train tab reads it, unless a folder was chosen here:
        a user who keeps MNIST elsewhere sets that folder once, not once per tab.
        With no MNIST there, its test set as shipped with digitpad (the same images).
        """
        if kind == "samples":
            return str(samples_dir())
        if self._follows_train_tab(kind):
            followed = self.mnist_source()[0] if self.mnist_source is not None else None
            return str(or_shipped_part(followed or default_data_dir()))
        return self._folders.get(kind, "")

    def _follows_train_tab(self, kind: str) -> bool:
        return kind == "mnist" and not self._folders["mnist"]

    def set_data_folder(self, kind: str, folder: str | Path) -> None:
        self._folders[kind] = str(folder)
        self._update_folder_label()

    def select_data(self, kind: str, folder: str | Path | None = None) -> None:
        if folder is not None and kind != "samples":
            self._folders[kind] = str(folder)
        self.data_combo.setCurrentIndex(self.data_combo.findData(kind))
        self._update_folder_label()

    def refresh_samples(self) -> int:
        """Count the samples in the store (a listing, no decoding) and update their entry.

        With none, the entry is disabled and its tooltip says how to add some.
        Called whenever the tab is shown: samples are saved on other tabs.
        """
        folder = samples_dir()
        self._sample_count = len(scan_folder(folder).samples)
        row = self.data_combo.findData("samples")
        label = self.tr(dict(DATA_KINDS)["samples"])
        model = self.data_combo.model()
        assert isinstance(model, QStandardItemModel)
        item = model.item(row)
        if self._sample_count:
            item.setText(f"{label} ({sample_count(self._sample_count)})")
            item.setToolTip(
                self.tr("The samples you saved, in {folder}").format(folder=path_text(folder))
            )
        else:
            item.setText(self.tr("{label} (no samples yet)").format(label=label))
            item.setToolTip(self.tr(NO_SAMPLES))
        item.setEnabled(self._sample_count > 0)
        self._update_folder_label()
        return self._sample_count

    def _update_folder_label(self) -> None:
        kind = self.data_kind()
        folder = self.data_folder(kind)
        self.folder_label.setText(path_text(folder) if folder else self.tr("no folder chosen"))
        if not self._follows_train_tab(kind):
            tip = folder
        elif Path(folder) == shipped_mnist_dir():
            tip = self.tr(
                "MNIST's test set as shipped with digitpad: the Train tab's data folder holds "
                "no MNIST yet"
            )
        else:
            tip = self.tr("{folder}: the Train tab's data folder").format(folder=folder)
        self.folder_label.setToolTip(tip)
        self.folder_button.setToolTip(
            self.tr("Your samples are the ones in the My handwriting tab's folder")
            if kind == "samples"
            else self.tr("Choose the folder that holds this data set")
        )
        self._update_controls()

    @Slot(int)
    def _on_data_changed(self, _index: int) -> None:
        self._update_folder_label()

    def showEvent(self, event: QShowEvent) -> None:
        if not self.is_running():
            self.refresh_samples()
            self._update_folder_label()  # the Train tab's data folder may have changed
        super().showEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.details and event.type() == QEvent.Type.Resize:
            self._fit_tab_labels()
        return super().eventFilter(watched, event)

    def _fit_tab_labels(self) -> None:
        """Widen the details pane to its tab bar's full width when the matrices can spare it.

        The splitter shares the width evenly, and at 960 px that left the pane too
        narrow for its four labels: "Comparison" hid behind scroll arrows. A
        minimum width would have fixed it by making the whole window wider;
        here the room comes from the matrices, down to their own minimum, each
        time the pane shrinks (a smaller window, a second matrix, a dragged handle).
        """
        need = self.details.tabBar().sizeHint().width()
        left, right = self._splitter.sizes()
        if right >= need or right == 0:  # wide enough, or not laid out yet
            return
        spare = left - self._splitter.widget(0).minimumSizeHint().width()
        grow = min(need - right, spare)
        if grow > 0:
            self._splitter.setSizes([left - grow, right + grow])

    @Slot()
    def _on_folder_clicked(self) -> None:
        kind = self.data_kind()
        what = "MNIST/raw/" if kind == "mnist" else "unipen_1a_dev.json.gz"
        dialog = self._file_dialog(self.tr("Folder holding {what}").format(what=what), "")
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        if start := self.data_folder(kind):
            dialog.setDirectory(start)
        dialog.fileSelected.connect(lambda path: self.set_data_folder(kind, path))
        dialog.open()

    def _file_dialog(self, title: str, filters: str) -> QFileDialog:
        if self._dialog is not None:
            self._dialog.setObjectName("")
            self._dialog.deleteLater()
        dialog = QFileDialog(self, title, "", filters)
        dialog.setObjectName("evaluateFileDialog")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        self._dialog = dialog
        return dialog

    # -- running -------------------------------------------------------------

    def is_running(self) -> bool:
        return self._handle is not None and self._handle.running

    @Slot()
    def start(self) -> None:
        """Evaluate the chosen model(s) on the chosen data set, in the worker thread."""
        from model.eval_run import DataChoice

        if self.is_running():
            return
        self._hide_error()
        first = self._choice(self.model_combo.currentData())
        if first is None:
            self._show_error(self.tr("No model is loaded yet."))
            return
        models = [first]
        second_value = self.compare_combo.currentData()
        if second_value not in (NONE, None):
            second = self._choice(second_value)
            if second is not None:
                if second.title == first.title:
                    second = type(second)(f"{second.title} (2)", second.path, second.network)
                models.append(second)
        kind = self.data_kind()
        folder = self.data_folder(kind)
        if not folder:
            self._show_error(
                self.tr(
                    "Choose the folder holding the real pen digits (unipen_1a_dev.json.gz) "
                    "with Folder…, or set DIGITPAD_PEN_DATA."
                )
            )
            return
        key: tuple[str, ...] = (kind, str(Path(folder).expanduser().resolve()))
        if kind == "samples":
            scan = scan_folder(folder)  # a listing: milliseconds for 10,000 samples
            if not scan.samples:
                self.refresh_samples()
                self._show_error(self.tr(NO_SAMPLES))
                return
            key = _samples_key(Path(folder), scan)
        cached = self._cache.get(key)
        self._pending = DataChoice(kind, folder)  # type: ignore[arg-type]
        self._pending_key = key
        self._running_titles = [m.title for m in models]
        self._run_reports = []
        self._run_notes = []
        self._run_data = None
        self.progress.setRange(0, 0)
        self.progress.setFormat(self.tr("Starting…"))
        worker = Worker(_evaluation_job(models, cached if cached is not None else self._pending))
        worker.event.connect(self._on_event)
        worker.failed.connect(self._on_failed)
        worker.finished.connect(self._on_finished)
        self._handle = WorkerHandle(worker, self)
        self._update_controls()

    @Slot()
    def cancel(self) -> None:
        if self._handle is not None and self.is_running():
            self._handle.request_stop()
            self.progress.setFormat(self.tr("Cancelling…"))

    def shutdown(self, timeout_ms: int = 2000) -> bool:
        return True if self._handle is None else self._handle.shutdown(timeout_ms)

    @Slot(object)
    def _on_event(self, event: object) -> None:
        from model.eval_run import DataHeldOut, DataReady, ReportReady
        from model.events import EvaluationProgress

        match event:
            case LoadProgress():
                self.progress.setRange(0, max(event.total, 1))
                self.progress.setValue(event.done)
                total = f" {integer(event.done)}/{integer(event.total)}" if event.total > 1 else ""
                self.progress.setFormat(f"{core_text(event.message)}…{total}")
            case DataReady():
                if self._pending_key[0] == "samples":  # an older state of the store is stale
                    self._cache = {k: v for k, v in self._cache.items() if k[0] != "samples"}
                self._cache[self._pending_key] = event.data
            case DataHeldOut():  # what the reports index: the cache keeps the whole set
                self._run_data = event.data
            case EvaluationProgress():
                self.progress.setRange(0, max(event.total, 1))
                self.progress.setValue(event.done)
                self.progress.setFormat(
                    self.tr("Evaluating {model}: {done}/{total}").format(
                        model=event.model, done=integer(event.done), total=integer(event.total)
                    )
                )
            case ReportReady():
                self._run_reports.append(event.report)
                self._run_notes.append(event.note)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._run_reports = []
        self._show_error(message)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat(self.tr("Failed"))

    @Slot()
    def _on_finished(self) -> None:
        self._handle = None
        complete = len(self._run_reports) == len(self._running_titles) and self._run_reports
        if complete:
            data = self._run_data or self._cache[self._pending_key]
            self._show_results(data, self._run_reports, self._run_notes)
        elif self.progress.format() != self.tr("Failed"):
            self.progress.setRange(0, 1)
            self.progress.setValue(0)
            self.progress.setFormat(self.tr("Cancelled: the previous results stay"))
        self._update_controls()
        if complete:
            self.evaluationFinished.emit()

    # -- results -------------------------------------------------------------

    def reports(self) -> list[Report]:
        return list(self._reports)

    def data(self) -> LabelledImages | None:
        return self._data

    def _show_results(
        self,
        data: LabelledImages,
        reports: list[Report],
        notes: Sequence[str | None] = (),
    ) -> None:
        self._data = data
        self._reports = list(reports)
        first = reports[0]
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        seconds = sum(r.seconds for r in reports)
        done = self.tr("Done: {images} in {seconds} s").format(
            images=image_count(first.size), seconds=number(seconds, 1)
        )
        if data.warnings:  # damaged sample files: say so, and why on hover
            done += " · " + self.tr("{files} skipped (hover for why)").format(
                files=file_count(len(data.warnings))
            )
        self.progress.setFormat(done)
        self.progress.setToolTip("\n".join(map(core_text, data.warnings[:20])))
        notes = list(notes) + [None] * (len(reports) - len(notes))
        pairs = (
            (self.matrix, self.caption, reports[0], notes[0]),
            (self.matrix_b, self.caption_b, reports[1] if len(reports) > 1 else None, notes[-1]),
        )
        self._matrices.setStretch(1, 1 if len(reports) > 1 else 0)
        for matrix, caption, r, note in pairs:
            matrix.setVisible(r is not None)
            caption.setVisible(r is not None)
            if r is None:
                matrix.set_matrix(None)
                continue
            matrix.set_matrix(r.confusion)
            wrong = r.size - int(r.correct.sum())
            text = self.tr(
                "<b>{model}</b> on {data}: {accuracy} right, {wrong} of {size} misread"
            ).format(
                model=r.model,
                data=self.tr(r.data),  # "MNIST test": one of DATA_KINDS' names
                accuracy=_percent(r.accuracy),
                wrong=integer(wrong),
                size=integer(r.size),
            )
            if note is not None:  # own samples, or pen digits held out (eval_run)
                text += "<br>" + html.escape(core_text(note))
            caption.setText(text)
        self._fill_per_class()
        self._fill_pairs()
        self._fill_comparison()
        self.gallery.clear()

    def _fill_per_class(self) -> None:
        headers = [self.tr("digit"), self.tr("images")]
        for r in self._reports:
            prefix = f"{r.model} " if len(self._reports) > 1 else ""
            headers += [prefix + self.tr("accuracy"), prefix + self.tr("precision")]
        self.per_class.setColumnCount(len(headers))
        self.per_class.setHorizontalHeaderLabels(headers)
        self.per_class.setRowCount(10)
        figures = [r.per_class() for r in self._reports]
        for d in range(10):
            self.per_class.setItem(d, 0, _item(str(d), align_right=False))
            self.per_class.setItem(d, 1, _item(integer(figures[0][d].count)))
            for k, per in enumerate(figures):
                self.per_class.setItem(d, 2 + 2 * k, _item(_percent(per[d].recall)))
                self.per_class.setItem(d, 3 + 2 * k, _item(_percent(per[d].precision)))
        self.per_class.setToolTip(
            self.tr(
                "accuracy (recall): the share of this digit's images read right\n"
                "precision: the share of the images read as this digit that really are one"
            )
        )

    def _fill_pairs(self) -> None:
        r = self._reports[0]
        pairs = r.confused_pairs(10)
        self._pair_cells = [(t, p) for t, p, _ in pairs]
        self.pairs.setRowCount(len(pairs))
        rows = r.confusion.sum(1)
        for row, (t, p, count) in enumerate(pairs):
            self.pairs.setItem(row, 0, _item(str(t), align_right=False))
            self.pairs.setItem(row, 1, _item(str(p), align_right=False))
            self.pairs.setItem(row, 2, _item(integer(count)))
            self.pairs.setItem(row, 3, _item(percent(count / rows[t], 1)))

    def _fill_comparison(self) -> None:
        if len(self._reports) < 2:
            self.comparison_label.setText(self.tr("Choose a model to compare with, then Evaluate."))
            self.only_a_button.hide()
            self.only_b_button.hide()
            return
        from model.evaluation import Comparison

        a, b = self._reports
        both = Comparison(a, b)
        self._disagreements = (both.only_first_right(), both.only_second_right())
        agree = int((a.correct & b.correct).sum())
        self.comparison_label.setText(
            self.tr("Both read {agree} of {size} images right; {neither} defeat both.").format(
                agree=integer(agree),
                size=integer(a.size),
                neither=integer(int((~a.correct & ~b.correct).sum())),
            )
        )
        for button, (x, y), images in (
            (self.only_a_button, (a, b), self._disagreements[0]),
            (self.only_b_button, (b, a), self._disagreements[1]),
        ):
            button.setText(
                self.tr("{right} right, {wrong} wrong: {images}").format(
                    right=x.model, wrong=y.model, images=image_count(len(images))
                )
            )
        self.only_a_button.show()
        self.only_b_button.show()

    def open_cell(self, slot: int, true: int, predicted: int) -> None:
        """Show the images of digit ``true`` that model ``slot`` read as ``predicted``."""
        if self._data is None or slot >= len(self._reports):
            return
        r = self._reports[slot]
        (self.matrix if slot == 0 else self.matrix_b).set_selected((true, predicted))
        reports = [r] + [x for x in self._reports if x is not r]
        title = self.tr("{model}: true {true} → predicted {predicted}").format(
            model=r.model, true=true, predicted=predicted
        )
        self.gallery.show_images(title, self._data, r.cell(true, predicted), reports)
        self.details.setCurrentWidget(self.gallery)

    def open_disagreements(self, slot: int) -> None:
        """The images model ``slot`` reads right and the other model wrong."""
        if self._data is None or len(self._reports) < 2:
            return
        a, b = self._reports if slot == 0 else self._reports[::-1]
        title = self.tr("{right} right, {wrong} wrong").format(right=a.model, wrong=b.model)
        self.gallery.show_images(title, self._data, self._disagreements[slot], [a, b])
        self.details.setCurrentWidget(self.gallery)

    @Slot(int, int)
    def _on_pair_clicked(self, row: int, _column: int) -> None:
        if 0 <= row < len(self._pair_cells):
            self.open_cell(0, *self._pair_cells[row])

    # -- export --------------------------------------------------------------

    def _ask_export(self, kind: str) -> None:
        if not self._reports:
            return
        r = self._reports[0]
        name = f"confusion-{r.model}-{r.data.replace(' ', '-')}.{kind}"
        filters = "CSV (*.csv)" if kind == "csv" else self.tr("PNG image (*.png)")
        dialog = self._file_dialog(self.tr("Export"), filters)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(kind)
        dialog.selectFile(name)
        dialog.fileSelected.connect(self.export_csv if kind == "csv" else self.export_png)
        dialog.open()

    def export_csv(self, path: str | Path) -> bool:
        """The first model's matrix and per-class figures; the second's beside it as ``-<model>``."""
        from model.evaluation import write_csv

        try:
            for k, r in enumerate(self._reports):
                target = Path(path)
                if k:
                    target = target.with_name(f"{target.stem}-{r.model}{target.suffix}")
                write_csv(r, target)
        except OSError as exc:
            self._show_error(
                self.tr("Could not write {path}: {error}").format(
                    path=path, error=exc.strerror or exc
                )
            )
            return False
        return bool(self._reports)

    def export_png(self, path: str | Path) -> bool:
        """The heatmap as a PNG picture, written atomically."""
        if not self._reports:
            return False
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        self.matrix.to_image().save(buffer, "PNG")
        try:
            with atomic_writer(Path(path)) as f:
                f.write(bytes(buffer.data().data()))
        except OSError as exc:
            self._show_error(
                self.tr("Could not write {path}: {error}").format(
                    path=path, error=exc.strerror or exc
                )
            )
            return False
        return True

    # -- state ---------------------------------------------------------------

    def _update_controls(self) -> None:
        running = self.is_running()
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        for widget in (self.model_combo, self.compare_combo, self.data_combo):
            widget.setEnabled(not running)
        self.folder_button.setEnabled(not running and self.data_kind() != "samples")
        has = bool(self._reports)
        self.csv_button.setEnabled(has)
        self.png_button.setEnabled(has)

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def _hide_error(self) -> None:
        self.error_label.hide()

    def save_settings(self, settings: QSettings) -> None:
        settings.setValue("evaluate/data", self.data_kind())
        for kind, folder in self._folders.items():
            if folder:
                settings.setValue(f"evaluate/{kind}Folder", folder)
            else:  # following the Train tab's
                settings.remove(f"evaluate/{kind}Folder")

    def load_settings(self, settings: QSettings) -> None:
        for kind in self._folders:
            value = settings.value(f"evaluate/{kind}Folder", "")
            # Saved before the tab followed the Train tab's folder: the default was saved too.
            if kind == "mnist" and value == str(default_data_dir()):
                continue
            if isinstance(value, str) and value:
                self._folders[kind] = value
        kind = settings.value("evaluate/data", "mnist")
        index = self.data_combo.findData(kind)
        model = self.data_combo.model()
        assert isinstance(model, QStandardItemModel)
        usable = index >= 0 and model.item(index).isEnabled()  # samples deleted since
        self.data_combo.setCurrentIndex(index if usable else 0)
        self._update_folder_label()
