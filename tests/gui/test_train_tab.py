"""The Train tab through its real buttons: real training on the MNIST subset, real model files.

Widgets are found by objectName, as a screen reader or a script would. Runs are
short (the subset: 4000 train / 1000 test images); the ones that must still be
running when a button is pressed use small batches and many epochs, and are
stopped long before they would end.
"""

from __future__ import annotations

import math
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import numpy as np
import pytest
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from gui.loss_chart import (
    ACCURACY_OUTLINE_PX,
    ACCURACY_SYMBOL_PX,
    REDRAW_INTERVAL_MS,
    LossChart,
)
from gui.settings import Settings
from gui.train_tab import TrainTab, training_threads
from model.config import TrainConfig
from model.paths import default_data_dir, models_dir, trash_dir

ROOT = Path(__file__).resolve().parents[2]
RUN_TIMEOUT_MS = 120_000  # generous: the machine running the suite may be busy
LONG_RUN = {"epochs": 50, "batch_size": 8}  # 25,000 batches: still running when we act


pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture
def tab(qtbot: QtBot, test_data: Path) -> Iterator[TrainTab]:
    tab = TrainTab()
    qtbot.addWidget(tab)
    tab.resize(1000, 650)  # not shown: offscreen Qt warns "does not support propagateSizeHints()"
    field(tab, QLineEdit, "dataFolderEdit").setText(str(test_data))
    yield tab
    assert tab.shutdown(5000)


W = TypeVar("W", bound=QWidget)


def field(tab: QWidget, kind: type[W], name: str) -> W:
    widget = tab.findChild(kind, name)
    assert widget is not None, f"no {kind.__name__} named {name!r}"
    return widget


def configure(tab: TrainTab, *, epochs: int, batch_size: int = 32, lr: float | None = None) -> None:
    field(tab, QSpinBox, "epochsSpin").setValue(epochs)
    field(tab, QSpinBox, "batchSizeSpin").setValue(batch_size)
    if lr is not None:
        field(tab, QDoubleSpinBox, "lrSpin").setValue(lr)


def button(tab: TrainTab, name: str) -> QPushButton:
    return field(tab, QPushButton, name)


def log_text(tab: TrainTab) -> str:
    return field(tab, QPlainTextEdit, "trainLog").toPlainText()


def error_banner(tab: TrainTab) -> QLabel:
    return field(tab, QLabel, "trainError")


def saved_models() -> list[Path]:
    return sorted(models_dir().glob("*.pt")) if models_dir().exists() else []


def assert_idle(tab: TrainTab) -> None:
    assert not tab.is_training
    assert button(tab, "startButton").isEnabled()
    assert not button(tab, "pauseButton").isEnabled()
    assert not button(tab, "stopButton").isEnabled()
    assert field(tab, QComboBox, "modelCombo").isEnabled()


def wait_idle(qtbot: QtBot, tab: TrainTab) -> None:
    qtbot.waitUntil(lambda: not tab.is_training, timeout=RUN_TIMEOUT_MS)


def start_and_wait_for_batches(qtbot: QtBot, tab: TrainTab) -> None:
    button(tab, "startButton").click()
    qtbot.waitUntil(lambda: tab.chart.point_count() > 0, timeout=RUN_TIMEOUT_MS)


# -- the form -------------------------------------------------------------


def test_form_starts_with_the_tutorial_recipe(tab: TrainTab) -> None:
    defaults = TrainConfig()
    assert field(tab, QComboBox, "modelCombo").currentText() == defaults.network
    assert field(tab, QSpinBox, "epochsSpin").value() == defaults.epochs
    assert field(tab, QSpinBox, "batchSizeSpin").value() == defaults.batch_size
    assert field(tab, QComboBox, "optimizerCombo").currentText() == defaults.optimizer
    assert field(tab, QDoubleSpinBox, "lrSpin").value() == pytest.approx(defaults.lr)
    assert field(tab, QDoubleSpinBox, "momentumSpin").value() == pytest.approx(defaults.momentum)
    assert field(tab, QSpinBox, "seedSpin").value() == defaults.seed
    devices = field(tab, QComboBox, "deviceCombo")
    assert [devices.itemText(i) for i in range(devices.count())] == ["auto", "cpu"]
    assert_idle(tab)
    assert error_banner(tab).isHidden()
    for name in ("startButton", "pauseButton", "stopButton", "trainProgress", "lossChart"):
        assert tab.findChild(QWidget, name).accessibleName() == name

    fresh = TrainTab()  # before the fixture's edit, the folder is the user data folder
    assert fresh.findChild(QLineEdit, "dataFolderEdit").text() == str(default_data_dir())
    fresh.deleteLater()


