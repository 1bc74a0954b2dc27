"""Pen strokes -> the picture the network is shown: the one path from a drawing to its input.

A drawing is kept as vectors (lists of (x, y) points, y down). Rasterising the
pen the user saw on screen ties the stroke width to the canvas: a digit drawn
small then has a pen that is, relative to the digit, several times thicker than
MNIST's, and turns into a blob once scaled up to MNIST's 20 px box. So strokes
are re-rendered here with a pen whose width is a fixed fraction of the digit's
own size (as thick, relative to the digit, as MNIST's strokes), and a digit drawn
small, normal or large gives nearly the same 28x28 input.

The canvas, ``digitpad predict`` on stroke files, the sample store and the
benchmarks all call ``render_strokes`` / ``strokes_to_steps``; nothing else
rasterises strokes for the network. Pure numpy + Pillow: no Qt, no torch.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageDraw

from model.preprocess import Steps, steps

Point = tuple[float, float]
Strokes = Sequence[Sequence[Point]]

# The digit's longer side (of the pen's centre line) when rendered. The picture
# is box-filtered down to 20 px afterwards, about 6x, which anti-aliases it.
RENDER_BOX = 120
# The pen's width as a fraction of the digit's longer side. With the pen added,
# the ink's box is 1.12x the centre line's, so strokes end up about 2.1 px wide
# in MNIST's 20 px box. Measured on the 7,816 real pen digits of UNIPEN 1a drawn
# 330 px tall (bench/real_handwriting.py, the cnn shipped before this change):
# the median digit then carries as much ink as MNIST's median (mean pixel 0.123
# against 0.127), and accuracy is flat from 0.09 to 0.12 (97.0 %), lower with a
# thicker pen (0.14: 96.7 %, 0.15: 96.5 %).
PEN = 0.12


def stroke_arrays(strokes: Strokes) -> list[np.ndarray]:
    """Strokes as float arrays of shape (n, 2), dropping empty strokes and non-finite points."""
    out = []
    for stroke in strokes:
        points = np.asarray(stroke, dtype=np.float64).reshape(-1, 2)
        points = points[np.isfinite(points).all(axis=1)]
        if len(points):
            out.append(points)
    return out


def _thin(xy: np.ndarray, step: float = 3.0) -> np.ndarray:
    """Keep one point per ``step``-px cell (0.5 px of the final 20 px box) and always the ends.

    A mouse or tablet reports hundreds of points per stroke, most closer together
    than a pixel of the render; each costs Pillow a round joint. Dropping points
    that fall in the same pixel cell as the one before keeps the shape and makes
    a 5,000-point stroke about as cheap as a 100-point one.
    """
    if len(xy) <= 2:
        return xy
    cells = np.floor(xy / step)
    keep = np.ones(len(xy), dtype=bool)
    keep[1:] = (cells[1:] != cells[:-1]).any(axis=1)
    keep[-1] = True
    return xy[keep]


def render_strokes(strokes: Strokes, *, box: int = RENDER_BOX, pen: float = PEN) -> np.ndarray:
    """Strokes in any units -> float32 image, ink 1.0 on 0.0, pen relative to the digit.

    The digit's longer side becomes ``box`` px and the pen ``pen * box`` px, with
    round caps and joins, whatever units or size the strokes were drawn in. No
    strokes (or only empty ones) give an all-zero ``(box, box)`` image; a single
    point, or strokes that all sit on one point, give a round dot of the pen's width.
    """
    parts = stroke_arrays(strokes)
    if not parts:
        return np.zeros((box, box), dtype=np.float32)
    everything = np.concatenate(parts)
    low = everything.min(axis=0)
    extent = float((everything.max(axis=0) - low).max())
    scale = box / extent if extent > 0 else 0.0
    width = max(1.0, pen * box)
    margin = math.ceil(width / 2) + 2
    size = (everything.max(axis=0) - low) * scale
    w = math.ceil(size[0]) + 2 * margin + 1
    h = math.ceil(size[1]) + 2 * margin + 1
    image = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(image)
    radius = width / 2
    for points in parts:
        xy = _thin((points - low) * scale + margin)
        flat = [(float(x), float(y)) for x, y in xy]
        if len(flat) > 1:
            draw.line(flat, fill=255, width=round(width))
        # Round caps and joins as discs at every point: Pillow's own "curve"
        # joint leaves spikes inside the bends of a wide pen, more of them the
        # more points a stroke has, so a dense stroke read differently.
        for x, y in flat:
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=255)
    return np.asarray(image, dtype=np.float32) / np.float32(255.0)


def strokes_to_steps(strokes: Strokes) -> Steps:
    """Strokes -> every preprocessing step, ending in exactly what the network receives."""
    return steps(render_strokes(strokes), polarity="light_on_dark")


def strokes_to_mnist(strokes: Strokes) -> np.ndarray:
    """Strokes -> the 28x28 MNIST-style picture in [0, 1] (ink = 1), before normalisation."""
    return strokes_to_steps(strokes).placed


def ink_length(strokes: Strokes) -> float:
    """Total pen travel, in the strokes' own units (0 for dots and no strokes)."""
    return float(
        sum(np.linalg.norm(np.diff(p, axis=0), axis=1).sum() for p in stroke_arrays(strokes))
    )


def extent(strokes: Strokes) -> tuple[float, float]:
    """(width, height) of the strokes' bounding box, in their own units."""
    parts = stroke_arrays(strokes)
    if not parts:
        return (0.0, 0.0)
    everything = np.concatenate(parts)
    w, h = everything.max(axis=0) - everything.min(axis=0)
    return (float(w), float(h))


def into_square(strokes: Strokes) -> list[list[Point]]:
    """One digit cut out of a wider drawing, moved into the unit square of a one-digit canvas.

    The number mode's strokes are in units of the wide canvas's height (x runs
    0..4). A digit saved from it as a sample must look like a digit drawn on the
    square canvas (the sample store's strokes are 0..1 of the canvas side), so
    it keeps its size and height on the page and is centred sideways; a digit
    wider or taller than the square is scaled down to fit, about its centre.
    Rendering is size-invariant (the pen is relative to the digit), so the
    network reads the moved digit exactly as it read it in place.
    """
    parts = stroke_arrays(strokes)
    if not parts:
        return []
    everything = np.concatenate(parts)
    low, high = everything.min(axis=0), everything.max(axis=0)
    scale = 1.0 / max(1.0, float((high - low).max()))
    centre = (low + high) / 2
    # Sideways to the middle; up or down only as far as the square needs.
    half = (high - low) * scale / 2
    target = np.array([0.5, float(np.clip(centre[1], half[1], 1.0 - half[1]))])
    return [[(float(x), float(y)) for x, y in (p - centre) * scale + target] for p in parts]
