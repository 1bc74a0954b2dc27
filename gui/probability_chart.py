"""Ten bars, one per digit: how sure the network is of each answer.

A plain QPainter widget: ten rectangles repainted at most as often as the
prediction throttle fires do not need a plotting library. The top digit is
drawn in the accent colour so the answer stands out from the runners-up.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from gui.i18n import percent

DIGITS = 10


class ProbabilityChart(QWidget):
    """Vertical bars for digits 0-9, the most probable one highlighted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("probabilityChart")
        self.setAccessibleName("Probability of each digit")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._probabilities: np.ndarray | None = None

    def probabilities(self) -> np.ndarray | None:
        return None if self._probabilities is None else self._probabilities.copy()

    def set_probabilities(self, probabilities: np.ndarray | None) -> None:
        """Ten values in [0, 1], or None for no prediction (empty bars)."""
        if probabilities is None:
            self._probabilities = None
            self.setAccessibleDescription(self.tr("No prediction"))
        else:
            p = np.asarray(probabilities, dtype=np.float64).reshape(-1)
            if p.shape != (DIGITS,):
                raise ValueError(f"expected {DIGITS} probabilities, got shape {p.shape}")
            self._probabilities = np.clip(np.nan_to_num(p, nan=0.0), 0.0, 1.0)
            ranked = np.argsort(-self._probabilities)[:3]
            self.setAccessibleDescription(
                ", ".join(f"{d}: {percent(self._probabilities[d], 0)}" for d in ranked)
            )
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(300, 150)

    def minimumSizeHint(self) -> QSize:
        return QSize(160, 90)

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        accent = palette.color(QPalette.ColorRole.Highlight)
        track = QColor(text)
        track.setAlphaF(0.08)
        bar = QColor(text)
        bar.setAlphaF(0.35)

        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        label_h = metrics.height() + 4
        value_h = metrics.height() + 2
        width, height = self.width(), self.height()
        slot = width / DIGITS
        bar_w = max(4.0, slot * 0.62)
        top = float(value_h)
        plot_h = max(1.0, height - label_h - value_h)
        p = self._probabilities
        best = int(np.argmax(p)) if p is not None else -1

        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.85))
        for digit in range(DIGITS):
            x = slot * digit + (slot - bar_w) / 2
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(track)
            painter.drawRoundedRect(QRectF(x, top, bar_w, plot_h), 3, 3)
            if p is not None:
                h = plot_h * float(p[digit])
                if h >= 0.5:
                    painter.setBrush(accent if digit == best else bar)
                    painter.drawRoundedRect(QRectF(x, top + plot_h - h, bar_w, h), 3, 3)
            painter.setPen(accent if digit == best else text)
            font = QFont(self.font())
            font.setBold(digit == best)
            painter.setFont(font)
            painter.drawText(
                QRectF(slot * digit, height - label_h, slot, label_h),
                Qt.AlignmentFlag.AlignCenter,
                str(digit),
            )
        if p is not None and best >= 0:
            painter.setPen(accent)
            painter.setFont(small)
            painter.drawText(
                QRectF(slot * best - slot / 2, 0, slot * 2, value_h),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                percent(p[best], 0),
            )
        painter.end()