def test_set_devices_offers_only_those(tab: TrainTab) -> None:
    devices = field(tab, QComboBox, "deviceCombo")
    devices.setCurrentText("cpu")
    tab.set_devices(["auto", "cpu", "cuda"])
    assert [devices.itemText(i) for i in range(devices.count())] == ["auto", "cpu", "cuda"]
    assert devices.currentText() == "cpu"


def test_cnn_offers_its_recipe(tab: TrainTab) -> None:
    network = field(tab, QComboBox, "modelCombo")
    recommended = button(tab, "recommendedButton")
    assert not recommended.isEnabled()  # the form holds the mlp recipe already

    network.setCurrentText("cnn")  # untouched form: the recipe follows the network
    assert tab.current_config().network == "cnn"
    assert field(tab, QSpinBox, "epochsSpin").value() == 6
    assert field(tab, QSpinBox, "batchSizeSpin").value() == 128
    assert field(tab, QComboBox, "optimizerCombo").currentText() == "adam"
    assert field(tab, QDoubleSpinBox, "lrSpin").value() == pytest.approx(0.005)
    assert field(tab, QComboBox, "scheduleCombo").currentText() == "onecycle"
    assert field(tab, QCheckBox, "augmentCheck").isChecked()  # the cnn's recipe distorts batches
    data = field(tab, QComboBox, "trainingDataCombo")
    assert data.currentText() == "MNIST + real pen digits"  # and trains on real pen digits too
    assert tab.current_config().augment and tab.current_config().pen_digits
    assert "augmented · + real pen digits" in field(tab, QLabel, "recipeHint").text()
    assert not field(tab, QDoubleSpinBox, "momentumSpin").isEnabled()  # adam has none

    field(tab, QSpinBox, "epochsSpin").setValue(2)  # the user's edit wins from now on
    assert recommended.isEnabled()
    network.setCurrentText("mlp")
    assert field(tab, QSpinBox, "epochsSpin").value() == 2
    assert field(tab, QComboBox, "optimizerCombo").currentText() == "adam"
    recommended.click()
    assert not field(tab, QCheckBox, "augmentCheck").isChecked()
    assert data.currentText() == "MNIST"
    assert tab.current_config() == TrainConfig(
        data_dir=tab.current_config().data_dir, download=tab.current_config().download
    )
    assert not recommended.isEnabled()


def test_settings_round_trip(tab: TrainTab, tmp_path: Path, qtbot: QtBot) -> None:
    settings = Settings(tmp_path / "digitpad.ini")
    configure(tab, epochs=7, batch_size=64, lr=0.00123)
    field(tab, QComboBox, "optimizerCombo").setCurrentText("adam")
    field(tab, QSpinBox, "seedSpin").setValue(42)
    field(tab, QCheckBox, "downloadCheck").setChecked(False)
    field(tab, QCheckBox, "augmentCheck").setChecked(True)
    field(tab, QComboBox, "trainingDataCombo").setCurrentText("MNIST + real pen digits")
    tab.set_devices(["auto", "cpu", "cuda"])
    field(tab, QComboBox, "deviceCombo").setCurrentText("cuda")
    tab.save_settings(settings)

    again = TrainTab()
    qtbot.addWidget(again)
    again.load_settings(Settings(tmp_path / "digitpad.ini"))
    assert again.current_config().device == "auto"  # cuda is not offered yet...
    again.set_devices(["auto", "cpu", "cuda"])  # ...until the main window says it is there
    assert again.current_config() == tab.current_config()
    assert again.current_config().lr == pytest.approx(0.00123)
    assert again.current_config().augment and again.current_config().pen_digits


