"""Your drawings, matched stroke by stroke: what a personalized model remembers of its user.

A picture loses how a digit was drawn. One person's flagged 1 and their 7 can be
the same picture, yet the pen went differently: the 1 in one stroke from the tip
of the flag, the 7 in two, with a bar. Fine-tuning the network on the user's
pictures fixed about a third of the errors on their other digits
(bench/personalize.py, the 31 people of the real pen digits the shipped cnn never
trained on, two samples of each digit). Their strokes fix most of the rest:

* each drawing becomes a *trace*: the pen's path through all its strokes, jumps
  between strokes included and marked, scaled into a unit box about its centre
  and resampled to ``POINTS`` points evenly along its length;
* a new drawing is compared with each taught one by dynamic time warping (a pen
  may linger or hurry on part of a stroke), within ``BAND`` points of the
  diagonal, and each digit's distance is that of its nearest taught drawing;
* a digit with a taught drawing nearer than ``REACH`` gets a bonus on its
  log-probability, ``WEIGHT`` at distance 0 falling to 0 at ``REACH``, and the
  probabilities are normalised again;
* but only when the network's own answer is a digit the user taught too: the
  memory arbitrates between digits it has seen its user write, and knows
  nothing of how they write the others. Users teach mostly what was misread
  (``--corrections``: only the misread digits of half a person's digits, 1-6
  of them): a person's taught 8 drawn like their 6s then pulled their 6s to 8,
  and their error went up x1.71 (seed 0) where the fine-tune alone took it
  down x0.57. With the rule the memory adds nothing there, breaks nothing, and
  the figures with every digit taught do not move.

So a drawing made the way one of the user's samples was made reads as that
sample's label unless the network is very sure otherwise, and a drawing like
none of them reads as the network reads it. MNIST has no strokes: its figure is
the network's alone. Pictures without strokes (a scanned digit, a PNG) are read
by the network alone too.

Measured through the app's own path (bench/personalize.py, k = 2, 31 people,
six seeds; the constants were picked on seeds 0-2 of a scratch run): the
personalized model's error on a person's unseen digits is x0.25 of the shipped
cnn's, the fine-tuned network alone x0.66.

Pure numpy: the Draw tab runs it on every prediction (bench/predict_latency.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from model.strokes import Strokes, stroke_arrays

if TYPE_CHECKING:
    from model.segmentation import NumberReading

POINTS = 32  # points a trace is resampled to
BAND = 4  # warping window, in points either side of the diagonal
PEN_UP = 0.3  # weight of the "pen was lifted here" coordinate against x and y
# Chosen on bench/personalize.py seeds 0-2 from weights 4, 8, 16, 100 and reaches
# 0.15-0.35: weight 8 gave x0.30 there, 16 x0.24 (both at reach 0.25); 100 lets a
# near miss override the network and broke more digits than it fixed.
WEIGHT = 16.0  # log-probability added for a drawing identical to a taught one
REACH = 0.25  # mean warped distance, in units of the drawing's longer side, at which it is 0
MAX_TRACES = 100_000  # a model file claiming more is refused (Personalize keeps at most 2,000)


def trace(strokes: Strokes) -> np.ndarray | None:
    """The drawing's pen path as (POINTS, 3) float32: x, y, pen lifted; None for a dot or nothing.

    x and y are centred on the drawing's box and divided by its longer side, so a
    trace does not depend on where or how large the digit was drawn.
    """
    parts = stroke_arrays(strokes)
    if not parts:
        return None
    points = np.concatenate(parts)
    lifted = np.zeros(len(points))
    starts = np.cumsum([len(p) for p in parts])[:-1]
    lifted[starts] = 1.0  # the segment arriving at a stroke's first point is a jump
    low, high = points.min(axis=0), points.max(axis=0)
    side = float((high - low).max())
    if side <= 0:
        return None
    points = (points - (low + high) / 2) / side
    steps = np.linalg.norm(np.diff(points, axis=0), axis=1)
    keep = np.concatenate([[True], steps > 0])  # repeated points would stall the resampling
    points, lifted = points[keep], np.maximum.reduceat(lifted, np.flatnonzero(keep))
    steps = steps[steps > 0]
    along = np.concatenate([[0.0], np.cumsum(steps)])
    at = np.linspace(0.0, along[-1], POINTS)
    x = np.interp(at, along, points[:, 0])
    y = np.interp(at, along, points[:, 1])
    segment = np.clip(np.searchsorted(along, at, side="right") - 1, 0, len(steps) - 1)
    pen = lifted[segment + 1] * PEN_UP
    return np.stack([x, y, pen], axis=1).astype(np.float32)


def distances(query: np.ndarray, traces: np.ndarray, limit: float = np.inf) -> np.ndarray:
    """(K,) mean warped distances from one (POINTS, 3) trace to (3, POINTS, K) traces.

    The traces are coordinate-major (``StrokeMemory.columns``) so that every step
    below works on contiguous rows of K. Traces certain to be at least ``limit``
    away are not warped and get ``inf``: every warp visits each point of the
    query, so the sum of each point's cheapest match within the band bounds the
    distance from below.
    """
    k = traces.shape[2]
    out = np.full(k, np.inf, dtype=np.float32)
    if not k:
        return out
    width = 2 * BAND + 1
    inf = np.float32(np.inf)
    # cost[b, i]: point i of the query against point i + b - BAND of each trace.
    cost = np.full((width, POINTS, k), inf, dtype=np.float32)
    for b in range(width):
        shift = b - BAND
        i0, i1 = max(0, -shift), min(POINTS, POINTS - shift)
        squared = np.zeros((i1 - i0, k), dtype=np.float32)
        for c in range(3):
            d = traces[c, i0 + shift : i1 + shift] - query[i0:i1, c, None]
            squared += d * d
        cost[b, i0:i1] = np.sqrt(squared)
    bound = cost.min(axis=0).sum(axis=0) / POINTS
    near = np.flatnonzero(bound < limit)
    cost = np.ascontiguousarray(cost[:, :, near].transpose(1, 0, 2))  # (POINTS, width, n)
    # total[b]: the cheapest warp reaching (i, i + b - BAND), row by row.
    total = np.full((width, len(near)), inf, dtype=np.float32)
    total[BAND] = cost[0, BAND]
    for b in range(BAND + 1, width):  # along the first row of the query
        total[b] = total[b - 1] + cost[0, b]
    for i in range(1, POINTS):
        row = np.empty_like(total)
        for b in range(width):
            best = total[b]  # (i - 1, j - 1)
            if b + 1 < width:
                best = np.minimum(best, total[b + 1])  # (i - 1, j)
            if b > 0:
                best = np.minimum(best, row[b - 1])  # (i, j - 1)
            row[b] = cost[i, b] + best
        total = row
    out[near] = total[BAND] / POINTS
    return out


@dataclass(frozen=True, eq=False)
class StrokeMemory:
    """The traces of the user's samples and their labels, kept in a personalized model's file."""

    traces: np.ndarray  # (K, POINTS, 3) float32
    labels: np.ndarray  # (K,) int64, 0..9

    def __len__(self) -> int:
        return len(self.labels)

    @cached_property
    def columns(self) -> np.ndarray:
        """The traces coordinate-major, (3, POINTS, K), as ``distances`` reads them."""
        return np.ascontiguousarray(self.traces.transpose(2, 1, 0))

    @classmethod
    def of(cls, drawings: Sequence[tuple[Strokes | None, int]]) -> StrokeMemory | None:
        """From (strokes, label) pairs; drawings without strokes are left out. None if none are left."""
        kept = [(t, label) for s, label in drawings if s and (t := trace(s)) is not None]
        if not kept:
            return None
        return cls(
            np.stack([t for t, _ in kept]).astype(np.float32),
            np.asarray([label for _, label in kept], dtype=np.int64),
        )

    def bonus(self, strokes: Sequence[Strokes | None]) -> np.ndarray:
        """(N, 10) log-probability bonus for N drawings (zeros for one without strokes)."""
        out = np.zeros((len(strokes), 10), dtype=np.float32)
        found = [(n, t) for n, s in enumerate(strokes) if s and (t := trace(s)) is not None]
        if not found:
            return out
        for n, query in found:
            near = distances(query, self.columns, limit=REACH)
            for digit in range(10):
                mine = near[self.labels == digit]
                if len(mine):
                    out[n, digit] = WEIGHT * max(0.0, 1.0 - float(mine.min()) / REACH)
        return out

    def added(self, probabilities: np.ndarray, strokes: Sequence[Strokes | None]) -> np.ndarray:
        """What is added to the network's (N, 10) log-probabilities: the bonus, where it arbitrates.

        The memory only arbitrates between digits it has drawings of: when the
        network's answer is a digit the user never taught, nothing is added.
        """
        known = np.zeros(10, dtype=bool)
        known[self.labels] = True
        answers = np.asarray(probabilities).reshape(-1, 10).argmax(axis=1)
        return np.where(known[answers][:, None], self.bonus(strokes), 0.0)

    def adjust(self, probabilities: np.ndarray, strokes: Sequence[Strokes | None]) -> np.ndarray:
        """The network's (N, 10) probabilities for N drawings as the personalized model reads them."""
        return _with_bonus(probabilities, self.added(probabilities, strokes))


