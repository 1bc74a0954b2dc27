"""The 28x28 image the network actually receives, shown pixel by pixel.

Seeing the cropped, scaled and centred input explains most surprising
predictions (a stroke too thin, a digit cut off), so it is scaled up with
nearest-neighbour sampling: every input pixel stays a visible square.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

SIDE = 28
TOWARDS = (64, 200, 90)  # evidence for the answer
AGAINST = (235, 70, 60)  # evidence against it


class InputPreview(QWidget):
    """A square, integer-scaled view of one 28x28 [0, 1] image (ink = 1 is drawn light)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inputPreview")
        self.setAccessibleName(self.tr("Network input, 28 by 28 pixels"))
        self.setToolTip(
            self.tr("What the network sees: your drawing cropped, scaled to 20 px and centred")
        )
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self._array: np.ndarray | None = None
        self._image: QImage | None = None
        self._overlay: QImage | None = None
        self._evidence: np.ndarray | None = None

    def image(self) -> np.ndarray | None:
        """The last array given to ``set_image`` (a copy), or None."""
        return None if self._array is None else self._array.copy()

    def set_image(self, array: np.ndarray | None) -> None:
        if array is None:
            self._array = None
            self._image = None
        else:
            a = np.asarray(array, dtype=np.float32)
            if a.shape != (SIDE, SIDE):
                raise ValueError(f"expected a {SIDE}x{SIDE} image, got shape {a.shape}")
            self._array = a.copy()
            pixels = np.ascontiguousarray(np.clip(a, 0.0, 1.0) * 255.0 + 0.5, dtype=np.uint8)
            # QImage borrows the buffer; copy() gives it its own before ``pixels`` goes.
            self._image = QImage(
                pixels.tobytes(), SIDE, SIDE, SIDE, QImage.Format.Format_Grayscale8
            ).copy()
        self.update()

    def evidence(self) -> np.ndarray | None:
        return None if self._evidence is None else self._evidence.copy()

    def set_evidence(self, attributions: np.ndarray | None) -> None:
        """Overlay signed per-pixel evidence: green pushed towards the answer, red against.

        Opacity follows each pixel's share of the largest magnitude, so the
        picture underneath stays readable where the evidence is weak.
        """
        if attributions is None:
            self._evidence = None
            self._overlay = None
        else:
            a = np.asarray(attributions, dtype=np.float32).reshape(SIDE, SIDE)
            self._evidence = a.copy()
            scale = float(np.abs(a).max()) or 1.0
            alpha = np.clip(np.abs(a) / scale, 0.0, 1.0) ** 0.7 * 255.0
            rgba = np.zeros((SIDE, SIDE, 4), dtype=np.uint8)
            towards, against = a > 0, a < 0
            rgba[towards, :3] = TOWARDS
            rgba[against, :3] = AGAINST
            rgba[..., 3] = alpha.astype(np.uint8)
            rgba = np.ascontiguousarray(rgba)
            self._overlay = QImage(
                rgba.data, SIDE, SIDE, SIDE * 4, QImage.Format.Format_RGBA8888
            ).copy()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(SIDE * 5, SIDE * 5)

    def minimumSizeHint(self) -> QSize:
        return QSize(SIDE * 2, SIDE * 2)

    def _target(self) -> QRect:
        # An integer multiple of 28 keeps every input pixel the same size on screen;
        # left-aligned, like the captions above it in the panel.
        scale = max(1, min(self.width(), self.height()) // SIDE)
        side = SIDE * scale
        return QRect(0, (self.height() - side) // 2, side, side)

    def paintEvent(self, event: QPaintEvent) -> None:
        target = self._target()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.fillRect(target, QColor(Qt.GlobalColor.black))
        if self._image is not None:
            painter.drawImage(target, self._image)
        if self._overlay is not None:
            # Dim the ink first: green and red must read against it, not vanish in white.
            painter.fillRect(target, QColor(0, 0, 0, 150))
            painter.drawImage(target, self._overlay)
        border = QColor(self.palette().color(QPalette.ColorRole.WindowText))
        border.setAlphaF(0.25)
        painter.setPen(border)
        painter.drawRect(target.adjusted(0, 0, -1, -1))
        painter.end()
