"""Strokes -> the network's input: one path, with a pen relative to the digit's size."""

from __future__ import annotations

import math

import numpy as np
import pytest

from model.pen_digits import load_pen_digits
from model.preprocess import BOX, CENTRE, SIZE
from model.strokes import (
    RENDER_BOX,
    extent,
    ink_length,
    into_square,
    render_strokes,
    strokes_to_mnist,
    strokes_to_steps,
)


def ellipse(cx: float, cy: float, rx: float, ry: float, n: int = 60) -> list[tuple[float, float]]:
    return [
        (cx + rx * math.sin(2 * math.pi * i / n), cy - ry * math.cos(2 * math.pi * i / n))
        for i in range(n + 1)
    ]


# A 4 in two strokes, in units where the digit is about 1 tall.
FOUR = [[(0.6, 0.0), (0.0, 0.65), (0.75, 0.65)], [(0.55, 0.3), (0.55, 1.0)]]


def scaled(strokes, factor: float, offset: float = 0.0):
    return [[(x * factor + offset, y * factor + offset) for x, y in s] for s in strokes]


def difference(a: np.ndarray, b: np.ndarray) -> float:
    """Largest pixel difference, allowing a whole-pixel shift.

    MNIST's centring moves the digit by whole pixels, so a centre of mass a
    hair either side of .5 shifts the whole picture by one: the same picture.
    """
    return min(
        float(np.abs(np.roll(a, (dy, dx), axis=(0, 1)) - b).max())
        for dy in (-1, 0, 1)
        for dx in (-1, 0, 1)
    )


@pytest.mark.parametrize("strokes", [FOUR, [ellipse(0.5, 0.5, 0.3, 0.5)]], ids=["four", "zero"])
def test_small_normal_and_large_give_nearly_the_same_input(strokes) -> None:
    normal = strokes_to_mnist(scaled(strokes, 330))  # pixels on the canvas
    for factor, offset in ((83, 12.0), (460, 3.0), (0.65, 0.1), (1e4, -5e3)):
        other = strokes_to_mnist(scaled(strokes, factor, offset))
        assert difference(other, normal) < 0.05, factor
    # The ink has MNIST's shape: longer side 20 px, centred by mass, strokes ~2.5 px wide.
    rows = np.flatnonzero(normal.max(axis=1) > 0.1)
    assert BOX - 1 <= rows[-1] - rows[0] + 1 <= BOX + 1
    ys, xs = np.indices(normal.shape)
    assert (ys * normal).sum() / normal.sum() == pytest.approx(CENTRE, abs=0.6)
    assert (xs * normal).sum() / normal.sum() == pytest.approx(CENTRE, abs=0.6)


def test_pen_width_is_relative_to_the_digit() -> None:
    """A vertical bar rendered at any size has the same width in the 20 px box."""
    widths = []
    for height in (10, 100, 1000):
        image = render_strokes([[(0, 0), (0, height)]])
        assert image.shape[0] >= RENDER_BOX
        middle = image[image.shape[0] // 2]
        widths.append(float(middle.sum()))
    assert max(widths) - min(widths) < 0.5


def test_no_strokes_give_an_empty_input() -> None:
    for strokes in ([], [[]], [[], []], [[(math.nan, 1.0)]]):
        steps = strokes_to_steps(strokes)
        assert steps.placed.shape == (SIZE, SIZE) and not steps.placed.any()
        assert steps.normalized.shape == (SIZE, SIZE)
    assert ink_length([]) == 0 and extent([]) == (0.0, 0.0)


def test_one_point_is_a_round_centred_dot() -> None:
    for strokes in ([[(5.0, 7.0)]], [[(5.0, 7.0), (5.0, 7.0)]], [[(1, 1)], [(1, 1)]]):
        placed = strokes_to_mnist(strokes)
        assert placed.max() > 0.9
        rows = np.flatnonzero(placed.max(axis=1) > 0.1)
        cols = np.flatnonzero(placed.max(axis=0) > 0.1)
        assert len(rows) == len(cols)  # round: as tall as wide
        ys, xs = np.indices(placed.shape)
        assert (ys * placed).sum() / placed.sum() == pytest.approx(CENTRE, abs=0.6)
        assert (xs * placed).sum() / placed.sum() == pytest.approx(CENTRE, abs=0.6)


def test_thousands_of_points_read_like_a_few() -> None:
    dense = ellipse(0.5, 0.5, 0.3, 0.5, n=20_000)
    sparse = ellipse(0.5, 0.5, 0.3, 0.5, n=200)
    assert difference(strokes_to_mnist([dense]), strokes_to_mnist([sparse])) < 0.1
    many = [[(0.01 * i, 0.0), (0.01 * i, 1.0)] for i in range(3000)]  # 3,000 strokes
    placed = strokes_to_mnist(many)
    assert placed.shape == (SIZE, SIZE) and np.isfinite(placed).all()


def test_real_pen_digits_all_render(test_data) -> None:
    for digit in load_pen_digits(test_data / "unipen")[::25]:
        steps = strokes_to_steps(digit.strokes)
        assert steps.placed.max() > 0.9 and np.isfinite(steps.normalized).all()


def test_a_digit_cut_from_a_number_moves_into_the_square_and_reads_the_same() -> None:
    # The 4 at 0.6 of the wide canvas's height, written 2.5 heights from its left.
    four = [[(x * 0.6 + 2.5, y * 0.6 + 0.3) for x, y in s] for s in FOUR]
    square = into_square(four)
    points = np.concatenate([np.asarray(s) for s in square])
    assert np.allclose(points.max(axis=0) - points.min(axis=0), extent(four))  # same size
    assert math.isclose((points[:, 0].min() + points[:, 0].max()) / 2, 0.5)  # centred sideways
    assert np.allclose(points[:, 1], np.concatenate([np.asarray(s) for s in four])[:, 1])
    assert np.allclose(strokes_to_mnist(square), strokes_to_mnist(four), atol=1e-4)

    # A stroke that ran on wider than the square is scaled down to fit it.
    wide = [[(0.2, 0.4), (1.7, 0.5)], [(0.5, 0.1), (0.5, 0.9)]]
    fitted = np.concatenate([np.asarray(s) for s in into_square(wide)])
    assert fitted.min() >= 0 and fitted.max() <= 1
    assert math.isclose(float(np.ptp(fitted[:, 0])), 1.0)
    assert into_square([]) == [] and into_square([[]]) == []