# -- runs -----------------------------------------------------------------


def test_run_trains_saves_and_emits_the_model(qtbot: QtBot, tab: TrainTab) -> None:
    from model.checkpoints import load_model

    configure(tab, epochs=2)
    with qtbot.waitSignal(tab.modelTrained, timeout=RUN_TIMEOUT_MS) as trained:
        button(tab, "startButton").click()
        assert tab.is_training
        assert not button(tab, "startButton").isEnabled()
        assert button(tab, "stopButton").isEnabled()
        assert not field(tab, QSpinBox, "epochsSpin").isEnabled()
    wait_idle(qtbot, tab)

    path = Path(trained.args[0])
    assert path.parent == models_dir()
    assert path.name.startswith("mlp-") and path.suffix == ".pt"
    assert saved_models() == [path]
    loaded = load_model(path)
    assert loaded.network_name == "mlp"
    assert loaded.card.test_accuracy > 0.8

    assert tab.chart.point_count() == 2 * 125  # one point per batch: 4000 / 32 = 125 per epoch
    assert tab.chart.epoch_count() == 2
    progress = field(tab, QProgressBar, "trainProgress")
    assert progress.maximum() == 250
    assert progress.value() == progress.maximum()
    assert progress.text().startswith("Done")
    log = log_text(tab)
    assert "Epoch 1/2" in log and "Epoch 2/2" in log
    assert "test accuracy" in log and "samples/s" in log
    assert str(path) in log
    assert [e.epoch for e in tab.epoch_results] == [1, 2]
    assert error_banner(tab).isHidden()
    # auto's choice and its reason, in one line under the device box
    reason = field(tab, QLabel, "deviceReason")
    assert reason.isVisibleTo(tab)
    assert reason.text() == "Running on cpu · auto: the only device here"
    assert "(hand-written mlp step)" in log
    assert_idle(tab)


def test_pause_holds_the_run_and_resume_finishes_it(qtbot: QtBot, tab: TrainTab) -> None:
    configure(tab, epochs=3, batch_size=8)  # 1,500 batches
    pause = button(tab, "pauseButton")
    start_and_wait_for_batches(qtbot, tab)

    pause.click()
    assert pause.text() == "Resume"
    paused = field(tab, QProgressBar, "trainProgress").text()
    assert paused.startswith("Paused") and "ETA" not in paused and "samples/s" not in paused
    qtbot.waitUntil(lambda: "Paused after" in log_text(tab), timeout=RUN_TIMEOUT_MS)
    held = tab.chart.point_count()
    assert 0 < held < 1500
    qtbot.wait(400)
    assert tab.chart.point_count() == held  # no batch trained while paused
    assert tab.is_training and button(tab, "stopButton").isEnabled()

    with qtbot.waitSignal(tab.modelTrained, timeout=RUN_TIMEOUT_MS):
        pause.click()
        assert pause.text() == "Pause"
    wait_idle(qtbot, tab)
    assert tab.chart.point_count() == 1500
    assert "Resumed" in log_text(tab)
    assert len(saved_models()) == 1


@pytest.mark.parametrize("paused_first", [False, True], ids=["running", "paused"])
def test_stop_saves_nothing_and_returns_to_idle(
    qtbot: QtBot, tab: TrainTab, paused_first: bool
) -> None:
    configure(tab, **LONG_RUN)
    trained: list[str] = []
    tab.modelTrained.connect(trained.append)
    start_and_wait_for_batches(qtbot, tab)
    if paused_first:
        button(tab, "pauseButton").click()
        qtbot.waitUntil(lambda: "Paused after" in log_text(tab), timeout=RUN_TIMEOUT_MS)

    button(tab, "stopButton").click()
    assert not button(tab, "stopButton").isEnabled()
    wait_idle(qtbot, tab)
    qtbot.wait(50)  # anything still queued would arrive now

    assert trained == []
    assert saved_models() == []
    assert "Stopped after 0 of 50 epochs" in log_text(tab)
    stopped = field(tab, QProgressBar, "trainProgress").text()
    assert stopped.startswith("Stopped") and "ETA" not in stopped and "samples/s" not in stopped
    assert "Resumed" not in log_text(tab)  # stopping while paused never resumes
    assert error_banner(tab).isHidden()
    assert_idle(tab)


