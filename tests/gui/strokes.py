"""Digits as people draw them, and a pen that draws them on the real canvas.

Shapes are in the canvas's unit square (0..1), about 65 % of its height, so the
same digit can be drawn on a canvas of any size. ``draw`` synthesizes the
press, moves and release a mouse would send, through ``QTest``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from gui.canvas import Canvas

Point = tuple[float, float]
Stroke = list[Point]

LEFT = Qt.MouseButton.LeftButton
NO_MODIFIER = Qt.KeyboardModifier.NoModifier


def line(a: Point, b: Point, steps: int = 24) -> Stroke:
    return [
        (a[0] + (b[0] - a[0]) * t / steps, a[1] + (b[1] - a[1]) * t / steps)
        for t in range(steps + 1)
    ]


def arc(
    centre: Point, rx: float, ry: float, start_deg: float, end_deg: float, steps: int = 40
) -> Stroke:
    """Angles clockwise from 12 o'clock, as a pen goes round (y grows downwards)."""
    out = []
    for i in range(steps + 1):
        a = math.radians(start_deg + (end_deg - start_deg) * i / steps)
        out.append((centre[0] + rx * math.sin(a), centre[1] - ry * math.cos(a)))
    return out


# A 0: one ellipse, started at the top and closed with a small overlap.
ZERO: list[Stroke] = [arc((0.5, 0.5), 0.2, 0.31, -10, 370, steps=64)]
# A 1: one vertical line, slightly slanted, top to bottom.
ONE: list[Stroke] = [line((0.54, 0.18), (0.47, 0.82))]
# A 7: the top bar left to right, then the diagonal down, in one stroke.
SEVEN: list[Stroke] = [line((0.3, 0.2), (0.7, 0.2)) + line((0.7, 0.2), (0.44, 0.82))[1:]]
# The same 7 in two strokes, so undo has something to take back.
SEVEN_TWO_STROKES: list[Stroke] = [line((0.3, 0.2), (0.7, 0.2)), line((0.7, 0.2), (0.44, 0.82))]

DIGITS: dict[int, list[Stroke]] = {0: ZERO, 1: ONE, 7: SEVEN}


def to_widget(canvas: Canvas, point: Point) -> QPoint:
    square = canvas.square()
    side = square.width()
    return QPoint(square.x() + round(point[0] * side), square.y() + round(point[1] * side))


def draw_stroke(canvas: Canvas, stroke: Sequence[Point]) -> None:
    points = [to_widget(canvas, p) for p in stroke]
    QTest.mousePress(canvas, LEFT, NO_MODIFIER, points[0])
    for p in points[1:]:
        QTest.mouseMove(canvas, p)  # QTest remembers the pressed button
    QTest.mouseRelease(canvas, LEFT, NO_MODIFIER, points[-1])


def draw(canvas: Canvas, strokes: Sequence[Sequence[Point]]) -> None:
    for stroke in strokes:
        draw_stroke(canvas, stroke)
