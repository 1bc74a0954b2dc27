"""The drawing's way to the network, step by step: a strip of small pictures.

Each picture is an array of the ``model.preprocess.Steps`` the Draw tab's own
prediction used (``model.strokes.strokes_to_steps``): the strip never computes
anything itself, so what it shows is what the network got.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

if TYPE_CHECKING:
    from model.preprocess import Steps

CAPTIONS = (
    ("ink", QT_TRANSLATE_NOOP("StepsStrip", "ink found")),
    ("crop", QT_TRANSLATE_NOOP("StepsStrip", "cropped")),
    ("scaled", QT_TRANSLATE_NOOP("StepsStrip", "scaled to 20 px")),
    ("placed", QT_TRANSLATE_NOOP("StepsStrip", "centred in 28x28")),
    ("normalized", QT_TRANSLATE_NOOP("StepsStrip", "normalised")),
)


def _gray(array: np.ndarray, low: float, high: float) -> QImage | None:
    if array.size == 0:
        return None
    span = high - low if high > low else 1.0
    pixels = np.clip((array - low) / span * 255.0 + 0.5, 0, 255).astype(np.uint8)
    pixels = np.ascontiguousarray(pixels)
    h, w = pixels.shape
    return QImage(pixels.data, w, h, w, QImage.Format.Format_Grayscale8).copy()


class StepsStrip(QWidget):
    """Five captioned pictures: ink, crop, 20 px box, 28x28 placement, normalised input."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preprocessStrip")
        self.setAccessibleName(self.tr("Preprocessing steps"))
        self.setToolTip(
            self.tr(
                "Your drawing on its way to the network: the ink found, cropped to its box, "
                "scaled so its longer side is 20 px, placed in 28x28 by its centre of mass "
                "(as MNIST was made), then normalised with the training set's mean and spread."
            )
        )
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._steps: Steps | None = None
        self._images: list[QImage | None] = [None] * len(CAPTIONS)

    def steps(self) -> Steps | None:
        """The very object last shown (not a copy): tests check it is the prediction's own."""
        return self._steps

    def set_steps(self, steps: Steps | None) -> None:
        self._steps = steps
        if steps is None:
            self._images = [None] * len(CAPTIONS)
        else:
            norm = steps.normalized
            low, high = (float(norm.min()), float(norm.max())) if norm.size else (0.0, 1.0)
            self._images = [
                _gray(getattr(steps, name), low, high)
                if name == "normalized"
                else _gray(getattr(steps, name), 0.0, 1.0)
                for name, _ in CAPTIONS
            ]
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(5 * 84, 84 + self.fontMetrics().height() + 6)

    def minimumSizeHint(self) -> QSize:
        return QSize(5 * 44, 44 + self.fontMetrics().height() + 6)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        muted = QColor(text)
        muted.setAlphaF(0.6)
        frame = QColor(text)
        frame.setAlphaF(0.2)
        caption_h = self.fontMetrics().height() + 4
        slot = self.width() / len(CAPTIONS)
        side = int(max(8, min(slot - 8, self.height() - caption_h - 2)))
        for k, ((name, caption), image) in enumerate(zip(CAPTIONS, self._images, strict=True)):
            x = int(k * slot + (slot - side) / 2)
            box = QRect(x, 0, side, side)
            painter.fillRect(box, QColor(Qt.GlobalColor.black))
            if image is not None:
                # Keep the aspect ratio; pixels stay square blocks for the small steps.
                scale = min(side / image.width(), side / image.height())
                w, h = max(1, int(image.width() * scale)), max(1, int(image.height() * scale))
                target = QRect(x + (side - w) // 2, (side - h) // 2, w, h)
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, name == "ink")
                painter.drawImage(target, image)
            painter.setPen(frame)
            painter.drawRect(box.adjusted(0, 0, -1, -1))
            painter.setPen(muted)
            # Elided to its slot: a caption wider than it would run into its neighbour's.
            label = self.fontMetrics().elidedText(
                QCoreApplication.translate("StepsStrip", caption),
                Qt.TextElideMode.ElideRight,
                int(slot) - 4,
            )
            painter.drawText(
                QRect(int(k * slot), side + 2, int(slot), caption_h),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                label,
            )
        painter.end()
