"""Is this drawing a digit at all? A few measured checks before the network answers.

A softmax always sums to 1, so a network shown a dot, a dash or a scribble
still names a digit, often "100 % sure". Before that happens, four plain
checks look at the strokes and at the 28x28 input:

- a dot: the whole drawing spans under 2 % of the drawing area's side;
- a straight line lying more than 50 degrees off vertical (a near-vertical one is a 1);
- a scribble: the pen travelled more than 9 times the drawing's longer side;
- too much ink for a digit: the 28x28 input is, on average, inkier than any
  MNIST training digit (the heaviest of the 60,000 is 0.398).

The thresholds leave a margin over what real digits do. Measured on all 7,816
real pen digits of UNIPEN 1a replayed on the canvas at 83, 330 and 460 px
(``bench/real_handwriting.py``): the smallest spans 16 % of the side; no
straight stroke lies more than 43 degrees off vertical (653 ones are straight);
pen travel is at most 6.3 times the longer side; mean ink at most 0.254.

Pure numpy: no Qt, no torch.
"""

from __future__ import annotations

import math

import numpy as np

from model.strokes import Strokes, stroke_arrays

DOT = "A dot, not a digit: draw it larger"
LINE = "A straight line, not a digit"
SCRIBBLE = "A scribble, not a digit"
TOO_MUCH_INK = "Too much ink for a digit"

MIN_SPAN = 0.02  # of the drawing area's side: about 10 px on the 510 px canvas
STRAIGHT = 0.15  # thickness / length (minor / major spread) under which a drawing is a line
MAX_LINE_ANGLE = 50.0  # degrees off vertical that a straight 1 may lean
MAX_TRAVEL = 9.0  # pen travel / the drawing's longer side
MAX_MEAN_INK = 0.40  # mean of the 28x28 input in [0, 1]; MNIST's heaviest digit: 0.398


def _resample(parts: list[np.ndarray], step: float) -> np.ndarray:
    """Points every ``step`` along the strokes, so the line check weighs ink, not sampling."""
    out = []
    for p in parts:
        seg = np.linalg.norm(np.diff(p, axis=0), axis=1)
        cum = np.concatenate([[0.0], np.cumsum(seg)])
        if cum[-1] <= 0:
            out.append(p[:1])
            continue
        t = np.arange(0.0, cum[-1] + step / 2, step)
        out.append(np.column_stack([np.interp(t, cum, p[:, 0]), np.interp(t, cum, p[:, 1])]))
    return np.concatenate(out)


def line_shape(strokes: Strokes) -> tuple[float, float]:
    """(thickness / length, degrees off vertical) of the drawing's principal axis.

    Thickness / length is the square root of the ratio of the smaller to the
    larger spread of the ink's points: 0 for a perfect line, 1 for a round blob.
    """
    parts = stroke_arrays(strokes)
    if not parts:
        return (1.0, 0.0)
    everything = np.concatenate(parts)
    side = float((everything.max(axis=0) - everything.min(axis=0)).max())
    if side <= 0:
        return (1.0, 0.0)
    points = _resample(parts, side / 100)
    if len(points) < 3:
        return (1.0, 0.0)
    # The 2x2 covariance and its eigen-decomposition in closed form: cheaper than
    # np.cov + np.linalg.eigh, and no BLAS call, whose thread pool would compete
    # with torch's on the live-prediction path.
    d = points - points.mean(axis=0)
    a = float((d[:, 0] * d[:, 0]).mean())
    b = float((d[:, 0] * d[:, 1]).mean())
    c = float((d[:, 1] * d[:, 1]).mean())
    half_gap = math.hypot((a - c) / 2, b)
    major, minor = (a + c) / 2 + half_gap, (a + c) / 2 - half_gap
    ratio = math.sqrt(max(minor, 0.0) / major) if major > 0 else 1.0
    # The major axis lies at 0.5 * atan2(2b, a - c) from the x axis.
    from_x = abs(math.degrees(0.5 * math.atan2(2 * b, a - c)))
    return (ratio, 90.0 - from_x)


def not_a_digit(strokes: Strokes, placed: np.ndarray | None, side: float = 1.0) -> str | None:
    """Why this drawing is not a digit (one line for the user), or None if it may be one.

    ``strokes`` are in units where the drawing area is ``side`` wide (the Draw
    tab's canvas records fractions of its side: ``side=1``); ``placed`` is the
    28x28 [0, 1] input from ``model.strokes.strokes_to_steps``. No strokes at
    all is not judged here (None): the caller shows its own prompt.
    """
    parts = stroke_arrays(strokes)
    if not parts:
        return None
    everything = np.concatenate(parts)
    span = float((everything.max(axis=0) - everything.min(axis=0)).max())
    if span < MIN_SPAN * side:
        return DOT
    ratio, angle = line_shape(parts)
    if ratio < STRAIGHT and angle > MAX_LINE_ANGLE:
        return LINE
    travel = sum(float(np.linalg.norm(np.diff(p, axis=0), axis=1).sum()) for p in parts)
    if travel > MAX_TRAVEL * span:
        return SCRIBBLE
    if placed is not None and float(np.mean(placed)) > MAX_MEAN_INK:
        return TOO_MUCH_INK
    return None