def test_shutdown_during_training_is_quick_and_clean(qtbot: QtBot, tab: TrainTab) -> None:
    configure(tab, **LONG_RUN)
    trained: list[str] = []
    tab.modelTrained.connect(trained.append)
    start_and_wait_for_batches(qtbot, tab)

    began = time.perf_counter()
    assert tab.shutdown()
    assert time.perf_counter() - began < 1.0
    assert_idle(tab)  # shutdown delivered the worker's last events itself
    tab.close()
    qtbot.wait(50)
    assert trained == []
    assert saved_models() == []


def test_shutdown_right_after_start_stops_while_loading(qtbot: QtBot, tab: TrainTab) -> None:
    configure(tab, epochs=1)
    button(tab, "startButton").click()
    assert tab.shutdown()  # the worker is still loading MNIST: it stops before any batch
    assert_idle(tab)
    assert tab.chart.point_count() == 0
    assert saved_models() == []


def test_closing_while_torch_still_imports_exits_cleanly(test_data: Path) -> None:
    """The first run imports torch in the worker (seconds); the window may close meanwhile.

    A fresh interpreter, so torch really is importing: shutdown times out, the tab
    is destroyed anyway, and the app must wait for the thread instead of aborting.
    """
    script = f"""
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton
from gui.train_tab import TrainTab, training_threads
app = QApplication([])
tab = TrainTab()
tab.findChild(QLineEdit, "dataFolderEdit").setText({str(test_data)!r})
tab.findChild(QPushButton, "startButton").click()
assert not tab.shutdown(0), "torch imported already?"
tab.deleteLater()
QTimer.singleShot(0, app.quit)
app.exec()
print("exited cleanly", "torch" in sys.modules)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "exited cleanly True"
    assert "QThread" not in done.stderr
    assert saved_models() == []


def test_shutdown_when_idle_is_a_no_op(tab: TrainTab) -> None:
    assert tab.shutdown(0)
    assert_idle(tab)


# -- errors ---------------------------------------------------------------


def test_missing_data_folder_is_a_clear_message(
    qtbot: QtBot, tab: TrainTab, tmp_path: Path, test_data: Path
) -> None:
    missing = tmp_path / "no-mnist-here"
    field(tab, QLineEdit, "dataFolderEdit").setText(str(missing))
    field(tab, QCheckBox, "downloadCheck").setChecked(False)  # never reach for the network here
    button(tab, "startButton").click()
    wait_idle(qtbot, tab)

    banner = error_banner(tab)
    assert banner.isVisibleTo(tab)
    assert "MNIST not found" in banner.text() and str(missing) in banner.text()
    assert "MNIST not found" in log_text(tab)
    assert field(tab, QProgressBar, "trainProgress").text() == "Failed"
    assert saved_models() == []
    assert_idle(tab)

    field(tab, QLineEdit, "dataFolderEdit").setText(str(test_data))  # fixed: it trains
    configure(tab, epochs=1, batch_size=64)
    with qtbot.waitSignal(tab.modelTrained, timeout=RUN_TIMEOUT_MS):
        button(tab, "startButton").click()
        assert banner.isHidden()  # a new run clears the old message
    wait_idle(qtbot, tab)


def test_diverging_run_names_the_learning_rate(qtbot: QtBot, tab: TrainTab) -> None:
    configure(tab, epochs=1, lr=100.0)
    trained: list[str] = []
    tab.modelTrained.connect(trained.append)
    button(tab, "startButton").click()
    wait_idle(qtbot, tab)

    message = error_banner(tab).text()
    assert error_banner(tab).isVisibleTo(tab)
    assert "learning rate (100)" in message and "nan" in message.lower()
    assert "Error: the loss became" in log_text(tab)
    assert trained == [] and saved_models() == []
    assert_idle(tab)


@pytest.mark.parametrize(
    ("optimizer", "lr", "batch_size", "title", "advice"),
    [
        # The loss falls a little from ln 10 in one epoch: about 40 %, learned, not enough.
        ("sgd", 0.002, 100, "The run did not learn enough", "train for more epochs"),
        # The loss reaches about 1e13: a real divergence, however many digits it still reads.
        ("adam", 1000.0, 500, "The run diverged", "try a lower learning rate than 1000"),
    ],
    ids=["learned-too-little", "diverged"],
)
def test_a_run_under_50_percent_is_headed_by_what_its_loss_did(
    qtbot: QtBot,
    tab: TrainTab,
    optimizer: str,
    lr: float,
    batch_size: int,
    title: str,
    advice: str,
) -> None:
    configure(tab, epochs=1, batch_size=batch_size, lr=lr)
    field(tab, QComboBox, "optimizerCombo").setCurrentText(optimizer)
    trained: list[str] = []
    tab.modelTrained.connect(trained.append)
    button(tab, "startButton").click()
    qtbot.waitUntil(
        lambda: tab.findChild(QMessageBox, "divergedMessage") is not None, timeout=RUN_TIMEOUT_MS
    )
    dialog = tab.findChild(QMessageBox, "divergedMessage")
    wait_idle(qtbot, tab)

    (last,) = tab.epoch_results
    assert last.test_accuracy < 0.5  # the core refuses both for their accuracy
    assert (last.train_loss < math.log(10)) == ("enough" in title)
    assert dialog.windowTitle() == title
    banner = error_banner(tab).text()
    assert banner.startswith(f"{title}: its test accuracy is ") and advice in banner
    assert banner == dialog.text() and banner in log_text(tab)
    progress = field(tab, QProgressBar, "trainProgress").format()
    assert progress.startswith("Did not learn enough" if "enough" in title else "Diverged")
    assert trained == [] and saved_models() == []
    dialog.findChild(QPushButton, "discardDivergedButton").click()
    assert not any(trash_dir().glob("*.pt"))


def test_unavailable_device_is_a_clear_message(qtbot: QtBot, tab: TrainTab) -> None:
    tab.set_devices(["auto", "cpu", "mps"])  # no Linux machine has Apple's mps
    field(tab, QComboBox, "deviceCombo").setCurrentText("mps")
    button(tab, "startButton").click()
    wait_idle(qtbot, tab)
    assert "'mps' is not available" in error_banner(tab).text()
    assert_idle(tab)


# -- the chart ------------------------------------------------------------


def test_chart_keeps_every_batch_of_a_full_run_and_redraws_throttled(qtbot: QtBot) -> None:
    chart = LossChart()
    qtbot.addWidget(chart)
    chart.resize(800, 400)
    curve = chart.getPlotItem().listDataItems()[0]
    redraws: list[int] = []
    curve.sigPlotChanged.connect(lambda _item: redraws.append(chart.point_count()))

    rng = np.random.default_rng(0)
    steps = 10 * 1875  # a full 10-epoch MNIST run at batch 32
    losses = 2.3 * np.exp(-np.arange(steps) / 500) + rng.exponential(0.05, steps)
    began = time.perf_counter()
    for start in range(0, steps, 25):
        chart.append_losses(start + 1, losses[start : start + 25].tolist())
        if (start + 25) % 1875 == 0:
            chart.add_epoch(start + 25, 0.9 + start / steps / 20)
    appending = time.perf_counter() - began
    chart.repaint_now()

    assert chart.point_count() == steps
    assert chart.epoch_count() == 10
    assert appending < 1.0  # 750 chunks: buffers, no replotting
    assert len(redraws) <= 3  # one immediate draw, at most one timer tick, repaint_now
    assert redraws[-1] == steps
    x, y = curve.getOriginalDataset()
    assert x[0] == 1 and x[-1] == steps and np.allclose(y, losses)

    qtbot.wait(REDRAW_INTERVAL_MS + 50)  # the throttle's timer must not fire with stale data
    chart.clear()
    assert chart.point_count() == 0 and chart.epoch_count() == 0
    assert len(chart.getPlotItem().listDataItems()) == 2  # clear() keeps the curves
    chart.append_losses(1, [1.0])
    chart.repaint_now()
    assert chart.point_count() == 1


def test_chart_draws_about_two_points_per_pixel_column_and_keeps_every_spike(
    qtbot: QtBot,
) -> None:
    chart = LossChart()
    qtbot.addWidget(chart)
    chart.resize(800, 400)
    chart.show()
    qtbot.waitExposed(chart)
    chart.set_epoch_length(1875)
    curve = chart.getPlotItem().listDataItems()[0]
    rng = np.random.default_rng(1)
    steps = 10 * 1875
    losses = 0.5 + rng.uniform(-0.1, 0.1, steps)
    losses[9_001] = 4.0  # one batch's loss leaps up: the user must see it
    losses[12_345] = 0.01
    chart.append_losses(1, losses.tolist())
    chart.repaint_now()

    x, y = curve.getData()  # what is drawn
    width = chart.getPlotItem().vb.width()
    assert len(x) <= 2 * width + 4  # peak downsampling: each column's lowest and highest
    assert y.max() == 4.0 and y.min() == 0.01
    column = steps / width  # batches per pixel column, about
    # The whole run: from the first column to the last (a partial last block waits
    # for its batches, less than a column).
    assert x[0] <= column and x[-1] >= steps - 2 * column
    assert len(curve.getOriginalDataset()[0]) == steps  # every batch is kept


def test_chart_shows_each_epochs_accuracy_as_it_comes_and_only_the_current_runs(
    qtbot: QtBot,
) -> None:
    chart = LossChart()
    qtbot.addWidget(chart)
    chart.resize(800, 400)
    chart.set_epoch_length(100)
    accuracy = chart.getPlotItem().getAxis("right").linkedView().addedItems[0]

    def shown() -> list[tuple[float, float]]:
        x, y = accuracy.getData()
        return [] if x is None else list(zip(x.tolist(), y.tolist(), strict=True))

    def epoch(step: int, fraction: float) -> None:
        chart.append_losses(step - 99, [0.5] * 100)
        chart.add_epoch(step, fraction)
        chart.repaint_now()

    epoch(100, 0.80)
    assert shown() == [(100, 80.0)]
    chart.append_losses(101, [0.4] * 50)  # batches without a new epoch keep it as it is
    chart.repaint_now()
    assert shown() == [(100, 80.0)]
    chart.append_losses(151, [0.4] * 50)
    chart.add_epoch(200, 0.9)
    chart.repaint_now()
    assert shown() == [(100, 80.0), (200, 90.0)]
    low, high = chart.getPlotItem().getAxis("right").range
    assert low <= 80 and high >= 90  # the accuracy axis spans every epoch's point

    chart.clear()  # a new run: none of the last run's epochs
    assert shown() == []
    epoch(100, 0.85)
    assert shown() == [(100, 85.0)]


def _finished_run_chart(
    qtbot: QtBot, epoch_length: int, accuracies: tuple[float, ...], last_loss: float
) -> LossChart:
    """A 700x380 chart on screen, showing a whole run: falling losses, an accuracy per epoch."""
    chart = LossChart()
    qtbot.addWidget(chart)
    chart.resize(700, 380)
    chart.show()
    qtbot.waitExposed(chart)
    chart.set_epoch_length(epoch_length)
    batches = epoch_length * len(accuracies)
    chart.append_losses(1, np.linspace(2.3, last_loss, batches).tolist())
    for epoch, fraction in enumerate(accuracies, start=1):
        chart.add_epoch(epoch_length * epoch, fraction)
    chart.repaint_now()
    return chart


def test_the_last_epoch_s_accuracy_marker_is_drawn_whole(qtbot: QtBot) -> None:
    """The last epoch ends on the x range's end: a margin keeps its marker inside the view."""
    from PySide6.QtCore import QPointF

    chart = _finished_run_chart(qtbot, 125, (0.86, 0.90, 0.92), last_loss=0.2)
    accuracy_view = chart.getPlotItem().getAxis("right").linkedView()
    radius = ACCURACY_SYMBOL_PX / 2 + ACCURACY_OUTLINE_PX / 2

    for width in (700, 420):  # and after the window is made narrower
        chart.resize(width, 380)
        qtbot.waitUntil(lambda w=width: chart.width() == w)
        view = chart.getPlotItem().vb
        (left, right), _ = view.viewRange()
        pixels_per_batch = view.width() / (right - left)
        assert (right - 375) * pixels_per_batch >= radius

        # The rendered pixels: the marker's orange reaches as far right of its centre as left.
        centre = chart.mapFromScene(accuracy_view.mapViewToScene(QPointF(375, 92.0)))
        image = chart.viewport().grab().toImage()
        dpr = image.devicePixelRatio()

        def orange(dx: int, c=centre, img=image, dpr=dpr) -> bool:
            pixel = img.pixelColor(round((c.x() + dx) * dpr), round(c.y() * dpr))
            return pixel.red() > 200 and 60 < pixel.green() < 130 and pixel.blue() < 80

        def reach(step: int) -> int:
            return next(i for i in range(1, 20) if not orange(step * i)) - 1

        assert orange(0) and abs(reach(1) - reach(-1)) <= 1 and reach(1) >= 2, width


