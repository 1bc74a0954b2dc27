"""The Train tab's live chart: batch loss, its smoothed trend, and test accuracy per epoch.

Batches arrive hundreds of times a second and a full 10-epoch MNIST run makes
about 19,000 points, so the chart never replots per batch: points go into
preallocated numpy buffers (grown by doubling) and a ``Throttle`` hands
pyqtgraph ``buffer[:n]`` 5 times a second, with peak downsampling and
clip-to-view so a redraw costs about the same at 100 points as at 100,000.

pyqtgraph paints in Python, so every frame holds the GIL the training thread
needs: a frame is kept to about 3 ms (no grid, opaque pens, a strided smoothed
curve, one paint per frame, and the axes, the legend and the accuracy curve
repainted from pixmaps until they change), which bench/gui_responsiveness.py
measures.

The view follows the run without pyqtgraph's auto-range: that refits both
axes on every frame, and regenerating the axes' ticks was the largest part of a
frame (bench/gui_responsiveness.py --profile). Here x spans whole epochs (and a
few pixels more, so the last epoch's accuracy marker is drawn whole) and y runs
from 0 to a little above the highest loss, so the axes change a few times a run. Zooming or panning by hand stops the following until the next run.

Test accuracy has its own scale, so it lives in a second ViewBox linked on x
and drawn against the right axis, as in pyqtgraph's MultiplePlotAxes example.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Slot
from PySide6.QtWidgets import QGraphicsItem, QWidget

from gui.throttle import Throttle

# 5 redraws a second: a frame holds the GIL the training thread needs (pyqtgraph
# paints in Python, and PySide6 keeps the GIL during QPainter calls). Measured
# with bench/gui_responsiveness.py: at 10 a second the GUI thread spent about
# 145 ms of CPU per mlp epoch, at 5 about 100 ms.
REDRAW_INTERVAL_MS = 200
Y_HEADROOM = 1.1  # the loss axis tops out 10 % above the highest loss so far
ACCURACY_SYMBOL_PX = 8  # the accuracy markers' diameter
ACCURACY_OUTLINE_PX = 1.5  # their white outline, half of it outside the diameter
# Room right of the last epoch's marker: its radius, the outside half of its outline,
# and a pixel. The last epoch ends on the x range's end, where half of it was cut off.
RIGHT_MARGIN_PX = ACCURACY_SYMBOL_PX / 2 + ACCURACY_OUTLINE_PX / 2 + 1
RAW_POINTS_PER_PIXEL = 1.0  # batches per pixel column before peak downsampling starts
SMOOTH_POINTS = 400  # points drawn of the smoothed curve, whatever the run's length
EMA_WEIGHT = 0.95  # the smoothed curve follows about the last 20 batches
EMPTY_BATCHES = 100  # the x span of an empty chart
EMPTY_LOSS = 2.5  # the loss span of an empty chart: an untrained network starts near ln 10

BACKGROUND = "#ffffff"
AXIS_COLOR = "#4b5563"
RAW_COLOR = "#a5c8f5"  # light blue: the noise stays in the background (opaque: blending costs)
SMOOTH_COLOR = "#1d4ed8"
ACCURACY_COLOR = "#ea580c"


class _Series:
    """x/y float64 buffers that grow by doubling; ``x[:n]`` and ``y[:n]`` are the data."""

    def __init__(self, capacity: int) -> None:
        self.x = np.empty(capacity)
        self.y = np.empty(capacity)
        self.n = 0

    def reserve(self, extra: int) -> None:
        needed = self.n + extra
        if needed <= len(self.x):
            return
        capacity = max(len(self.x), 1)
        while capacity < needed:
            capacity *= 2
        # New arrays rather than in-place resizes: pyqtgraph may still hold views
        # of the old ones, and the first n values never change.
        for name in ("x", "y"):
            grown = np.empty(capacity)
            grown[: self.n] = getattr(self, name)[: self.n]
            setattr(self, name, grown)

    def clear(self) -> None:
        self.n = 0


class _PercentAxis(pg.AxisItem):
    """The accuracy axis: no tick above 100 %, though the view may reach past it.

    The view goes past 100 when the highest point must stay under the legend
    (``LossChart._set_accuracy``); a tick reading "101" would be nonsense.
    """

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:
        return [
            (spacing, [v for v in values if v <= 100.0 + 1e-9])
            for spacing, values in super().tickValues(minVal, maxVal, size)
        ]


class LossChart(pg.PlotWidget):
    """Batch loss (thin), its moving average (bold), test accuracy per epoch (right axis)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, background=BACKGROUND, axisItems={"right": _PercentAxis("right")})
        # PlotWidget binds PlotItem.clear (which removes every item) onto the
        # instance; drop it so ``clear`` is ours: empty the data, keep the curves.
        del self.clear
        self.setObjectName("lossChart")
        self.setAccessibleName("lossChart")
        self.setAccessibleDescription(
            self.tr("Training loss per batch and test accuracy per epoch")
        )
        self.setMinimumSize(QSize(320, 200))

        self._loss = _Series(4096)
        self._smooth = np.empty(4096)
        self._ema = 0.0  # biased running average; divided by (1 - w**n) when read
        self._accuracy = _Series(64)
        self._epoch_length = 0  # batches per epoch, when the tab knows it
        self._follow = True  # False once the user zooms or pans
        self._loss_max = 0.0
        self._x_end = 0.0
        self._y_top = 0.0

        plot = self.getPlotItem()
        plot.setMenuEnabled(False)
        plot.disableAutoRange()
        plot.vb.sigRangeChangedManually.connect(self._on_range_changed_by_user)
        # No grid: pyqtgraph redraws grid lines with the axes on every frame, which
        # tripled the cost of a frame (measured; see bench/gui_responsiveness.py).
        plot.showAxis("right")
        for side in ("left", "bottom", "right"):
            axis = plot.getAxis(side)
            axis.setPen(pg.mkPen(AXIS_COLOR))
            axis.setTextPen(pg.mkPen(AXIS_COLOR))
        plot.setLabel("bottom", self.tr("batch"), color=AXIS_COLOR)
        plot.setLabel("left", self.tr("loss"), color=SMOOTH_COLOR)
        right = plot.getAxis("right")
        right.setLabel(self.tr("test accuracy (%)"), color=ACCURACY_COLOR)
        # No SI prefixes: a diverging run's loss read "loss (x1e+27)" over ticks of 1e+08.
        for side in ("left", "bottom", "right"):
            plot.getAxis(side).enableAutoSIPrefix(False)

        legend = plot.addLegend(offset=(-10, 10), labelTextColor=AXIS_COLOR)
        legend.setBrush(pg.mkBrush(255, 255, 255, 200))
        self._legend = legend

        self._raw_curve = pg.PlotDataItem(
            pen=pg.mkPen(RAW_COLOR, width=1), name=self.tr("batch loss")
        )
        self._smooth_curve = pg.PlotDataItem(
            pen=pg.mkPen(SMOOTH_COLOR, width=2), name=self.tr("smoothed")
        )
        plot.addItem(self._raw_curve)
        plot.addItem(self._smooth_curve)
        # After addItem, which gives each curve the plot's own downsampling and
        # clipping (none): set before it, they were silently undone, and a
        # 10-epoch run drew all 18,750 points in every frame (14 ms a frame).
        # Peak downsampling to about one block of batches per pixel column draws
        # each column's lowest and highest loss: what the full line shows there.
        self._raw_curve.setDownsampling(auto=True, method="peak")
        self._raw_curve.opts["autoDownsampleFactor"] = RAW_POINTS_PER_PIXEL
        self._smooth_curve.setDownsampling(auto=False)  # _redraw strides it: it is smooth
        for curve in (self._raw_curve, self._smooth_curve):
            curve.setClipToView(True)
            curve.setSkipFiniteCheck(True)  # the core rejects NaN/inf before it yields a loss

        self._accuracy_view = pg.ViewBox()
        self._accuracy_view.setMouseEnabled(x=False, y=False)
        self._accuracy_view.disableAutoRange(pg.ViewBox.YAxis)  # _redraw sets a readable span
        plot.scene().addItem(self._accuracy_view)
        right.linkToView(self._accuracy_view)
        self._accuracy_view.setXLink(plot)
        self._accuracy_curve = pg.PlotDataItem(
            pen=pg.mkPen(ACCURACY_COLOR, width=2),
            symbol="o",
            symbolSize=ACCURACY_SYMBOL_PX,
            symbolPen=pg.mkPen("#ffffff", width=ACCURACY_OUTLINE_PX),
            symbolBrush=pg.mkBrush(ACCURACY_COLOR),
            name=self.tr("test accuracy"),
        )
        self._accuracy_view.addItem(self._accuracy_curve)
        legend.addItem(self._accuracy_curve, self.tr("test accuracy"))
        plot.vb.sigResized.connect(self._on_resized)
        self._on_resized()
        self._reset_ranges()
        self._shown_epochs = -1  # accuracy points the accuracy curve was last given
        # Every frame repaints whatever overlaps the loss curves: the axes, the
        # legend and the accuracy curve, which change a few times a run. Painted
        # once into a pixmap, each is a blit until it changes (Qt drops the
        # cache on update(), so a new tick or epoch repaints as before).
        cached = [plot.getAxis(side) for side in ("left", "bottom", "right")]
        cached += [legend, *legend.childItems(), self._accuracy_curve]
        cached += self._accuracy_curve.childItems()
        for item in cached:
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

        self._throttle = Throttle(self._redraw, REDRAW_INTERVAL_MS, parent=self)

    # -- data in ---------------------------------------------------------

    def append_losses(self, start_step: int, losses: Sequence[float]) -> None:
        """Add one point per batch: ``losses[i]`` is the loss of global step ``start_step + i``."""
        count = len(losses)
        if count == 0:
            return
        series = self._loss
        series.reserve(count)
        if len(self._smooth) < len(series.y):
            grown = np.empty(len(series.y))
            grown[: series.n] = self._smooth[: series.n]
            self._smooth = grown
        n = series.n
        series.x[n : n + count] = np.arange(start_step, start_step + count)
        values = np.asarray(losses, dtype=np.float64)
        series.y[n : n + count] = values
        self._loss_max = max(self._loss_max, float(values.max()))
        ema = self._ema
        for i, value in enumerate(values.tolist(), start=n + 1):
            ema = EMA_WEIGHT * ema + (1.0 - EMA_WEIGHT) * value
            self._smooth[i - 1] = ema / (1.0 - EMA_WEIGHT**i)  # debiased, as TensorBoard does
        self._ema = ema
        series.n = n + count
        self._throttle()

    def add_epoch(self, step: int, accuracy: float) -> None:
        """Mark the end of an epoch at global ``step`` with its test accuracy (a fraction 0..1)."""
        series = self._accuracy
        series.reserve(1)
        series.x[series.n] = step
        series.y[series.n] = 100.0 * accuracy
        series.n += 1
        self._throttle()

    def set_epoch_length(self, batches: int) -> None:
        """Batches per epoch: the x axis then grows one epoch at a time."""
        self._epoch_length = max(0, batches)

    def clear(self) -> None:
        self._throttle.cancel()
        self._loss.clear()
        self._accuracy.clear()
        self._ema = 0.0
        # A new run starts unzoomed and followed, whatever the user did to the last one.
        self.getPlotItem().disableAutoRange()
        self._follow = True
        self._loss_max = self._x_end = self._y_top = 0.0
        self._redraw()
        self._reset_ranges()

    def _reset_ranges(self) -> None:
        """The empty chart's axes: a new run never inherits the last one's (or a failed one's).

        With no data the view would keep whatever it showed last, so the empty
        ranges are explicit; accuracy is in percent from the start, as its axis
        label says. ``_fit_view`` takes over with the first batches.
        """
        plot = self.getPlotItem()
        plot.setXRange(0, EMPTY_BATCHES, padding=0)
        plot.setYRange(0, EMPTY_LOSS, padding=0)
        self._accuracy_view.setYRange(0, 100, padding=0)

    def point_count(self) -> int:
        """How many batch losses the chart holds (one per batch trained)."""
        return self._loss.n

    def epoch_count(self) -> int:
        return self._accuracy.n

    def repaint_now(self) -> None:
        """Draw what is pending now instead of at the next throttle tick (e.g. when a run ends)."""
        self._throttle.cancel()
        self._redraw()

    # -- drawing ---------------------------------------------------------

    def _redraw(self) -> None:
        loss, acc = self._loss, self._accuracy
        n = loss.n
        self._raw_curve.setData(loss.x[:n], loss.y[:n])
        # A 2-px line costs per segment; the trend needs no more than one point
        # every two pixels, so the smoothed curve gets every k-th point.
        k = max(1, n // SMOOTH_POINTS)
        last = np.array([n - 1]) if n and (n - 1) % k else np.empty(0, dtype=np.intp)
        picked = np.concatenate((np.arange(0, n, k), last))  # always end at the newest batch
        self._smooth_curve.setData(loss.x[picked], self._smooth[picked])
        if acc.n != self._shown_epochs:  # an epoch ended (or a new run began)
            self._shown_epochs = acc.n
            self._set_accuracy()
        if self._follow and n:
            self._fit_view(float(loss.x[n - 1]))
        # pyqtgraph fits the range and the view matrix when painting starts, and a
        # change made while painting schedules a second paint: do it now instead,
        # so each frame paints once.
        self.scene().prepareForPaint()

    def _set_accuracy(self) -> None:
        acc = self._accuracy
        self._accuracy_curve.setData(acc.x[: acc.n], acc.y[: acc.n])
        self._fit_accuracy_range()

    def _fit_accuracy_range(self) -> None:
        acc = self._accuracy
        if acc.n:
            # At least a 2-point span, so one epoch reads "86.5" rather than "86.50 ± 0.5".
            low, high = float(acc.y[: acc.n].min()), float(acc.y[: acc.n].max())
            pad = max(1.0, 0.15 * (high - low))
            bottom = max(0.0, low - pad)
            # Accuracy rises towards the top right, where the legend is: keep the
            # highest point below the legend's box, or the last epoch's point (the
            # run's result) is drawn behind it.
            covered = self._legend_fraction()
            top = max(high + pad, (high - covered * bottom) / (1 - covered))
            self._accuracy_view.setYRange(bottom, top, padding=0)

    def _legend_fraction(self) -> float:
        """How much of the view's height, from the top, a point must stay under (0 before layout)."""
        height = self._accuracy_view.height()
        covered = self._legend.mapRectToScene(self._legend.boundingRect()).bottom()
        covered -= self._accuracy_view.sceneBoundingRect().top()
        if height <= 0 or covered <= 0:
            return 0.0
        covered += ACCURACY_SYMBOL_PX / 2 + ACCURACY_OUTLINE_PX + 1  # the whole marker below it
        return min(covered / height, 0.6)

    def _fit_view(self, last_x: float) -> None:
        """Move the axes only when the data outgrows them: each move regenerates their ticks."""
        page = self._epoch_length
        if page:
            x_end = max(page, math.ceil(last_x / page) * page)
        else:  # no epoch length: double
            x_end = float(max(64, 2 ** math.ceil(math.log2(max(last_x, 1.0)))))
        view = self.getPlotItem().vb
        if x_end != self._x_end:
            self._x_end = x_end
            self._set_x_range()
        if self._loss_max > self._y_top or self._y_top == 0.0:
            self._y_top = max(self._loss_max, 1e-3) * Y_HEADROOM
            view.setYRange(0, self._y_top, padding=0)

    def _set_x_range(self) -> None:
        """0 to ``_x_end``, and ``RIGHT_MARGIN_PX`` more at the view's present width.

        In data units the margin depends on the width: the range is set again
        when the view is resized.
        """
        width = self.getPlotItem().vb.width()
        if width > 4 * RIGHT_MARGIN_PX:
            right = self._x_end * width / (width - RIGHT_MARGIN_PX)
        else:  # not laid out yet: the resize that lays it out sets the range again
            right = self._x_end * 1.02
        self.getPlotItem().vb.setXRange(0, right, padding=0)

    @Slot(object)
    def _on_range_changed_by_user(self, _mask: object) -> None:
        self._follow = False

    @Slot()
    def _on_resized(self) -> None:
        """Keep the accuracy view on top of the main one (pyqtgraph's MultiplePlotAxes recipe)."""
        main = self.getPlotItem().vb
        self._accuracy_view.setGeometry(main.sceneBoundingRect())
        self._accuracy_view.linkedViewChanged(main, self._accuracy_view.XAxis)
        if self._follow and self._x_end:
            self._set_x_range()
        if self._accuracy.n:  # the legend's share of the height changed; the points did not
            self._fit_accuracy_range()
