"""One real writer, for the tests of a personalized model: UNIPEN apa/DavidSinger.

The shipped cnn reads several of his flagged 1s as 7s (his 7s carry a bar). His
digits ship in the held-out pen digits (``assets/pen_digits``), so the tests
need no other data.
"""

from __future__ import annotations

import numpy as np

from model.paths import shipped_held_out_pen_digits
from model.pen_benchmark import SIZES, replay
from model.pen_digits import PenDigit, load_pen_digits
from model.stroke_match import StrokeMemory

HEIGHT = SIZES["normal"]  # drawn as tall as bench/personalize.py draws them


def taught_and_unseen(seed: int = 0, k: int = 2) -> tuple[list[PenDigit], list[PenDigit]]:
    """k of each of his digits taught, the rest unseen, as bench/personalize.py splits them."""
    digits = [
        d for d in load_pen_digits(shipped_held_out_pen_digits()) if d.person == "apa/DavidSinger"
    ]
    rng = np.random.default_rng(seed)
    taught, unseen = [], []
    for label in range(10):
        mine = [d for d in digits if d.label == label]
        order = rng.permutation(len(mine))
        taught += [mine[i] for i in order[:k]]
        unseen += [mine[i] for i in order[k:]]
    return taught, unseen


def memory_of(digits: list[PenDigit]) -> StrokeMemory:
    """What a model personalized on ``digits`` (drawn on the canvas) remembers."""
    memory = StrokeMemory.of([(replay(d.strokes, HEIGHT), d.label) for d in digits])
    assert memory is not None
    return memory