def test_the_accuracy_line_stays_below_the_legend(qtbot: QtBot) -> None:
    """A run's accuracy climbs to the top right, where the legend is: its points stay clear."""
    from PySide6.QtCore import QPointF

    accuracies = (0.94, 0.96, 0.965, 0.97, 0.972, 0.974, 0.975, 0.976, 0.977, 0.978)
    chart = _finished_run_chart(qtbot, 100, accuracies, last_loss=0.1)
    accuracy_view = chart.getPlotItem().getAxis("right").linkedView()
    legend = chart.getPlotItem().legend

    for width, height in ((700, 380), (480, 300)):  # and after the window is made smaller
        chart.resize(width, height)
        qtbot.waitUntil(lambda w=width, h=height: (chart.width(), chart.height()) == (w, h))
        box = legend.mapRectToScene(legend.boundingRect())
        under = 0
        for epoch, fraction in enumerate(accuracies, start=1):
            point = accuracy_view.mapViewToScene(QPointF(100 * epoch, 100 * fraction))
            if point.x() + ACCURACY_SYMBOL_PX / 2 < box.left():
                continue  # left of the legend: it cannot cover it
            under += 1
            assert point.y() - ACCURACY_SYMBOL_PX / 2 >= box.bottom(), (height, epoch)
        assert under >= 2  # the last epochs are where the legend is
    # So small a chart needs room above 100 %; the axis still reads no more than 100.
    low, high = accuracy_view.viewRange()[1]
    assert high > 100
    ticks = chart.getPlotItem().getAxis("right").tickValues(low, high, 300)
    assert ticks and all(v <= 100 for _, values in ticks for v in values)


