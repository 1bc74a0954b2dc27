"""Not a digit: dots, sideways lines, scribbles and blots get a reason, real digits do not."""

from __future__ import annotations

import math

import numpy as np
import pytest

from model.pen_benchmark import SIZES, draw_all
from model.pen_digits import load_pen_digits
from model.strokes import strokes_to_mnist
from model.verdict import DOT, LINE, SCRIBBLE, TOO_MUCH_INK, line_shape, not_a_digit


def judge(strokes, side: float = 1.0) -> str | None:
    return not_a_digit(strokes, strokes_to_mnist(strokes), side)


def line(a, b, n: int = 30):
    return [(a[0] + (b[0] - a[0]) * i / n, a[1] + (b[1] - a[1]) * i / n) for i in range(n + 1)]


@pytest.mark.parametrize(
    "strokes",
    [
        [[(0.5, 0.5)]],
        [[(0.5, 0.5), (0.5, 0.5)]],
        [line((0.5, 0.5), (0.51, 0.505))],
        [[(0.4, 0.4)], [(0.41, 0.4)]],
    ],
)
def test_a_dot_is_not_a_digit(strokes) -> None:
    assert judge(strokes) == DOT


def test_the_dot_check_uses_the_drawing_area() -> None:
    tap = [line((100, 100), (104, 103))]  # 4 px on a 510 px canvas
    assert judge(tap, side=510) == DOT
    assert judge(tap, side=100) != DOT  # 4 % of a small area


@pytest.mark.parametrize("degrees", [90, 75, 60, -60, -90])
def test_a_line_far_from_vertical_is_not_a_digit(degrees: float) -> None:
    a = math.radians(degrees)
    dx, dy = 0.35 * math.sin(a), 0.35 * math.cos(a)
    assert judge([line((0.5 - dx, 0.5 - dy), (0.5 + dx, 0.5 + dy))]) == LINE


@pytest.mark.parametrize("degrees", [0, 15, 30, -30, 40])
def test_a_near_vertical_line_is_a_one(degrees: float) -> None:
    a = math.radians(degrees)
    dx, dy = 0.35 * math.sin(a), 0.35 * math.cos(a)
    assert judge([line((0.5 - dx, 0.5 - dy), (0.5 + dx, 0.5 + dy))]) is None


def test_line_shape_measures_thickness_and_lean() -> None:
    ratio, angle = line_shape([line((0, 0), (1, 0))])
    assert ratio == pytest.approx(0, abs=1e-6) and angle == pytest.approx(90)
    circle = [[(math.cos(t / 50 * math.tau), math.sin(t / 50 * math.tau)) for t in range(51)]]
    assert line_shape(circle)[0] == pytest.approx(1, abs=0.05)


def test_a_scribble_is_not_a_digit() -> None:
    zigzag = [[(0.2 + 0.6 * (i % 2), 0.2 + 0.6 * i / 40) for i in range(41)]]
    assert judge(zigzag) == SCRIBBLE
    circles = [
        [(0.5 + 0.3 * math.cos(t / 20), 0.5 + 0.3 * math.sin(t / 20)) for t in range(20 * 63)]
    ]  # ten times round
    assert judge(circles) == SCRIBBLE


def test_too_much_ink_is_not_a_digit() -> None:
    digit_like = [line((0.5, 0.2), (0.45, 0.8))]
    assert not_a_digit(digit_like, np.full((28, 28), 0.5, np.float32)) == TOO_MUCH_INK
    assert not_a_digit(digit_like, None) is None


def test_nothing_is_not_judged() -> None:
    assert judge([]) is None and judge([[]]) is None


def test_real_pen_digits_are_not_rejected(test_data) -> None:
    """All 500 real digits of the subset, drawn small, normal and large on the canvas."""
    digits = load_pen_digits(test_data / "unipen")
    for size in SIZES.values():
        drawn = draw_all(digits, size)
        assert drawn.rejection_rate == 0, [r for r in drawn.rejected if r][:5]
