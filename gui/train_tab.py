"""The Train tab: a form for the recipe, Start/Pause/Stop, progress, a log and a live chart.

Training runs in ``gui.worker.Worker`` driving ``model.training.train``; its
plain events arrive here as queued signals and only touch cheap state, while
the chart and the progress bar repaint on throttles (5 times a second)
however fast batches come. torch is imported by the job, in the worker
thread, so this module can be imported (and the window painted) without it.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Iterator
from dataclasses import asdict, fields
from enum import Enum, auto
from pathlib import Path

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QEvent,
    QRect,
    QSize,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from gui.i18n import (
    batch_count,
    core_text,
    epoch_count,
    error_text,
    integer,
    number,
    path_text,
    percent,
)
from gui.loss_chart import REDRAW_INTERVAL_MS, LossChart
from gui.questions import Choice, ask
from gui.settings import Settings
from gui.throttle import Throttle
from gui.worker import Job, Worker, WorkerHandle
from model.config import (
    DEVICES,
    NETWORK_NAMES,
    OPTIMIZERS,
    RECOMMENDED,
    SCHEDULES,
    TrainConfig,
)
from model.errors import DigitpadError
from model.events import (
    BatchProgress,
    DataProgress,
    EpochEnd,
    Event,
    Notice,
    Paused,
    Resumed,
    RunFinished,
    RunStarted,
    WeightsSnapshot,
)
from model.paths import default_data_dir, new_model_path, trash_dir

# Weights for "Follow training" every this many batches (and at each epoch's end):
# a few a second for the mlp's 1,875 batches of 32, a CPU copy of ~100k floats each.
SNAPSHOT_EVERY = 200
PROGRESS_INTERVAL_MS = REDRAW_INTERVAL_MS  # in step with the chart: one repaint for both

# Each network's proven recipe (the Makefile trains the shipped models with these).
RECIPE_FIELDS = (
    "epochs",
    "batch_size",
    "optimizer",
    "lr",
    "momentum",
    "schedule",
    "augment",
    "pen_digits",
)
# The training data choices, by whether the shipped real pen digits join MNIST.
TRAINING_DATA = {False: "MNIST", True: QT_TRANSLATE_NOOP("TrainTab", "MNIST + real pen digits")}
SETTINGS_GROUP = "train"

ERROR_STYLE = (
    "QLabel { background: #fdecea; color: #a4161a; border: 1px solid #f5c2c0;"
    " border-radius: 4px; padding: 6px 8px; }"
)
HINT_STYLE = "QLabel { color: palette(placeholder-text); }"


class _State(Enum):
    IDLE = auto()
    STARTING = auto()  # the worker imports torch and loads MNIST
    RUNNING = auto()
    PAUSED = auto()
    STOPPING = auto()


def training_threads(current: int, cpus: int | None) -> int:
    """torch intra-op threads for a run in the GUI: one core is left to the GUI thread.

    The intra-op threads spin-wait for each other at every op; when one of them
    shares a core with the GUI thread, each op waits for a time slice. Measured on
    2 cores (bench/gui_responsiveness.py): an mlp epoch 3.3x slower with 2 threads
    than headless; with 1 thread, 1.14x.
    """
    return max(1, min(current, (cpus or 2) - 1))


def _training_job(config: TrainConfig, out: Path, spare: Path | None = None) -> Job:
    """The run; ``spare`` is where a stopped or diverged run leaves what the user may keep."""

    def job(stop: threading.Event, pause: threading.Event) -> Iterator[Event]:
        # Here, in the worker thread: the first import of torch takes seconds.
        import torch

        from model.training import train

        # torch's thread count is per thread (and inherited by threads started
        # later): this sets the worker's own, the GUI thread keeps its setting.
        torch.set_num_threads(training_threads(torch.get_num_threads(), os.cpu_count()))
        yield from train(
            config, out=out, stop=stop, pause=pause, spare_out=spare, snapshot_every=SNAPSHOT_EVERY
        )

    return job


def _set_progress(bar: QProgressBar, value: int, text: str) -> None:
    """Set a progress bar without its synchronous repaint.

    ``QProgressBar.setValue`` repaints at once (``repaint()``, not ``update()``)
    when the bar moves: measured at about 5 ms a call during a run, with the GUI
    thread holding the GIL (bench/gui_responsiveness.py --profile). With updates
    off it only schedules the ordinary paint, merged with the chart's.
    """
    bar.setUpdatesEnabled(False)
    bar.setValue(value)
    bar.setFormat(text)
    bar.setUpdatesEnabled(True)
    bar.update()


def _clock(seconds: float) -> str:
    """0:42, 12:05, 1:02:03."""
    total = max(0, round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _recipe_summary(config: TrainConfig) -> str:
    parts = [
        epoch_count(config.epochs),
        QCoreApplication.translate("TrainTab", "batch {size}").format(size=config.batch_size),
        config.optimizer,
    ]
    parts.append(f"lr {config.lr:g}")
    if config.optimizer == "sgd":
        parts.append(
            QCoreApplication.translate("TrainTab", "momentum {value}").format(
                value=f"{config.momentum:g}"
            )
        )
    if config.schedule != "constant":
        parts.append(config.schedule)
    if config.augment:
        parts.append(QCoreApplication.translate("TrainTab", "augmented"))
    if config.pen_digits:
        parts.append(QCoreApplication.translate("TrainTab", "+ real pen digits"))
    return " · ".join(parts)


class _StableHint(QLabel):
    """A wrapped label as tall as the tallest text it may show, so the rows below never move.

    The recommended recipe differs per network (and so wraps onto a different
    number of lines); reserving the tallest keeps Start/Pause/Stop where the
    user's pointer is, and the minimum window size keeps all of it readable.
    """

    def __init__(self, texts: list[str]) -> None:
        super().__init__()
        self._texts = texts
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def heightForWidth(self, width: int) -> int:
        margins = self.contentsMargins()
        inner = max(1, width - margins.left() - margins.right())
        metrics = self.fontMetrics()
        flags = int(Qt.TextFlag.TextWordWrap)
        tallest = max(
            metrics.boundingRect(QRect(0, 0, inner, 10_000), flags, t).height() for t in self._texts
        )
        return tallest + margins.top() + margins.bottom()

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), self.heightForWidth(max(self.width(), 1)))

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.heightForWidth(max(self.width(), 1)))

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        height = self.heightForWidth(self.width())
        if self.minimumHeight() != height:
            self.setMinimumHeight(height)


def _recipe_hint(network: str) -> str:
    return QCoreApplication.translate("TrainTab", "Recommended for {network}: {recipe}").format(
        network=network, recipe=_recipe_summary(RECOMMENDED[network])
    )


def _buddy(text: str, widget: QWidget) -> QLabel:
    """A form label whose Alt letter focuses ``widget`` (a row holding a layout gets none)."""
    label = QLabel(text)
    label.setBuddy(widget)
    return label


def _named(widget: QWidget, name: str) -> QWidget:
    widget.setObjectName(name)
    widget.setAccessibleName(name)
    return widget


class _FormScroll(QScrollArea):
    """A scroll area as tall as its form when there is room, and scrolling when not.

    QScrollArea's own size hint is capped at 24 text lines, which would scroll
    the settings form even on a tall screen; this one asks for the whole form and
    its minimum is a few rows, so the window's minimum height stays the Draw tab's.
    """

    def __init__(self, form: QWidget) -> None:
        super().__init__()
        self.setWidget(form)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def sizeHint(self) -> QSize:
        form = self.widget().sizeHint()
        return QSize(form.width() + self.verticalScrollBar().sizeHint().width(), form.height())

    def minimumSizeHint(self) -> QSize:
        form = self.widget().minimumSizeHint()
        rows = 8 * self.fontMetrics().lineSpacing()
        return QSize(form.width() + self.verticalScrollBar().sizeHint().width(), rows)


class TrainTab(QWidget):
    """Train a network on MNIST and watch it learn; emits ``modelTrained`` with the saved file."""

    modelTrained = Signal(str)  # the path of the model file a finished (or kept) run saved
    statusChanged = Signal(str)  # one line on the run for other tabs ("" when idle)
    runStarted = Signal()  # Start pressed: a run is on its way
    runEnded = Signal()  # the worker is done (finished, stopped or failed)
    weightsSnapshot = Signal(object)  # model.events.WeightsSnapshot, for "Follow training"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = _State.IDLE
        self._handle: WorkerHandle | None = None
        self._run_config: TrainConfig | None = None
        self._batches_per_epoch = 0
        self._last_progress: BatchProgress | None = None
        self._epoch_results: list[EpochEnd] = []
        self._wanted_device: str | None = None
        self._previous_network = NETWORK_NAMES[0]
        self._keep_best = False  # the user chose "Stop and keep epoch N"
        self._status = ""  # the last statusChanged text

        self._build_form()
        self._build_controls()
        self._build_views()
        self._layout()

        self._progress_throttle = Throttle(self._show_batch_progress, PROGRESS_INTERVAL_MS, self)
        self._apply_config(TrainConfig(), ("network", *RECIPE_FIELDS, "seed", "device"))
        self._data_edit.setText(path_text(default_data_dir()))
        self._update_controls()

    # -- construction ----------------------------------------------------

    def _build_form(self) -> None:
        self._model_combo = _named(QComboBox(), "modelCombo")
        self._model_combo.addItems(list(NETWORK_NAMES))
        self._model_combo.setToolTip(
            self.tr(
                "mlp: the PyTorch tutorial's 3-layer perceptron, fast.\n"
                "cnn: a small convolutional net, slower but more accurate."
            )
        )
        self._recipe_button = _named(
            QPushButton(self.tr("Use recommended settings")), "recommendedButton"
        )
        self._recipe_hint = _named(
            _StableHint([_recipe_hint(n) for n in NETWORK_NAMES]), "recipeHint"
        )
        self._recipe_hint.setStyleSheet(HINT_STYLE)

        self._epochs_spin = _named(QSpinBox(), "epochsSpin")
        self._epochs_spin.setRange(1, 1000)
        self._batch_spin = _named(QSpinBox(), "batchSizeSpin")
        self._batch_spin.setRange(1, 65536)
        self._batch_spin.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        self._optimizer_combo = _named(QComboBox(), "optimizerCombo")
        self._optimizer_combo.addItems(list(OPTIMIZERS))
        self._lr_spin = _named(QDoubleSpinBox(), "lrSpin")
        self._lr_spin.setDecimals(5)
        self._lr_spin.setRange(0.00001, 1000.0)
        self._lr_spin.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        self._momentum_spin = _named(QDoubleSpinBox(), "momentumSpin")
        self._momentum_spin.setDecimals(3)
        self._momentum_spin.setRange(0.0, 0.999)
        self._momentum_spin.setSingleStep(0.05)
        self._schedule_combo = _named(QComboBox(), "scheduleCombo")
        self._schedule_combo.addItems(list(SCHEDULES))
        self._schedule_combo.setToolTip(
            self.tr(
                "constant: the same learning rate throughout.\n"
                "onecycle: warm up to the learning rate, then anneal to almost zero."
            )
        )
        self._augment_check = _named(QCheckBox(self.tr("Au&gment")), "augmentCheck")
        self._augment_check.setToolTip(
            self.tr(
                "Rotate, shear, rescale, shift, warp and thicken or thin every batch a little,\n"
                "so the network reads digits drawn by hand, not only MNIST's. Slower per epoch."
            )
        )
        self._seed_spin = _named(QSpinBox(), "seedSpin")
        self._seed_spin.setRange(0, 2**31 - 1)
        self._seed_spin.setToolTip(self.tr("The same seed and settings train the same network."))
        self._device_combo = _named(QComboBox(), "deviceCombo")
        self._device_combo.addItems(["auto", "cpu"])
        self._device_combo.setToolTip(
            self.tr(
                "auto: the faster device for this recipe. With a GPU, the first run of a\n"
                "recipe times a few batches on each device and remembers the result."
            )
        )
        self._device_reason = _named(QLabel(), "deviceReason")
        self._device_reason.setWordWrap(True)
        self._device_reason.setStyleSheet(HINT_STYLE)
        # Always shown, two lines tall: a line appearing when the run starts would
        # move Start/Pause/Stop under the pointer (issue 8's rough edge).
        self._device_reason.setText(self.tr("The device is chosen when a run starts"))
        lines = self._device_reason.fontMetrics().lineSpacing()
        self._device_reason.setFixedHeight(2 * lines)
        self._data_edit = _named(QLineEdit(), "dataFolderEdit")
        self._data_edit.setToolTip(self.tr("The folder holding MNIST/raw/ (the four IDX files)."))
        self._browse_button = _named(QPushButton(self.tr("Browse…")), "browseButton")
        self._training_data_combo = _named(QComboBox(), "trainingDataCombo")
        for pen_digits, text in TRAINING_DATA.items():
            self._training_data_combo.addItem(self.tr(text), pen_digits)
        self._training_data_combo.setToolTip(
            self.tr(
                "MNIST + real pen digits: also train on 3,776 digits drawn on tablets\n"
                "(UNIPEN 1a, shipped with digitpad, CC BY 4.0), rendered like your drawings,\n"
                "so the network learns crossed zeros, flagged ones and other pen styles."
            )
        )
        self._download_check = _named(
            QCheckBox(self.tr("Download MNIST if missing")), "downloadCheck"
        )
        self._download_check.setChecked(TrainConfig().download)
        self._samples_check = _named(
            QCheckBox(self.tr("Add my handwriting")), "includeSamplesCheck"
        )
        self._samples_check.setToolTip(
            self.tr(
                "Add the digits you saved on the Draw tab (My handwriting) to MNIST's training set"
            )
        )

        self._model_combo.currentIndexChanged.connect(self._on_network_changed)
        self._recipe_button.clicked.connect(self._on_recipe_clicked)
        self._optimizer_combo.currentIndexChanged.connect(self._on_form_changed)
        for spin in (self._epochs_spin, self._batch_spin, self._lr_spin, self._momentum_spin):
            spin.valueChanged.connect(self._on_form_changed)
        self._schedule_combo.currentIndexChanged.connect(self._on_form_changed)
        self._augment_check.toggled.connect(self._on_form_changed)
        self._training_data_combo.currentIndexChanged.connect(self._on_form_changed)
        self._browse_button.clicked.connect(self._on_browse_clicked)
        # An error was about the settings it ran with: editing any of them retires it.
        for combo in (self._model_combo, self._optimizer_combo, self._schedule_combo):
            combo.currentIndexChanged.connect(self._on_setting_edited)
        for spin in (
            self._epochs_spin,
            self._batch_spin,
            self._lr_spin,
            self._momentum_spin,
            self._seed_spin,
        ):
            spin.valueChanged.connect(self._on_setting_edited)
        self._device_combo.activated.connect(self._on_setting_edited)
        self._data_edit.textChanged.connect(self._on_setting_edited)
        self._download_check.toggled.connect(self._on_setting_edited)
        self._augment_check.toggled.connect(self._on_setting_edited)
        self._training_data_combo.currentIndexChanged.connect(self._on_setting_edited)

    def _build_controls(self) -> None:
        style = self.style()
        self._start_button = _named(QPushButton(self.tr("Start")), "startButton")
        self._start_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaPlay))
        self._start_button.setDefault(True)
        self._pause_button = _named(QPushButton(self.tr("Pause")), "pauseButton")
        self._pause_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaPause))
        self._stop_button = _named(QPushButton(self.tr("Stop")), "stopButton")
        self._stop_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaStop))
        self._stop_button.setToolTip(
            self.tr(
                "Stop the run; the current model stays active (you may keep the best epoch so far)."
            )
        )
        self._start_button.clicked.connect(self._on_start_clicked)
        self._pause_button.clicked.connect(self._on_pause_clicked)
        self._stop_button.clicked.connect(self._on_stop_clicked)

    def _build_views(self) -> None:
        self._error_label = _named(QLabel(), "trainError")
        self._error_label.setWordWrap(True)
        self._error_label.setStyleSheet(ERROR_STYLE)
        self._error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._error_label.hide()
        self._progress = _named(QProgressBar(), "trainProgress")
        self._progress.setTextVisible(True)
        self._progress.setFormat(self.tr("Ready"))
        self._progress.setValue(0)
        self._chart = LossChart()
        self._log = _named(QPlainTextEdit(), "trainLog")
        self._log.setReadOnly(True)
        self._log.setMaximumBlockCount(5000)
        self._log.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self._log.setPlaceholderText(self.tr("Epoch results appear here."))
        # One result per line, never wrapped: a wrapped line scrolled half out of view
        # left a stray fragment at the top. Tall enough for a few epochs' results.
        self._log.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self._log.setMinimumHeight(6 * self._log.fontMetrics().lineSpacing())

    def _layout(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # Alt+letter: F, E and H open the File, Edit and Help menus and D, T and V
        # the tabs, so no field here takes those letters (tests/gui/test_rough_edges.py).
        form.addRow(self.tr("&Network:"), self._model_combo)
        form.addRow("", self._recipe_button)
        form.addRow(self._recipe_hint)  # the whole row's width: fewer lines
        form.addRow(self.tr("E&pochs:"), self._epochs_spin)
        form.addRow(self.tr("&Batch size:"), self._batch_spin)
        form.addRow(self.tr("&Optimizer:"), self._optimizer_combo)
        form.addRow(self.tr("&Learning rate:"), self._lr_spin)
        form.addRow(self.tr("&Momentum:"), self._momentum_spin)
        # Short fields share rows, so the two training-data options add no height:
        # the window must still fit a 600 px high screen.
        schedule = QHBoxLayout()
        schedule.addWidget(self._schedule_combo, 1)
        schedule.addWidget(self._augment_check)
        form.addRow(_buddy(self.tr("S&chedule:"), self._schedule_combo), schedule)
        form.addRow(self.tr("T&raining data:"), self._training_data_combo)
        seed_device = QHBoxLayout()
        seed_device.addWidget(self._seed_spin, 1)
        seed_device.addWidget(_buddy(self.tr("Dev&ice:"), self._device_combo))
        seed_device.addWidget(self._device_combo, 1)
        form.addRow(_buddy(self.tr("&Seed:"), self._seed_spin), seed_device)
        form.addRow("", self._device_reason)
        folder = QHBoxLayout()
        folder.addWidget(self._data_edit, 1)
        folder.addWidget(self._browse_button)
        folder_label = QLabel(self.tr("Dat&a folder:"))
        folder_label.setBuddy(self._data_edit)  # a row holding a layout gets no buddy by itself
        form.addRow(folder_label, folder)
        form.addRow("", self._download_check)
        form.addRow("", self._samples_check)
        self._settings_box = QGroupBox(self.tr("Settings"))
        self._settings_box.setLayout(form)

        buttons = QHBoxLayout()
        for button in (self._start_button, self._pause_button, self._stop_button):
            buttons.addWidget(button)
        # The form scrolls when the window is shorter than it (a 768 px laptop with a
        # taskbar, a tiled window): the window's minimum height is then the Draw
        # tab's, and Start/Pause/Stop, outside the scroll area, are always in view.
        settings_scroll = _named(_FormScroll(self._settings_box), "settingsScroll")
        left = QVBoxLayout()
        left.addWidget(settings_scroll)
        left.addLayout(buttons)
        left.addStretch(1)
        left_widget = QWidget()
        left_widget.setLayout(left)
        left_widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self._chart)
        splitter.addWidget(self._log)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        right = QVBoxLayout()
        right.addWidget(self._error_label)
        right.addWidget(self._progress)
        right.addWidget(splitter, 1)

        outer = QHBoxLayout(self)
        outer.addWidget(left_widget)
        outer.addLayout(right, 1)

    # -- public API ------------------------------------------------------

    @property
    def is_training(self) -> bool:
        """True from Start until the worker's thread has ended."""
        return self._state is not _State.IDLE or (self._handle is not None and self._handle.running)

    @property
    def chart(self) -> LossChart:
        return self._chart

    @property
    def epoch_results(self) -> tuple[EpochEnd, ...]:
        """The ``EpochEnd`` events of the current (or last) run, in order."""
        return tuple(self._epoch_results)

    def mnist_source(self) -> tuple[str | None, bool]:
        """The form's data folder (None: the default) and whether to download MNIST there.

        Personalize reads MNIST as training does: one data folder for the app.
        """
        return self._data_edit.text().strip() or None, self._download_check.isChecked()

    def current_config(self) -> TrainConfig:
        """The form as a validated ``TrainConfig``; raises ``ConfigError`` for a bad value."""
        folder = self._data_edit.text().strip()
        return TrainConfig(
            network=self._model_combo.currentText(),
            epochs=self._epochs_spin.value(),
            batch_size=self._batch_spin.value(),
            optimizer=self._optimizer_combo.currentText(),
            lr=self._lr_spin.value(),
            momentum=self._momentum_spin.value(),
            schedule=self._schedule_combo.currentText(),
            augment=self._augment_check.isChecked(),
            pen_digits=self._pen_digits(),
            seed=self._seed_spin.value(),
            device=self._device_combo.currentText(),
            data_dir=folder or None,
            download=self._download_check.isChecked(),
            include_samples=self._samples_check.isChecked(),
        )

    def set_devices(self, devices: list[str]) -> None:
        """Offer only these devices (``model.training.available_devices()``)."""
        current = self._wanted_device or self._device_combo.currentText()
        self._device_combo.clear()
        self._device_combo.addItems(devices)
        if current in devices:
            self._device_combo.setCurrentText(current)
            self._wanted_device = None

    def shutdown(self, timeout_ms: int = 2000) -> bool:
        """Stop the run and join its thread; True if it ended within ``timeout_ms``.

        The worker checks the stop flag once per batch, so this normally takes
        milliseconds; only an uninterruptible step (the first import of torch,
        decoding MNIST, an evaluation) can make it time out.
        """
        handle = self._handle
        if handle is None:
            return True
        self._keep_best = False  # quitting: the run is given up
        if self._state is not _State.IDLE:
            self._set_state(_State.STOPPING)
        ended = handle.shutdown(timeout_ms)
        if ended:
            # Deliver what the worker queued before it ended (its RunFinished, then
            # finished) now, so the tab is idle even if no event loop runs again.
            QCoreApplication.sendPostedEvents(self, QEvent.Type.MetaCall)
        return ended

    def save_settings(self, settings: Settings) -> None:
        config = self._form_values()
        settings.beginGroup(SETTINGS_GROUP)
        for key, value in config.items():
            settings.setValue(key, value)
        settings.endGroup()

    def load_settings(self, settings: Settings) -> None:
        """Restore the form; a value of the wrong type or out of range is dropped
        from the file (``settings.problems`` says which) and the default stays."""
        defaults = asdict(TrainConfig())
        settings.beginGroup(SETTINGS_GROUP)
        try:
            values = {key: settings.value(key) for key in settings.childKeys()}
            for field in fields(TrainConfig):
                if values.get(field.name) is None or field.name == "data_dir":
                    continue
                value = settings.value(field.name, type=type(defaults[field.name]))
                if value is None or not self._set_field(field.name, value):
                    settings.refuse(field.name, values[field.name], None)
            data_dir = settings.get_str("data_dir", "")
        finally:
            settings.endGroup()
        if data_dir:
            self._data_edit.setText(data_dir)
        self._previous_network = self._model_combo.currentText()
        self._update_controls()

    # -- form helpers ----------------------------------------------------

    def _form_values(self) -> dict[str, object]:
        return {
            "network": self._model_combo.currentText(),
            "epochs": self._epochs_spin.value(),
            "batch_size": self._batch_spin.value(),
            "optimizer": self._optimizer_combo.currentText(),
            "lr": self._lr_spin.value(),
            "momentum": self._momentum_spin.value(),
            "schedule": self._schedule_combo.currentText(),
            "augment": self._augment_check.isChecked(),
            "pen_digits": self._pen_digits(),
            "seed": self._seed_spin.value(),
            "device": self._device_combo.currentText(),
            "data_dir": self._data_edit.text().strip(),
            "download": self._download_check.isChecked(),
            "include_samples": self._samples_check.isChecked(),
        }

    def _set_field(self, name: str, value: object) -> bool:
        """Show ``value`` in its widget; False if the widget cannot hold it."""
        combos = {
            "network": self._model_combo,
            "optimizer": self._optimizer_combo,
            "schedule": self._schedule_combo,
        }
        spins: dict[str, QSpinBox | QDoubleSpinBox] = {
            "epochs": self._epochs_spin,
            "batch_size": self._batch_spin,
            "lr": self._lr_spin,
            "momentum": self._momentum_spin,
            "seed": self._seed_spin,
        }
        if name in combos:
            combo = combos[name]
            if combo.findText(str(value)) < 0:
                return False
            combo.blockSignals(True)
            combo.setCurrentText(str(value))
            combo.blockSignals(False)
        elif name in spins:
            spin = spins[name]
            # setValue would raise OverflowError past 2**31, and NaN is never in range.
            if not spin.minimum() <= value <= spin.maximum():  # type: ignore[operator]
                return False
            spin.setValue(value)  # type: ignore[arg-type]
        elif name == "device":
            if value not in DEVICES:
                return False
            if self._device_combo.findText(str(value)) >= 0:
                self._device_combo.setCurrentText(str(value))
            else:  # e.g. cuda, before set_devices() says whether it is there
                self._wanted_device = str(value)
        elif name == "download":
            self._download_check.setChecked(bool(value))
        elif name == "include_samples":
            self._samples_check.setChecked(bool(value))
        elif name == "augment":
            self._augment_check.setChecked(bool(value))
        elif name == "pen_digits":
            self._training_data_combo.setCurrentIndex(
                self._training_data_combo.findData(bool(value))
            )
        return True

    def _pen_digits(self) -> bool:
        return self._training_data_combo.currentData() is True

    def _apply_config(self, config: TrainConfig, names: tuple[str, ...]) -> None:
        for name in names:
            self._set_field(name, getattr(config, name))

    def _matches(self, recipe: TrainConfig) -> bool:
        form = self._form_values()
        for name in RECIPE_FIELDS:
            want, have = getattr(recipe, name), form[name]
            if name == "momentum" and recipe.optimizer != "sgd":
                continue  # adam ignores it
            if isinstance(want, float):
                if not math.isclose(want, float(have), rel_tol=1e-6):  # type: ignore[arg-type]
                    return False
            elif want != have:
                return False
        return True

    # -- slots: form -----------------------------------------------------

    @Slot(int)
    def _on_network_changed(self, _index: int) -> None:
        network = self._model_combo.currentText()
        # An untouched recipe follows the network; one the user edited stays theirs.
        if self._matches(RECOMMENDED[self._previous_network]):
            self._apply_config(RECOMMENDED[network], RECIPE_FIELDS)
        self._previous_network = network
        self._update_controls()

    @Slot()
    def _on_recipe_clicked(self) -> None:
        self._apply_config(RECOMMENDED[self._model_combo.currentText()], RECIPE_FIELDS)
        self._update_controls()

    @Slot()
    def _on_form_changed(self) -> None:
        self._update_controls()

    @Slot()
    def _on_setting_edited(self) -> None:
        if self._state is _State.IDLE:
            self._hide_error()

    @Slot()
    def _on_browse_clicked(self) -> None:
        start = str(Path(self._data_edit.text().strip() or default_data_dir()).expanduser())
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Choose the MNIST data folder"), start
        )
        if folder:
            self._data_edit.setText(folder)

    # -- slots: run controls ---------------------------------------------

    @Slot()
    def _on_start_clicked(self) -> None:
        if self._state is not _State.IDLE:
            return
        self._hide_error()
        try:
            config = self.current_config()
        except DigitpadError as exc:
            self._show_error(error_text(exc))
            return
        out = new_model_path(config.network)
        spare = trash_dir() / out.name
        self._run_config = config
        self._keep_best = False
        self._batches_per_epoch = 0
        self._last_progress = None
        self._epoch_results = []
        self._chart.clear()
        self._progress_throttle.cancel()
        self._progress.setRange(0, 0)  # busy until the data is there
        self._progress.setFormat(self.tr("Starting…"))
        data = config.resolved_data_dir()
        self._log_line(
            self.tr("Training {network}: {recipe} · seed {seed}").format(
                network=config.network, recipe=_recipe_summary(config), seed=config.seed
            )
        )
        self._log_line(self.tr("Data folder: {folder}").format(folder=path_text(data)))

        worker = Worker(_training_job(config, out, spare))
        # Connected before the handle exists: the thread starts in its constructor.
        worker.event.connect(self._on_event)
        worker.failed.connect(self._on_failed)
        worker.finished.connect(self._on_finished)
        self._set_state(_State.STARTING)
        self._handle = WorkerHandle(worker, parent=self)
        self.runStarted.emit()

    @Slot()
    def _on_pause_clicked(self) -> None:
        if self._handle is None:
            return
        if self._state is _State.RUNNING:
            self._handle.worker.pause.set()
            self._set_state(_State.PAUSED)
            self._progress_throttle.cancel()
            self._progress.setFormat(self._paused_text())
        elif self._state is _State.PAUSED:
            self._handle.worker.pause.clear()
            self._set_state(_State.RUNNING)
            self._progress.setFormat(self._progress_text())

    @Slot()
    def _on_stop_clicked(self) -> None:
        if self._handle is None or self._state in (_State.IDLE, _State.STOPPING):
            return
        best = max(self._epoch_results, key=lambda e: e.test_accuracy, default=None)
        if best is None:  # nothing finished yet: nothing to offer
            self._stop(keep=False)
            return
        # The run holds still while the user decides, so the epoch offered is the one kept.
        paused_here = self._state is _State.RUNNING
        if paused_here:
            self._on_pause_clicked()

        def resume() -> None:
            if paused_here and self._state is _State.PAUSED:
                self._on_pause_clicked()

        ask(
            self,
            name="stopMessage",
            title=self.tr("Stop training?"),
            text=self.tr(
                "Stop the run at {position}? Epoch {epoch} is the best so far: "
                "{accuracy} test accuracy."
            ).format(
                position=self.position_text(),
                epoch=best.epoch,
                accuracy=percent(best.test_accuracy, 2),
            ),
            details=self.tr("You can keep that epoch as a model in your library, or keep nothing."),
            choices=[
                Choice(
                    self.tr("Stop and keep epoch {epoch}").format(epoch=best.epoch),
                    "keepBestButton",
                    QMessageBox.ButtonRole.AcceptRole,
                    lambda: self._stop(keep=True),
                ),
                Choice(
                    self.tr("Stop, keep nothing"),
                    "discardRunButton",
                    QMessageBox.ButtonRole.DestructiveRole,
                    lambda: self._stop(keep=False),
                ),
                Choice(
                    self.tr("Continue training"),
                    "continueButton",
                    QMessageBox.ButtonRole.RejectRole,
                    resume,
                ),
            ],
        )

    def _stop(self, *, keep: bool) -> None:
        if self._handle is None or self._state in (_State.IDLE, _State.STOPPING):
            return  # the run ended while the question was open
        self._keep_best = keep
        self._handle.request_stop()
        self._set_state(_State.STOPPING)
        self._progress_throttle.cancel()
        self._progress.setFormat(self.tr("Stopping…"))

    # -- slots: worker ---------------------------------------------------

    @Slot(object)
    def _on_event(self, event: object) -> None:
        match event:
            case BatchProgress():
                self._chart.append_losses(event.step - len(event.losses) + 1, event.losses)
                self._last_progress = event
                if self._state is _State.RUNNING:
                    self._progress_throttle(event)
            case EpochEnd():
                self._on_epoch_end(event)
            case DataProgress():
                self._progress.setRange(0, max(event.total, 1))
                _set_progress(self._progress, event.done, f"{core_text(event.message)}…")
            case RunStarted():
                self._on_run_started(event)
            case Paused():
                self._progress.setFormat(self._paused_text())
                self._log_line(
                    self.tr("Paused after {batches}").format(batches=batch_count(event.step))
                )
            case Resumed():
                if self._state is not _State.STOPPING:  # Stop while paused: no "Resumed"
                    self._log_line(self.tr("Resumed"))
            case Notice():
                self._log_line(core_text(event.message))
            case RunFinished():
                self._on_run_finished(event)
            case WeightsSnapshot():
                self.weightsSnapshot.emit(event)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._progress_throttle.cancel()
        self._chart.repaint_now()
        self._progress.setRange(0, 1)
        self._progress.setValue(0)
        self._progress.setFormat(self.tr("Failed"))
        self._show_error(message)
        self._log_line(self.tr("Error: {message}").format(message=message))

    @Slot()
    def _on_finished(self) -> None:
        self._set_state(_State.IDLE)
        self.runEnded.emit()

    def _on_run_started(self, event: RunStarted) -> None:
        self._batches_per_epoch = event.batches_per_epoch
        self._chart.set_epoch_length(event.batches_per_epoch)
        self._progress.setRange(0, event.epochs * event.batches_per_epoch)
        self._progress.setValue(0)
        self._progress.setFormat(
            self.tr("Epoch 1/{epochs} · starting…").format(epochs=event.epochs)
        )
        self._log_line(
            self.tr(
                "On {device}: {train} training and {test} test images, {batches} batches per epoch"
            ).format(
                device=event.device,
                train=integer(event.train_size),
                test=integer(event.test_size),
                batches=integer(event.batches_per_epoch),
            )
            + (f" ({core_text(event.step)})" if event.step else "")
        )
        if event.device_reason:
            self._device_reason.setText(
                self.tr("Running on {device} · {reason}").format(
                    device=event.device, reason=core_text(event.device_reason)
                )
            )
            self._device_reason.setToolTip(core_text(event.device_reason))
        if self._state is _State.STARTING:
            self._set_state(_State.RUNNING)

    def _on_epoch_end(self, event: EpochEnd) -> None:
        self._epoch_results.append(event)
        self._chart.add_epoch(event.epoch * self._batches_per_epoch, event.test_accuracy)
        width = len(str(event.epochs))
        self._log_line(
            self.tr(
                "Epoch {epoch}/{epochs}  train loss {loss}  test accuracy {accuracy}  "
                "{seconds} s  {speed} samples/s"
            ).format(
                epoch=f"{event.epoch:>{width}}",
                epochs=event.epochs,
                loss=number(event.train_loss, 4),
                accuracy=percent(event.test_accuracy, 2).rjust(7),
                seconds=number(event.epoch_seconds, 1).rjust(6),
                speed=integer(round(event.samples_per_second)),
            )
        )

    def _on_run_finished(self, event: RunFinished) -> None:
        self._progress_throttle.cancel()
        self._chart.repaint_now()
        if event.stopped:
            epochs = self._run_config.epochs if self._run_config else event.epochs_completed
            self._progress.setFormat(
                self.tr("Stopped · {position}").format(position=self._progress_text(live=False))
            )
            kept = self._settle_spare(event.spare_path, keep=self._keep_best)
            if kept is None:
                self._log_line(
                    self.tr(
                        "Stopped after {done} of {epochs}: nothing was saved, "
                        "the current model stays active."
                    ).format(done=event.epochs_completed, epochs=epoch_count(epochs))
                )
                return
            self._log_line(
                self.tr("Stopped after {done} of {epochs}: kept the best epoch as {path}").format(
                    done=event.epochs_completed, epochs=epoch_count(epochs), path=path_text(kept)
                )
            )
            self.modelTrained.emit(kept)
            return
        if event.diverged:
            self._on_diverged(event)
            return
        _set_progress(  # no synchronous repaint: the end of a run is busy enough
            self._progress,
            self._progress.maximum(),
            self.tr("Done · test accuracy {accuracy} · {time}").format(
                accuracy=percent(event.test_accuracy, 2), time=_clock(event.train_seconds)
            ),
        )
        self._log_line(
            self.tr("Finished: test accuracy {accuracy} in {seconds} s").format(
                accuracy=percent(event.test_accuracy, 2), seconds=number(event.train_seconds, 1)
            )
        )
        if event.model_path:
            self._log_line(self.tr("Saved {path}").format(path=path_text(event.model_path)))
            self.modelTrained.emit(event.model_path)

    def _on_diverged(self, event: RunFinished) -> None:
        lr = self._run_config.lr if self._run_config else 0.0
        accuracy = percent(event.test_accuracy, 2)
        why = core_text(event.diverged)
        if not event.too_little:  # the loss blew up (model.activation.learned_too_little)
            title = self.tr("The run diverged")
            progress = self.tr("Diverged · test accuracy {accuracy}").format(accuracy=accuracy)
            message = self.tr(
                "The run diverged: {why}. It was not saved and the current model stays "
                "active; try a lower learning rate than {lr}."
            ).format(why=why, lr=f"{lr:g}")
        else:
            title = self.tr("The run did not learn enough")
            progress = self.tr("Did not learn enough · test accuracy {accuracy}").format(
                accuracy=accuracy
            )
            message = self.tr(
                "The run did not learn enough: {why}. It was not saved and the current model "
                "stays active; train for more epochs, or try another learning rate than {lr}."
            ).format(why=why, lr=f"{lr:g}")
        self._progress.setFormat(progress)
        self._show_error(message)
        self._log_line(message)
        spare = event.spare_path
        if spare is None:
            return
        ask(
            self,
            name="divergedMessage",
            title=title,
            text=message,
            details=self.tr("Keep it in the library anyway (it will not become active)?"),
            icon=QMessageBox.Icon.Warning,
            choices=[
                Choice(
                    self.tr("Discard it"),
                    "discardDivergedButton",
                    QMessageBox.ButtonRole.RejectRole,
                    lambda: self._settle_spare(spare, keep=False),
                ),
                Choice(
                    self.tr("Keep it in the library"),
                    "keepDivergedButton",
                    QMessageBox.ButtonRole.AcceptRole,
                    lambda: self._settle_spare(spare, keep=True),
                ),
            ],
        )

    def _settle_spare(self, spare: str | None, *, keep: bool) -> str | None:
        """Move a run's spare model into the library (returns its path), or delete it."""
        if spare is None:
            return None
        if not keep:
            Path(spare).unlink(missing_ok=True)
            return None
        from model.library import keep_spare

        network = self._run_config.network if self._run_config else "model"
        try:
            kept = str(keep_spare(spare, network))
        except (DigitpadError, OSError) as exc:
            self._show_error(
                self.tr("Could not keep the run's model: {error}").format(error=error_text(exc))
            )
            return None
        self._log_line(self.tr("Kept {path} in the library").format(path=path_text(kept)))
        return kept

    # -- views -----------------------------------------------------------

    def _show_batch_progress(self, event: BatchProgress) -> None:
        if self._state is not _State.RUNNING:
            return  # paused or stopping: that text stays until the state changes
        _set_progress(self._progress, event.step, self._progress_text())
        self._emit_status()

    def position_text(self) -> str:
        """Where the run is, in a few words: ``epoch 5/10`` (for questions and other tabs)."""
        event = self._last_progress
        if event is None:
            if self._state is _State.STARTING:
                return self.tr("loading MNIST")
            return self.tr("its start")
        epochs = event.total_steps // max(event.batches_per_epoch, 1)
        return self.tr("epoch {epoch}/{epochs}").format(epoch=event.epoch, epochs=epochs)

    def _emit_status(self) -> None:
        state = self._state
        network = self._run_config.network if self._run_config else ""
        event = self._last_progress
        if state is _State.IDLE:
            text = ""
        elif state is _State.STOPPING:
            text = self.tr("Stopping training…")
        elif state is _State.PAUSED:
            text = self.tr("Training {network}: paused at {position}").format(
                network=network, position=self.position_text()
            )
        else:
            text = self.tr("Training {network}: {position}").format(
                network=network, position=self.position_text()
            )
            if event is not None:
                text += " · " + percent(event.step / max(event.total_steps, 1), 0)
        if text != self._status:
            self._status = text
            self.statusChanged.emit(text)

    def _progress_text(self, *, live: bool = True) -> str:
        """Where the run is; ``live`` adds the ETA and speed, which mean nothing once it halts."""
        event = self._last_progress
        if event is None:
            return self.tr("waiting for the first batches")
        epochs = event.total_steps // max(event.batches_per_epoch, 1)
        text = self.tr("Epoch {epoch}/{epochs} · batch {batch}/{batches}").format(
            epoch=event.epoch, epochs=epochs, batch=event.batch, batches=event.batches_per_epoch
        )
        if live:
            text += " · " + self.tr("ETA {time} · {speed} samples/s").format(
                time=_clock(event.eta_seconds), speed=integer(round(event.samples_per_second))
            )
        return text

    def _paused_text(self) -> str:
        return self.tr("Paused · {position}").format(position=self._progress_text(live=False))

    def _log_line(self, text: str) -> None:
        self._log.appendPlainText(text)

    def _show_error(self, message: str) -> None:
        self._error_label.setText(message)
        self._error_label.show()

    def _hide_error(self) -> None:
        self._error_label.clear()
        self._error_label.hide()

    def _set_state(self, state: _State) -> None:
        self._state = state
        self._update_controls()
        self._emit_status()

    def _update_controls(self) -> None:
        state = self._state
        idle = state is _State.IDLE
        self._settings_box.setEnabled(idle)
        self._start_button.setEnabled(idle)
        self._pause_button.setEnabled(state in (_State.RUNNING, _State.PAUSED))
        self._stop_button.setEnabled(state in (_State.STARTING, _State.RUNNING, _State.PAUSED))
        paused = state is _State.PAUSED
        self._pause_button.setText(self.tr("Resume") if paused else self.tr("Pause"))
        pixmap = (
            QStyle.StandardPixmap.SP_MediaPlay if paused else QStyle.StandardPixmap.SP_MediaPause
        )
        self._pause_button.setIcon(self.style().standardIcon(pixmap))

        self._momentum_spin.setEnabled(self._optimizer_combo.currentText() == "sgd")
        recipe = RECOMMENDED[self._model_combo.currentText()]
        matches = self._matches(recipe)
        self._recipe_button.setEnabled(not matches)
        # The in-use state shows on the button, so the hint's text (and height) stays put.
        self._recipe_button.setText(
            self.tr("Recommended settings in use")
            if matches
            else self.tr("Use recommended settings")
        )
        self._recipe_hint.setText(_recipe_hint(recipe.network))
