"""Whole numbers made of real pen digits, laid side by side as a person writes them.

``bench/whole_numbers.py`` and the tests both build their numbers here, so the
benchmark and the tests write the same way: digits of one person where the
data allows it, gaps from touching to wide, a little vertical jitter, sizes
varying within a number. Pure numpy: no Qt, no torch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from model.pen_digits import PenDigit

Stroke = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Writing:
    """How a number is laid out; lengths are fractions of the digits' height."""

    height: float = 0.6  # of the canvas's height (the canvas is normalised by its height)
    min_gap: float = 0.0  # touching bounding boxes
    max_gap: float = 0.6
    jitter: float = 0.08  # vertical offset of each digit, up to this either way
    size_variation: float = 0.3  # the largest digit up to this much taller than the smallest
    max_width: float = 3.9  # numbers wider than this are scaled down to fit (4:1 canvas)


@dataclass(frozen=True)
class PenNumber:
    """A composed number: its strokes in writing order, each digit's label and box."""

    labels: tuple[int, ...]
    strokes: tuple[Stroke, ...]
    boxes: tuple[tuple[float, float, float, float], ...]  # left, top, right, bottom
    stroke_counts: tuple[int, ...]  # how many of ``strokes`` each digit has, in order

    @property
    def text(self) -> str:
        return "".join(map(str, self.labels))

    def digit_strokes(self) -> list[tuple[Stroke, ...]]:
        """Each digit's own strokes, left to right."""
        out, start = [], 0
        for count in self.stroke_counts:
            out.append(self.strokes[start : start + count])
            start += count
        return out


def compose(
    digits: Sequence[PenDigit], rng: np.random.Generator, writing: Writing = Writing()
) -> PenNumber:
    """Lay ``digits`` out left to right as one number, at random gaps, sizes and offsets."""
    scale_of = 1.0 + rng.uniform(0.0, writing.size_variation, len(digits))
    scale_of /= scale_of.mean()
    placed: list[list[np.ndarray]] = []
    boxes = []
    x = 0.0
    for i, digit in enumerate(digits):
        parts = [np.asarray(s, dtype=np.float64).reshape(-1, 2) for s in digit.strokes if len(s)]
        everything = np.concatenate(parts)
        low = everything.min(axis=0)
        high = everything.max(axis=0)
        h = max(float(high[1] - low[1]), 1e-9)
        scale = writing.height * scale_of[i] / h
        size = (high - low) * scale
        dy = 0.5 - size[1] / 2 + rng.uniform(-writing.jitter, writing.jitter) * writing.height
        if i:
            x += rng.uniform(writing.min_gap, writing.max_gap) * writing.height
        offset = np.array([x, dy])
        placed.append([(p - low) * scale + offset for p in parts])
        boxes.append((x, dy, x + size[0], dy + size[1]))
        x += size[0]
    fit = min(1.0, writing.max_width / max(x, 1e-9))
    strokes = tuple(
        tuple((float(px * fit), float(0.5 + (py - 0.5) * fit)) for px, py in s)
        for parts in placed
        for s in parts
    )
    scaled = tuple(
        (a * fit, 0.5 + (b - 0.5) * fit, c * fit, 0.5 + (d - 0.5) * fit) for a, b, c, d in boxes
    )
    return PenNumber(tuple(d.label for d in digits), strokes, scaled, tuple(len(p) for p in placed))


class DigitPicker:
    """Random digits of one person (the data's ``person``) wherever that person wrote them."""

    def __init__(self, digits: Sequence[PenDigit]) -> None:
        self._by_person: dict[str, dict[int, list[PenDigit]]] = defaultdict(
            lambda: defaultdict(list)
        )
        self._by_label: dict[int, list[PenDigit]] = defaultdict(list)
        for d in digits:
            if len(d.strokes) and any(len(s) for s in d.strokes):
                self._by_person[d.person][d.label].append(d)
                self._by_label[d.label].append(d)
        self._people = sorted(self._by_person)

    def pick(self, labels: Sequence[int], rng: np.random.Generator) -> list[PenDigit]:
        """One digit per label, all by one person who wrote every label needed, if any did.

        Otherwise the person who wrote the most of them, and anyone for the rest.
        """
        needed = set(labels)
        complete = [p for p in self._people if needed <= set(self._by_person[p])]
        if complete:
            person = complete[rng.integers(len(complete))]
        else:
            person = max(self._people, key=lambda p: len(needed & set(self._by_person[p])))
        out = []
        for label in labels:
            pool = self._by_person[person].get(label) or self._by_label[label]
            out.append(pool[rng.integers(len(pool))])
        return out
