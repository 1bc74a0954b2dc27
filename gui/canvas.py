"""The drawing widget: strokes in, a numpy image out.

Strokes are kept as points in normalised coordinates (0..1 of the drawing
area's height; on the usual square canvas, of its side), never as pixels, so
resizing the window or moving it to a high-DPI screen neither loses nor
distorts a drawing. ``strokes()`` is what the network reads (through
``model.strokes``); ``to_array`` renders the on-screen look at any resolution,
independent of the widget's size.

On screen, finished ink lives in a backing image at device resolution; a mouse
move paints only the new segment onto it and repaints only that segment's
rectangle, so drawing stays smooth however long a stroke gets.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QCoreApplication, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QTransform,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

# Of the side: a digit drawn at ~65 % of the height then carries as much ink in
# 28x28 as MNIST's own digits (strokes ~2.5 px at 20 px height; see test_canvas.py).
MAX_UNDO = 100  # undo steps kept: each Clear holds the drawing it erased
DEFAULT_PEN_WIDTH = 0.085
MIN_PEN_WIDTH = 0.02
MAX_PEN_WIDTH = 0.2

PAPER = QColor(0x16, 0x18, 0x1D)
INK = QColor(0xF4, 0xF5, 0xF7)
HINT = QColor(255, 255, 255, 70)
BORDER = QColor(255, 255, 255, 40)


@dataclass
class Stroke:
    """One press-move-release gesture; ``path`` mirrors ``points`` for fast rendering."""

    width: float  # fraction of the side
    points: list[tuple[float, float]] = field(default_factory=list)
    path: QPainterPath = field(default_factory=QPainterPath)

    def add(self, x: float, y: float) -> None:
        if self.points:
            self.path.lineTo(x, y)
        else:
            self.path.moveTo(x, y)
        self.points.append((x, y))


def _pen(width: float, color: QColor) -> QPen:
    pen = QPen(color, width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def _paint_stroke(painter: QPainter, stroke: Stroke, color: QColor, side: float) -> None:
    """Draw ``stroke`` at ``side`` pixels per unit.

    The path is scaled here rather than through the painter's transform: a wide
    pen under a large scale makes Qt's stroker tessellate the round caps far
    more finely than the pixels need, about four times slower.
    """
    if len(stroke.points) == 1:
        # A path of one point strokes to nothing: draw the round pen tip as a dot.
        x, y = stroke.points[0]
        r = stroke.width * side / 2
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawEllipse(QPointF(x * side, y * side), r, r)
        return
    painter.setPen(_pen(stroke.width * side, color))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(QTransform.fromScale(side, side).map(stroke.path))


class Canvas(QWidget):
    """A drawing surface: light ink on a dark background, exported as 1.0 on 0.0.

    Square unless ``set_aspect`` makes it wider (the number mode's 4:1 strip).
    Points are in units of the area's height: x runs 0..aspect, y 0..1.
    """

    changed = Signal()  # any change to the drawing, including each move while drawing
    strokeFinished = Signal()  # the pen was lifted: predict now, not at the next tick

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("canvas")
        self.setAccessibleName(self.tr("Drawing canvas"))
        self.setAccessibleDescription(
            self.tr("Draw a digit with the mouse; the prediction updates as you draw.")
        )
        self.setCursor(Qt.CursorShape.CrossCursor)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setMinimumSize(160, 160)
        self._strokes: list[Stroke] = []
        # Undo history, newest last: ("stroke", [the stroke]) or ("clear", [what it erased]).
        # Undo is LIFO, so a "stroke" entry's stroke is always the last one drawn.
        # Bounded by ``_remember``: every Clear keeps what it erased, so an unbounded
        # history grows without end in a long session (a soak kept ~20 MiB alive).
        self._done: list[tuple[str, list[Stroke]]] = []
        self._undone: list[tuple[str, list[Stroke]]] = []  # for Redo, never longer than _done was
        self._drawing = False
        self._pen_width = DEFAULT_PEN_WIDTH
        self._backing: QImage | None = None  # finished and current ink at device pixels
        self._stale = True  # the backing no longer matches the strokes or the size
        self._export: QImage | None = None  # to_array's render target
        self._aspect = 1.0  # width / height of the drawing area
        self._hint = QCoreApplication.translate("DrawTab", "Draw a digit")

    # -- public API -------------------------------------------------------------------

    def pen_width(self) -> float:
        return self._pen_width

    def aspect(self) -> float:
        return self._aspect

    def set_aspect(self, aspect: float, hint: str) -> None:
        """Width / height of the drawing area, and the text shown while it is empty.

        Strokes keep their coordinates (in units of the height), so a drawing
        stays the same size when the area widens or narrows.
        """
        self._aspect = max(1.0, float(aspect))
        self._hint = hint
        self.setMinimumSize(round(160 * min(self._aspect, 2.0)), 160 if self._aspect == 1 else 80)
        self.updateGeometry()
        self._invalidate()

    def set_pen_width(self, fraction: float) -> None:
        """Width of new strokes as a fraction of the side; drawn strokes keep theirs."""
        self._pen_width = float(np.clip(fraction, MIN_PEN_WIDTH, MAX_PEN_WIDTH))

    def is_empty(self) -> bool:
        return not self._strokes

    def stroke_count(self) -> int:
        return len(self._strokes)

    def strokes(self) -> list[list[tuple[float, float]]]:
        """A copy of every stroke's points, normalised to 0..1."""
        return [list(s.points) for s in self._strokes]

    def _remember(self, step: tuple[str, list[Stroke]]) -> None:
        """Add an undo step; the oldest go beyond MAX_UNDO, so hours of drawing stay bounded."""
        self._done.append(step)
        del self._done[:-MAX_UNDO]

    def can_undo(self) -> bool:
        return self._drawing or bool(self._done)

    def can_redo(self) -> bool:
        return not self._drawing and bool(self._undone)

    def set_strokes(self, strokes: list[list[tuple[float, float]]]) -> None:
        """Replace the drawing with ``strokes`` in 0..1 units (a recorded digit, replayed).

        A replayed drawing starts a fresh history: Undo does not reach behind it.
        """
        self._strokes.clear()
        self._done.clear()
        self._undone.clear()
        self._drawing = False
        for points in strokes:
            stroke = Stroke(self._pen_width)
            for x, y in points:
                stroke.add(float(x), float(y))
            if stroke.points:
                self._strokes.append(stroke)
        self._invalidate()
        self.changed.emit()

    def clear(self) -> None:
        """Erase the drawing; ``undo`` brings it back."""
        if not self._strokes:
            return
        if self._drawing:  # the stroke under the pen was never finished: it goes for good
            self._strokes.pop()
            self._drawing = False
        if self._strokes:
            self._remember(("clear", list(self._strokes)))
            self._undone.clear()
        self._strokes = []
        self._invalidate()
        self.changed.emit()

    def undo(self) -> None:
        """Take back the last stroke or Clear (a stroke still being drawn goes first)."""
        if self._drawing:
            self._strokes.pop()
            self._drawing = False
        elif self._done:
            kind, strokes = self._done.pop()
            if kind == "stroke":
                self._strokes.pop()
            else:
                self._strokes = list(strokes)
            self._undone.append((kind, strokes))
        else:
            return
        self._invalidate()
        self.changed.emit()

    def redo(self) -> None:
        """Do again what ``undo`` took back, until a new stroke is drawn."""
        if not self.can_redo():
            return
        kind, strokes = self._undone.pop()
        if kind == "stroke":
            self._strokes.extend(strokes)
        else:
            self._strokes = []
        self._done.append((kind, strokes))
        self._invalidate()
        self.changed.emit()

    def to_array(self, size: int = 280) -> np.ndarray:
        """A fresh render of the strokes as they look on screen: float32 (size, size * aspect).

        Ink 1.0 on 0.0. Not the network's input: that is
        ``model.strokes.strokes_to_steps(self.strokes())``, which re-renders the
        strokes with a pen relative to the digit's size.
        """
        if size < 1:
            raise ValueError(f"size must be >= 1, not {size}")
        width = max(1, round(size * self._aspect))
        # Reused between calls: live prediction renders ~20 times a second, and
        # PySide6 6.11 leaks a reference to None for every QImage painted on and freed.
        image = self._export
        if image is None or image.width() != width or image.height() != size:
            image = self._export = QImage(width, size, QImage.Format.Format_Grayscale8)
        image.fill(0)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        white = QColor(Qt.GlobalColor.white)
        for stroke in self._strokes:
            _paint_stroke(painter, stroke, white, size)
        painter.end()
        # Rows are padded to 4 bytes; astype copies, so the image can be reused.
        rows = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(size, image.bytesPerLine())
        return rows[:, :width].astype(np.float32) / np.float32(255.0)

    # -- geometry ---------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(round(360 * min(self._aspect, 2.0)), 360 if self._aspect == 1 else 180)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return round(width / self._aspect)

    def square(self) -> QRect:
        """The drawing area: the largest centred rectangle of the canvas's aspect (a square)."""
        height = min(self.height(), int(self.width() / self._aspect))
        width = min(self.width(), round(height * self._aspect))
        return QRect((self.width() - width) // 2, (self.height() - height) // 2, width, height)

    def _to_unit(self, pos: QPointF) -> tuple[float, float]:
        sq = self.square()
        side = max(1, sq.height())
        x = (pos.x() - sq.x()) / side
        y = (pos.y() - sq.y()) / side
        return min(max(x, 0.0), self._aspect), min(max(y, 0.0), 1.0)

    def _segment_rect(self, a: tuple[float, float], b: tuple[float, float], width: float) -> QRect:
        sq = self.square()
        side = sq.height()
        pad = width * side / 2 + 2  # half the pen plus anti-aliasing fringe
        rect = QRectF(QPointF(a[0] * side, a[1] * side), QPointF(b[0] * side, b[1] * side))
        rect = rect.normalized().adjusted(-pad, -pad, pad, pad)
        return rect.translated(sq.topLeft()).toAlignedRect()

    # -- painting ---------------------------------------------------------------------

    def _invalidate(self) -> None:
        self._stale = True
        self.update()

    def _ensure_backing(self) -> QImage:
        """The on-screen ink, re-rendered from the strokes when stale or resized.

        The image itself is kept while its size holds: PySide6 6.11 leaks a
        reference to None for every QImage painted on and then freed.
        """
        area = self.square()
        side = area.height()
        dpr = self.devicePixelRatioF()
        pixels = max(1, round(side * dpr))
        wide = max(1, round(area.width() * dpr))
        backing = self._backing
        if (
            backing is None
            or backing.width() != wide
            or backing.height() != pixels
            or backing.devicePixelRatioF() != dpr
        ):
            # First paint, a resize, or a move to a screen of another DPI.
            backing = self._backing = QImage(
                wide, pixels, QImage.Format.Format_ARGB32_Premultiplied
            )
            backing.setDevicePixelRatio(dpr)
        elif not self._stale:
            return backing
        backing.fill(PAPER)
        painter = QPainter(backing)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for stroke in self._strokes:
            _paint_stroke(painter, stroke, INK, side)
        painter.end()
        self._stale = False
        return backing

    def _paint_segment(self, stroke: Stroke) -> None:
        """Add the newest piece of ``stroke`` to the backing image and repaint just it."""
        if self._backing is None or self._stale:  # re-rendered from the strokes at the next paint
            self.update()
            return
        side = self.square().height()
        painter = QPainter(self._backing)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        points = stroke.points
        if len(points) == 1:
            _paint_stroke(painter, stroke, INK, side)
            a = b = points[0]
        else:
            a, b = points[-2], points[-1]
            painter.setPen(_pen(stroke.width * side, INK))
            painter.drawLine(QPointF(a[0] * side, a[1] * side), QPointF(b[0] * side, b[1] * side))
        painter.end()
        self.update(self._segment_rect(a, b, stroke.width))

    def paintEvent(self, event: QPaintEvent) -> None:
        backing = self._ensure_backing()
        sq = self.square()
        painter = QPainter(self)
        painter.drawImage(sq.topLeft(), backing)
        if not self._strokes:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            font = self.font()
            font.setPixelSize(max(12, min(sq.width() // 14, sq.height() // 5)))
            painter.setFont(font)
            painter.setPen(HINT)
            painter.drawText(sq, Qt.AlignmentFlag.AlignCenter, self._hint)
        painter.setPen(BORDER)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(sq.adjusted(0, 0, -1, -1))
        painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._stale = True  # strokes are resolution-free; re-render at the new size
        super().resizeEvent(event)

    # -- mouse ------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        if self._drawing:  # the last release went elsewhere (a popup took the mouse)
            self._finish_stroke()
        was_empty = not self._strokes
        stroke = Stroke(self._pen_width)
        stroke.add(*self._to_unit(event.position()))
        self._strokes.append(stroke)
        self._drawing = True
        if was_empty:
            self.update()  # the hint text goes away
        self._paint_segment(stroke)
        self.changed.emit()
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if not self._drawing:
            event.ignore()
            return
        self._extend(event.position())
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or not self._drawing:
            event.ignore()
            return
        self._extend(event.position())
        self._finish_stroke()
        event.accept()

    def _extend(self, pos: QPointF) -> None:
        stroke = self._strokes[-1]
        point = self._to_unit(pos)
        if point != stroke.points[-1]:
            stroke.add(*point)
            self._paint_segment(stroke)
            self.changed.emit()

    def _finish_stroke(self) -> None:
        self._drawing = False
        self._remember(("stroke", [self._strokes[-1]]))
        self._undone.clear()  # a new stroke ends the redo branch, as in every editor
        # Segment by segment, overlapping anti-aliased caps leave a scalloped
        # edge; once per stroke, re-render it as the one smooth path it is.
        self._stale = True
        self.update()
        self.strokeFinished.emit()
