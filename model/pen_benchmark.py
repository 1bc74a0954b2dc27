"""Real pen digits replayed as drawings on the canvas, and a network scored on them.

MNIST's test set says little about what users draw. This module takes the
recorded pen trajectories of ``model.pen_digits`` and replays each one the way
the Draw tab would have recorded it: scaled to a drawing height in screen
pixels on the 510 px canvas, each point rounded to the integer mouse position
Qt reports, repeats dropped, then normalised to 0..1 of the canvas's side (as
``gui/canvas.py`` does). Those strokes go through ``model.strokes`` like any
drawing, so the figures are those of the real drawing path, at any size.

Used by ``bench/real_handwriting.py``, the tests, and anyone choosing a model::

    digits = load_pen_digits("../shared/data/unipen")
    inputs = network_inputs(digits, SIZES["normal"])    # (N, 28, 28), once per size
    result = score(network, digits, inputs)             # any number of networks
    draw_all(digits, SIZES["small"]).rejection_rate     # real digits called "not a digit"
    result.accuracy, result.per_digit, result.per_collection, result.top_confusions()

No Qt. torch only inside ``score``/``probabilities``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model.pen_digits import PenDigit
from model.strokes import Strokes, strokes_to_steps
from model.verdict import not_a_digit

if TYPE_CHECKING:
    from torch import nn

CANVAS_PX = 510  # the Draw tab's canvas side at the window's default size
# The digit's height in screen pixels: "normal" fills about 65 % of the canvas
# (the canvas's own pen width was tuned for that); "small" is a quarter of it,
# the size at which a fixed pen used to turn digits into blobs; "large" nearly
# fills the canvas.
SIZES: dict[str, int] = {"small": 83, "normal": 330, "large": 460}
MAX_WIDTH_FRACTION = 0.9  # a wide digit is shrunk so it stays on the canvas

CanvasStrokes = list[list[tuple[float, float]]]


def replay(strokes: Strokes, height_px: float, canvas_px: int = CANVAS_PX) -> CanvasStrokes:
    """``strokes`` (any units, y down) as the canvas records them when drawn ``height_px`` tall.

    The digit is scaled so its height is ``height_px`` screen pixels (its width
    at most 90 % of the canvas), centred, every point rounded to an integer
    pixel as a mouse reports it, consecutive repeats dropped (the canvas ignores
    a move to the same position), then divided by the canvas's side and clipped
    to 0..1. A flat stroke (no height) is scaled by its width instead.
    """
    parts = [np.asarray(s, dtype=np.float64).reshape(-1, 2) for s in strokes]
    parts = [p for p in parts if len(p)]
    if not parts:
        return []
    everything = np.concatenate(parts)
    low, high = everything.min(axis=0), everything.max(axis=0)
    w, h = high - low
    limit = MAX_WIDTH_FRACTION * canvas_px
    scale = height_px / h if h > 0 else (height_px / w if w > 0 else 1.0)
    if w * scale > limit:
        scale = limit / w
    offset = (canvas_px - (high - low) * scale) / 2
    out: CanvasStrokes = []
    for p in parts:
        pixels = np.round((p - low) * scale + offset)
        keep = np.ones(len(pixels), dtype=bool)
        keep[1:] = (pixels[1:] != pixels[:-1]).any(axis=1)
        unit = np.clip(pixels[keep] / canvas_px, 0.0, 1.0)
        out.append([(float(x), float(y)) for x, y in unit])
    return out


@dataclass(frozen=True)
class Drawings:
    """Digits replayed on the canvas at one size, as the Draw tab would take them."""

    inputs: np.ndarray  # (N, 28, 28) float32: what the network receives
    rejected: tuple[str | None, ...]  # ``model.verdict.not_a_digit``'s reason, or None

    @property
    def rejection_rate(self) -> float:
        return sum(r is not None for r in self.rejected) / max(1, len(self.rejected))


def draw_all(digits: Sequence[PenDigit], height_px: float, canvas_px: int = CANVAS_PX) -> Drawings:
    """Replay every digit ``height_px`` tall: network inputs and not-a-digit verdicts.

    Independent of the network, so compute it once per size and score many networks on it.
    """
    out = np.empty((len(digits), 28, 28), dtype=np.float32)
    rejected = []
    for i, digit in enumerate(digits):
        strokes = replay(digit.strokes, height_px, canvas_px)
        steps = strokes_to_steps(strokes)
        out[i] = steps.normalized
        rejected.append(not_a_digit(strokes, steps.placed))
    return Drawings(out, tuple(rejected))


def network_inputs(
    digits: Sequence[PenDigit], height_px: float, canvas_px: int = CANVAS_PX
) -> np.ndarray:
    """What the network receives for each digit drawn ``height_px`` tall: (N, 28, 28) float32."""
    return draw_all(digits, height_px, canvas_px).inputs


def probabilities(network: nn.Module, inputs: np.ndarray, batch_size: int = 1000) -> np.ndarray:
    """(N, 10) softmax probabilities for normalised (N, 28, 28) inputs, in eval mode."""
    import torch

    was_training = network.training
    network.eval()
    try:
        with torch.inference_mode():
            x = torch.as_tensor(inputs, dtype=torch.float32)
            chunks = [
                torch.softmax(network(x[i : i + batch_size]), dim=1)
                for i in range(0, len(x), batch_size)
            ]
            return torch.cat(chunks).numpy() if chunks else np.zeros((0, 10), np.float32)
    finally:
        network.train(was_training)


@dataclass(frozen=True)
class PenScore:
    """How a network read a list of pen digits. Fractions are 0..1."""

    accuracy: float
    per_digit: tuple[float, ...]  # 10 fractions; NaN for a digit absent from the list
    per_collection: tuple[tuple[str, float, int], ...]  # (collection, accuracy, digits), by name
    confusion: tuple[tuple[int, ...], ...]  # confusion[true][predicted]
    predicted: tuple[int, ...]  # the network's digit for each input, in order

    @property
    def size(self) -> int:
        return len(self.predicted)

    def top_confusions(self, k: int = 10) -> list[tuple[int, int, int]]:
        """The ``k`` most common mistakes as (true, predicted, count), most common first."""
        pairs = [
            (t, p, n)
            for t, row in enumerate(self.confusion)
            for p, n in enumerate(row)
            if t != p and n
        ]
        return sorted(pairs, key=lambda x: (-x[2], x[0], x[1]))[:k]


def score_predictions(digits: Sequence[PenDigit], predicted: Sequence[int]) -> PenScore:
    """Accuracy, per digit, per collection and confusions for given predictions."""
    labels = np.array([d.label for d in digits], dtype=np.int64)
    guess = np.asarray(predicted, dtype=np.int64)
    if labels.shape != guess.shape:
        raise ValueError(f"{len(labels)} digits but {len(guess)} predictions")
    confusion = np.bincount(labels * 10 + guess, minlength=100).reshape(10, 10)
    totals = confusion.sum(axis=1)
    per_digit = tuple(
        float(confusion[d, d] / totals[d]) if totals[d] else float("nan") for d in range(10)
    )
    right = labels == guess
    counts: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    for digit, ok in zip(digits, right, strict=True):
        counts[digit.collection] += 1
        correct[digit.collection] += bool(ok)
    per_collection = tuple((c, correct[c] / counts[c], counts[c]) for c in sorted(counts))
    return PenScore(
        accuracy=float(right.mean()) if len(right) else float("nan"),
        per_digit=per_digit,
        per_collection=per_collection,
        confusion=tuple(tuple(int(v) for v in row) for row in confusion),
        predicted=tuple(int(v) for v in guess),
    )


def score(network: nn.Module, digits: Sequence[PenDigit], inputs: np.ndarray) -> PenScore:
    """Score ``network`` on ``digits``, whose ``network_inputs`` are ``inputs``."""
    if len(inputs) != len(digits):
        raise ValueError(f"{len(digits)} digits but {len(inputs)} inputs")
    return score_predictions(digits, probabilities(network, inputs).argmax(axis=1))


def select(digits: Sequence[PenDigit], collections: Sequence[str] | None) -> list[PenDigit]:
    """The digits of the named collections (all of them for None), in their order."""
    if collections is None:
        return list(digits)
    wanted = set(collections)
    return [d for d in digits if d.collection in wanted]