def _with_bonus(probabilities: np.ndarray, bonus: np.ndarray) -> np.ndarray:
    logs = np.log(np.clip(np.asarray(probabilities, dtype=np.float64), 1e-30, None)) + bonus
    logs -= logs.max(axis=-1, keepdims=True)
    weights = np.exp(logs)
    return (weights / weights.sum(axis=-1, keepdims=True)).astype(np.float32)


@dataclass(frozen=True, eq=False)
class Reading:
    """One drawing as a model reads it; ``like_a_sample``: its answer is that of a taught
    drawing within reach (the Draw tab says so)."""

    probabilities: np.ndarray
    like_a_sample: bool = False


def read_drawing(
    probabilities: np.ndarray, strokes: Strokes | None, memory: StrokeMemory | None
) -> Reading:
    """One drawing's probabilities as a model reads it: the network's, adjusted by its memory."""
    if memory is None or not strokes:
        return Reading(probabilities)
    bonus = memory.added(np.asarray(probabilities)[None], [strokes])[0]
    adjusted = _with_bonus(probabilities, bonus)
    return Reading(adjusted, bool(bonus[int(np.argmax(adjusted))] > 0))


def read_number(reading: NumberReading, memory: StrokeMemory | None) -> NumberReading:
    """A whole number as a personalized model reads it: each digit by its own strokes.

    Where the number is cut stays the network's decision; only what each digit
    reads as can change (a digit read from a picture has no strokes: unchanged).
    """
    if memory is None:
        return reading
    digits = tuple(
        replace(d, probabilities=read_drawing(d.probabilities, d.strokes, memory).probabilities)
        for d in reading.digits
    )
    return replace(reading, digits=digits)