@pytest.mark.parametrize(
    ("current", "cpus", "expected"), [(2, 2, 1), (16, 16, 15), (4, 16, 4), (1, 1, 1), (8, None, 1)]
)
def test_training_leaves_the_gui_thread_a_core(
    current: int, cpus: int | None, expected: int
) -> None:
    assert training_threads(current, cpus) == expected


# -- imports --------------------------------------------------------------


def test_importing_the_tab_does_not_load_torch() -> None:
    code = (
        "import sys, gui.train_tab, gui.loss_chart; "
        "assert 'torch' not in sys.modules, sorted(m for m in sys.modules if 'torch' in m)[:5]"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr


# -- stop with a finished epoch ---------------------------------------------


def _stop_question(qtbot: QtBot, tab: TrainTab) -> QMessageBox:
    qtbot.waitUntil(lambda: tab.findChild(QMessageBox, "stopMessage") is not None, timeout=5000)
    return tab.findChild(QMessageBox, "stopMessage")


def test_stop_offers_to_keep_the_best_finished_epoch(qtbot: QtBot, tab: TrainTab) -> None:
    from model.checkpoints import load_model

    configure(tab, epochs=50, batch_size=128)
    trained: list[str] = []
    tab.modelTrained.connect(trained.append)
    button(tab, "startButton").click()
    qtbot.waitUntil(lambda: len(tab.epoch_results) >= 1, timeout=RUN_TIMEOUT_MS)

    button(tab, "stopButton").click()
    question = _stop_question(qtbot, tab)
    assert "is the best so far" in question.text()
    assert button(tab, "pauseButton").text() == "Resume"  # the run holds while asked
    field(question, QPushButton, "continueButton").click()
    assert tab.is_training and button(tab, "pauseButton").text() == "Pause"

    button(tab, "stopButton").click()
    field(_stop_question(qtbot, tab), QPushButton, "keepBestButton").click()
    wait_idle(qtbot, tab)
    qtbot.waitUntil(lambda: len(trained) == 1, timeout=5000)
    kept = Path(trained[0])
    assert saved_models() == [kept]
    card = load_model(kept).card
    best = max(tab.epoch_results, key=lambda e: e.test_accuracy)
    assert card.test_accuracy == best.test_accuracy
    assert card.hyperparameters["epochs_trained"] == best.epoch
    assert "kept the best epoch" in log_text(tab)


def test_stop_and_keep_nothing_leaves_no_file(qtbot: QtBot, tab: TrainTab) -> None:
    configure(tab, epochs=50, batch_size=128)
    button(tab, "startButton").click()
    qtbot.waitUntil(lambda: len(tab.epoch_results) >= 1, timeout=RUN_TIMEOUT_MS)
    button(tab, "stopButton").click()
    field(_stop_question(qtbot, tab), QPushButton, "discardRunButton").click()
    wait_idle(qtbot, tab)
    assert saved_models() == []
    assert not any(trash_dir().glob("*.pt"))
    assert "nothing was saved" in log_text(tab)


def test_chart_follows_the_run_an_epoch_at_a_time_until_the_user_zooms(qtbot: QtBot) -> None:
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    chart = LossChart()
    qtbot.addWidget(chart)
    chart.resize(800, 400)
    chart.set_epoch_length(125)
    view = chart.getPlotItem().vb

    chart.append_losses(1, [2.0, 1.5, 1.0])
    chart.repaint_now()
    (x0, x1), (y0, y1) = view.viewRange()
    # A whole epoch, and a few pixels for the last accuracy marker.
    assert x0 == 0 and 125 < x1 < 126.5 and y0 == 0 and y1 == pytest.approx(2.2)
    chart.append_losses(4, [0.5] * 130)  # into the second epoch; no higher loss
    chart.repaint_now()
    x0, x1 = view.viewRange()[0]
    assert x0 == 0 and 250 < x1 < 253 and view.viewRange()[1][1] == pytest.approx(2.2)

    centre = QPointF(chart.viewport().rect().center())
    wheel = QWheelEvent(
        centre,
        QPointF(chart.viewport().mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(chart.viewport(), wheel)  # the user zooms in
    zoomed = view.viewRange()
    assert zoomed[0][1] < 250
    chart.append_losses(134, [3.0] * 200)  # the view stays where the user put it
    chart.repaint_now()
    assert view.viewRange() == zoomed

    chart.clear()  # a new run is followed again
    chart.append_losses(1, [1.0])
    chart.repaint_now()
    x0, x1 = view.viewRange()[0]
    assert x0 == 0 and 125 < x1 < 126.5
