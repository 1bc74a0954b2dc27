"""The images behind a confusion-matrix cell (or a comparison), with what the model thought.

Thumbnails come from ``gui.widgets.thumbnails`` (paged, rendered lazily);
hovering one shows its top probabilities, clicking it shows the image large
with all ten bars, and "Send to Draw tab" hands it to the Draw tab, which
shows its preprocessing and its prediction.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QItemSelection, QModelIndex, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from gui.i18n import image_count, number, percent
from gui.input_preview import InputPreview
from gui.probability_chart import ProbabilityChart
from gui.widgets.thumbnails import INDEX_ROLE, ThumbnailModel, ThumbnailView

if TYPE_CHECKING:  # model.evaluation imports torch, which the window must not wait for
    from model.eval_sets import LabelledImages
    from model.evaluation import Report
    from model.strokes import Strokes


@dataclass(frozen=True, eq=False)
class SampleToShow:
    """One image handed to the Draw tab: the picture, its pen strokes if it has any, its label."""

    image: np.ndarray  # (28, 28) in [0, 1], ink = 1
    strokes: Strokes | None
    label: int
    source: str


def _wrappable(text: str) -> str:
    """``text`` escaped for rich text, with a line break allowed after ``-_./``.

    A sample's name is its file's ("your 3: 20261126-100617-319-5dd381.png"):
    Unicode line breaking allows no break between a hyphen and a digit, so it
    would be cut off at the panel's edge instead of wrapping.
    """
    return re.sub(r"([-_./])", "\\1\u200b", html.escape(text))


def _top(probabilities: np.ndarray, n: int = 3) -> str:
    ranked = np.argsort(-probabilities)[:n]
    return ", ".join(f"{d} ({percent(probabilities[d], 0)})" for d in ranked)


class Gallery(QWidget):
    """A grid of images from one data set, and the one picked, large."""

    sendToDraw = Signal(object)  # a SampleToShow

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gallery")
        self._data: LabelledImages | None = None
        self._reports: list[Report] = []
        self._model: ThumbnailModel | None = None
        self._current: int | None = None

        self.title = QLabel(self.tr("Click a cell of the matrix to see its images."), self)
        self.title.setObjectName("galleryTitle")
        self.title.setWordWrap(True)
        self.view = ThumbnailView(self)
        self.view.setObjectName("galleryView")
        self.view.setAccessibleName(self.tr("Images"))
        self.preview = InputPreview(self)
        self.preview.setObjectName("galleryPreview")
        self.preview.setToolTip(self.tr("The image as the network receives it (28 x 28)"))
        self.chart = ProbabilityChart(self)
        self.chart.setObjectName("galleryProbabilities")
        self.detail = QLabel("", self)
        self.detail.setObjectName("galleryDetail")
        self.detail.setWordWrap(True)
        # A long name (a sample's file, "your 3: 20261126-100617-319-5dd381.png") has
        # no place to wrap: as a minimum width it squeezed the 28x28 preview to 2x.
        # Ignored, the label takes the width left and breaks such a name anywhere.
        self.detail.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.send_button = QPushButton(self.tr("Send to Draw tab"), self)
        self.send_button.setObjectName("sendToDrawButton")
        self.send_button.setToolTip(
            self.tr("Show this image's preprocessing and prediction on the Draw tab")
        )
        self.send_button.setEnabled(False)
        self.send_button.clicked.connect(self._on_send_clicked)

        text = QVBoxLayout()
        text.addWidget(self.detail)
        text.addWidget(self.chart, 1)
        text.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignLeft)
        below = QHBoxLayout()
        below.setContentsMargins(0, 0, 0, 0)
        below.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignTop)
        below.addLayout(text, 1)
        below_widget = QWidget(self)
        below_widget.setLayout(below)
        # Room for five lines (a name on two, the true digit, two models' answers)
        # above the bars' minimum: at 190 px a comparison's last line was cut off.
        below_widget.setFixedHeight(216)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.view, 1)
        layout.addWidget(below_widget)

    # -- public API --------------------------------------------------------

    def show_images(
        self, title: str, data: LabelledImages, indices: np.ndarray, reports: list[Report]
    ) -> None:
        """Show ``indices`` of ``data``; ``reports`` (one or two models) give the probabilities."""
        self._data = data
        self._reports = list(reports)
        old = self._model
        self._model = ThumbnailModel(
            data.images, indices, tooltip=self._tooltip, caption=self._caption, parent=self
        )
        self.view.setModel(self._model)
        if old is not None:
            old.deleteLater()
        self.view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        count = len(indices)
        shown = self.tr("no images") if count == 0 else image_count(count)
        self.title.setText(f"{title} · {shown}")
        self._select(None)
        if count:
            self.view.setCurrentIndex(self._model.index(0))

    def clear(self) -> None:
        self._data = None
        self._reports = []
        self.view.setModel(None)
        self._model = None
        self.title.setText(self.tr("Click a cell of the matrix to see its images."))
        self._select(None)

    def model(self) -> ThumbnailModel | None:
        return self._model

    def indices(self) -> list[int]:
        """Every image index the gallery lists (fetched or not), in order."""
        return [] if self._model is None else self._model.indices().tolist()

    def current(self) -> int | None:
        """The data set index of the image shown large, or None."""
        return self._current

    # -- internals ---------------------------------------------------------

    def _caption(self, i: int) -> str:
        if not self._reports:
            return ""
        r = self._reports[0]
        p = int(r.predicted[i])
        # No space before % here: "9 · 100%" fits under a thumbnail, "9 · 100 %" did not.
        return f"{p} · {number(100 * r.probabilities[i, p], 0)}%"

    def _tooltip(self, i: int) -> str:
        assert self._data is not None
        lines = [
            self._source(i),
            self.tr("true digit: {digit}").format(digit=self._data.labels[i]),
        ]
        for r in self._reports:
            lines.append(f"{r.model}: {_top(r.probabilities[i])}")
        return "\n".join(lines)

    def _source(self, i: int) -> str:
        """Where image ``i`` comes from; MNIST's ("MNIST test #707") in the reader's language."""
        assert self._data is not None
        source = self._data.sources[i]
        number = source.removeprefix("MNIST test #")
        if number != source:
            return self.tr("MNIST test #{index}").format(index=number)
        return source

    def _select(self, i: int | None) -> None:
        self._current = i
        self.send_button.setEnabled(i is not None)
        if i is None or self._data is None:
            self.preview.set_image(None)
            self.chart.set_probabilities(None)
            self.detail.setText("")
            return
        self.preview.set_image(self._data.images[i])
        text = [
            f"<b>{_wrappable(self._source(i))}</b>",
            self.tr("true digit: {digit}").format(digit=self._data.labels[i]),
        ]
        for r in self._reports:
            p = int(r.predicted[i])
            text.append(f"{r.model}: {p} ({percent(r.probabilities[i, p], 1)})")
        self.detail.setText("<br>".join(text))
        self.chart.set_probabilities(self._reports[0].probabilities[i] if self._reports else None)

    @Slot(QItemSelection, QItemSelection)
    def _on_selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = selected.indexes()
        index: QModelIndex | None = rows[0] if rows else None
        self._select(None if index is None else int(index.data(INDEX_ROLE)))

    @Slot()
    def _on_send_clicked(self) -> None:
        if self._current is None or self._data is None:
            return
        i = self._current
        strokes = self._data.strokes[i] if self._data.strokes is not None else None
        self.sendToDraw.emit(
            SampleToShow(
                self._data.images[i].copy(),
                strokes,
                int(self._data.labels[i]),
                self._source(i),
            )
        )
