"""The confusion matrix as a heatmap you can point at and click.

Colours are row-normalised (each true digit's images sum to one row), so a
digit with few images is not washed out by one with many. The diagonal, where
a good model puts nearly everything, is drawn in a quiet grey; only the errors
get colour, scaled so the worst confusion is the strongest, and any non-zero
error stays visible. Hovering a cell says what it holds; clicking it emits
``cellClicked(true, predicted)``.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QHelpEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from gui.i18n import image_count, integer, percent

ERROR = QColor(0xD9, 0x48, 0x2B)  # the colour of confusion
EXPORT_SIDE = 900  # px of an exported PNG


def hover_text(matrix: np.ndarray, true: int, predicted: int) -> str:
    """'true 4 → predicted 9: 37 images (0.4 %)', the share being of all images evaluated."""
    count = int(matrix[true, predicted])
    total = int(matrix.sum())
    share = 100 * count / total if total else 0.0
    text = QCoreApplication.translate(
        "ConfusionMatrix", "true {true} → predicted {predicted}: {images} ({share})"
    ).format(
        true=true, predicted=predicted, images=image_count(count), share=percent(share / 100, 1)
    )
    row = int(matrix[true].sum())
    if row:
        text += "\n" + QCoreApplication.translate(
            "ConfusionMatrix", "{share} of the {row} images of a {true}"
        ).format(share=percent(count / row, 1), row=integer(row), true=true)
    return text


class ConfusionMatrix(QWidget):
    """A 10x10 heatmap of ``confusion[true, predicted]`` counts."""

    cellClicked = Signal(int, int)  # true, predicted

    def __init__(self, parent: QWidget | None = None, name: str = "confusionMatrix") -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(self.tr("Confusion matrix"))
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._matrix: np.ndarray | None = None
        self._hover: tuple[int, int] | None = None
        self._current: tuple[int, int] | None = None
        self._selected: tuple[int, int] | None = None

    # -- data --------------------------------------------------------------

    def matrix(self) -> np.ndarray | None:
        return None if self._matrix is None else self._matrix.copy()

    def set_matrix(self, matrix: np.ndarray | None) -> None:
        if matrix is not None:
            matrix = np.asarray(matrix, dtype=np.int64)
            if matrix.shape != (10, 10):
                raise ValueError(f"expected a 10x10 matrix, got {matrix.shape}")
            self.setAccessibleDescription(
                self.tr("{right} of {images} read right").format(
                    right=integer(int(np.trace(matrix))), images=image_count(int(matrix.sum()))
                )
            )
        self._matrix = matrix
        self._selected = None
        self.update()

    def set_selected(self, cell: tuple[int, int] | None) -> None:
        self._selected = cell
        self.update()

    def hover_text(self, true: int, predicted: int) -> str:
        return "" if self._matrix is None else hover_text(self._matrix, true, predicted)

    # -- geometry ----------------------------------------------------------

    def _grid(self, rect: QRect | QRectF, metrics_height: float) -> QRectF:
        """The square holding the 10x10 cells, leaving room for the axis labels."""
        label = metrics_height * 2.6
        side = max(10.0, min(rect.width() - label - 4, rect.height() - label - 4))
        return QRectF(rect.x() + label, rect.y() + label, side, side)

    def cell_rect(self, true: int, predicted: int) -> QRect:
        grid = self._grid(self.rect(), self.fontMetrics().height())
        step = grid.width() / 10
        return QRectF(
            grid.x() + predicted * step, grid.y() + true * step, step, step
        ).toAlignedRect()

    def cell_at(self, pos: QPoint) -> tuple[int, int] | None:
        grid = self._grid(self.rect(), self.fontMetrics().height())
        if not grid.contains(pos.toPointF()):
            return None
        step = grid.width() / 10
        predicted = min(9, int((pos.x() - grid.x()) / step))
        true = min(9, int((pos.y() - grid.y()) / step))
        return true, predicted

    def sizeHint(self) -> QSize:
        return QSize(460, 460)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, 200)

    # -- painting ----------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        self._paint(painter, QRectF(self.rect()), self.font(), self.palette())
        painter.end()

    def to_image(self, side: int = EXPORT_SIDE) -> QImage:
        """The heatmap alone, rendered at ``side`` px on the window colour, for export."""
        image = QImage(side, side, QImage.Format.Format_ARGB32)
        palette = self.palette()
        image.fill(palette.color(QPalette.ColorRole.Window))
        font = QFont(self.font())
        font.setPixelSize(max(9, side // 55))
        painter = QPainter(image)
        self._paint(painter, QRectF(0, 0, side, side), font, palette, interactive=False)
        painter.end()
        return image

    def _paint(
        self,
        painter: QPainter,
        rect: QRectF,
        font: QFont,
        palette: QPalette,
        *,
        interactive: bool = True,
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(font)
        text = palette.color(QPalette.ColorRole.WindowText)
        muted = QColor(text)
        muted.setAlphaF(0.55)
        line_height = painter.fontMetrics().height()
        grid = self._grid(rect, line_height)
        step = grid.width() / 10

        # Axis titles and digit labels.
        painter.setPen(muted)
        title_band = QRectF(grid.x(), rect.y(), grid.width(), line_height * 1.3)
        painter.drawText(title_band, Qt.AlignmentFlag.AlignCenter, self.tr("predicted"))
        painter.save()
        painter.translate(rect.x() + line_height * 0.65, grid.center().y())
        painter.rotate(-90)
        painter.drawText(
            QRectF(-grid.height() / 2, -line_height / 2, grid.height(), line_height),
            Qt.AlignmentFlag.AlignCenter,
            self.tr("true digit"),
        )
        painter.restore()
        painter.setPen(text)
        for d in range(10):
            top = QRectF(grid.x() + d * step, grid.y() - line_height * 1.3, step, line_height * 1.3)
            painter.drawText(top, Qt.AlignmentFlag.AlignCenter, str(d))
            left = QRectF(
                grid.x() - line_height * 1.3, grid.y() + d * step, line_height * 1.3, step
            )
            painter.drawText(left, Qt.AlignmentFlag.AlignCenter, str(d))

        m = self._matrix
        frame = QColor(text)
        frame.setAlphaF(0.12)
        if m is None:
            painter.setPen(frame)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(grid)
            painter.setPen(muted)
            painter.drawText(
                grid,
                Qt.AlignmentFlag.AlignCenter,
                self.tr("Run an evaluation to see\nwhich digits the model confuses"),
            )
            return
        rows = m.sum(1, keepdims=True).astype(np.float64)
        fractions = np.divide(m, rows, out=np.zeros((10, 10)), where=rows > 0)
        off = fractions.copy()
        np.fill_diagonal(off, 0.0)
        worst = float(off.max()) or 1.0
        cell_font = QFont(font)
        if cell_font.pixelSize() > 0:
            cell_font.setPixelSize(max(8, int(min(cell_font.pixelSize(), step * 0.3))))
        else:
            cell_font.setPointSizeF(max(6.0, min(cell_font.pointSizeF(), step * 0.24)))
        painter.setFont(cell_font)
        for t in range(10):
            for p in range(10):
                cell = QRectF(grid.x() + p * step, grid.y() + t * step, step, step)
                count = int(m[t, p])
                if t == p:
                    fill = QColor(text)
                    fill.setAlphaF(0.04 + 0.10 * fractions[t, p])
                    ink = muted
                elif count:
                    fill = QColor(ERROR)
                    # sqrt: a cell with a quarter of the worst error still shows half its colour
                    fill.setAlphaF(0.12 + 0.83 * (off[t, p] / worst) ** 0.5)
                    ink = QColor(Qt.GlobalColor.white) if fill.alphaF() > 0.55 else text
                else:
                    fill = QColor(0, 0, 0, 0)
                    ink = text
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(fill)
                painter.drawRect(cell.adjusted(0.5, 0.5, -0.5, -0.5))
                if count:
                    painter.setPen(ink)
                    painter.drawText(cell, Qt.AlignmentFlag.AlignCenter, integer(count))
        painter.setPen(frame)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(grid)
        if not interactive:
            return
        accent = palette.color(QPalette.ColorRole.Highlight)
        for cell, width in (
            (self._hover, 1.0),
            (self._current if self.hasFocus() else None, 1.0),
            (self._selected, 2.5),
        ):
            if cell is not None:
                pen_color = QColor(accent if width > 1 else text)
                painter.setPen(pen_color)
                r = QRectF(grid.x() + cell[1] * step, grid.y() + cell[0] * step, step, step)
                pen = painter.pen()
                pen.setWidthF(width)
                painter.setPen(pen)
                painter.drawRect(r.adjusted(1, 1, -1, -1))

    # -- interaction -------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == event.Type.ToolTip and isinstance(event, QHelpEvent):
            cell = self.cell_at(event.pos())
            if cell is None or self._matrix is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(
                    event.globalPos(), self.hover_text(*cell), self, self.cell_rect(*cell)
                )
            return True
        return super().event(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position().toPoint()) if self._matrix is not None else None
        if cell != self._hover:
            self._hover = cell
            self.setCursor(
                Qt.CursorShape.PointingHandCursor if cell else Qt.CursorShape.ArrowCursor
            )
            self.update()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self._hover = None
        self.update()
        super().leaveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._matrix is not None:
            cell = self.cell_at(event.position().toPoint())
            if cell is not None:
                self._current = cell
                self._activate(cell)
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Arrows move between cells, Enter or Space opens one: the matrix works without a mouse."""
        if self._matrix is None:
            return super().keyPressEvent(event)
        t, p = self._current or (0, 1)
        key = event.key()
        moves = {
            Qt.Key.Key_Left: (0, -1),
            Qt.Key.Key_Right: (0, 1),
            Qt.Key.Key_Up: (-1, 0),
            Qt.Key.Key_Down: (1, 0),
        }
        if key in moves:
            dt, dp = moves[key]
            self._current = (min(9, max(0, t + dt)), min(9, max(0, p + dp)))
            self.setAccessibleDescription(self.hover_text(*self._current))
            self.update()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self._current = (t, p)
            self._activate((t, p))
        else:
            super().keyPressEvent(event)

    def _activate(self, cell: tuple[int, int]) -> None:
        self._selected = cell
        self.update()
        self.cellClicked.emit(*cell)
