"""Whole numbers from real pen digits: how often the number mode reads all of them right.

    .venv/bin/python bench/whole_numbers.py [--data ../shared/data/unipen] [--model FILE]
                                      [--count 300] [--seed 2026]

Numbers of 2 to 6 digits are composed from the real pen digits of UNIPEN
(``model.pen_numbers``: digits of one person where the data allows, gaps from
touching to wide, vertical jitter, sizes varying by up to 30 %). Each is read

- on the stroke path, as the Draw tab's number mode reads the wide canvas
  (``model.segmentation.read_strokes``), and
- on the image path, as ``digitpad predict --number`` reads a picture: the
  number rendered at a random height of 40 to 400 px, in a random polarity
  (``read_image``).

The baseline in the same run reads the same digits one by one, each from its
own strokes (no segmentation at all): the number mode can at best match it.
Printed per length: fully correct numbers, correct digits (by edit distance),
and milliseconds per number; for the stroke path, how many wrong numbers were
grouped wrong (segmentation: some digit's strokes are not exactly one true
digit's) and how many were grouped right and misread (recognition). The model
defaults to the shipped default (cnn).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import torch

from model.checkpoints import load_model
from model.paths import shipped_models_dir
from model.pen_digits import load_pen_digits
from model.pen_numbers import DigitPicker, PenNumber, compose
from model.prediction import predict_probabilities
from model.segmentation import NumberReading, read_image, read_strokes
from model.strokes import PEN, render_strokes, strokes_to_steps

ROOT = Path(__file__).parents[1]


def edit_distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
    return row[-1]


def grouped_right(reading: NumberReading, number: PenNumber) -> bool:
    """Each digit read holds strokes of exactly one true digit, in order, and no digit is lost.

    Only whole strokes count: a piece of a cut stroke is in no true digit. A
    speck the reading dropped as too small to be ink does not count against it.
    """
    owner = {stroke: i for i, strokes in enumerate(number.digit_strokes()) for stroke in strokes}
    if len(reading.digits) != len(number.labels):
        return False
    return all(
        all(owner.get(stroke) == i for stroke in d.strokes) and d.strokes
        for i, d in enumerate(reading.digits)
    )


def picture(number: PenNumber, rng: np.random.Generator) -> np.ndarray:
    """The number as a photo-like picture: random size and polarity, pen relative to the digits."""
    height = rng.uniform(40, 400)  # px of a digit
    points = np.concatenate([np.asarray(s) for s in number.strokes])
    digit = float(np.median([b[3] - b[1] for b in number.boxes]))
    px = height / digit  # pixels per unit
    longer = float(np.ptp(points, axis=0).max())
    box = max(8, round(longer * px))
    ink = render_strokes(number.strokes, box=box, pen=PEN * height / box)
    return 1.0 - ink if rng.random() < 0.5 else ink


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "unipen"))
    parser.add_argument("--model", default=str(shipped_models_dir() / "cnn.pt"))
    parser.add_argument("--count", type=int, default=300, help="numbers per length")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    torch.set_num_threads(1)  # one number at a time, as the Draw tab reads it
    network = load_model(args.model).network

    def classify(x: np.ndarray) -> np.ndarray:
        return predict_probabilities(network, x)

    digits = load_pen_digits(args.data)
    picker = DigitPicker(digits)
    rng = np.random.default_rng(args.seed)
    classify(np.zeros((1, 28, 28), dtype=np.float32))  # warm-up
    print(
        f"{len(digits)} pen digits, model {args.model}, torch {torch.__version__}, "
        f"{torch.get_num_threads()} thread, {args.count} numbers per length, seed {args.seed}"
    )
    print(
        f"{'digits':>6}  {'path':<22}{'numbers right':>14}{'digits right':>14}{'ms/number':>11}"
        f"{'wrong: grouping / reading':>27}"
    )
    for length in range(2, 7):
        numbers = [
            compose(picker.pick(rng.integers(0, 10, length), rng), rng) for _ in range(args.count)
        ]
        pictures = [picture(n, rng) for n in numbers]
        results = {}

        def one_by_one(n: PenNumber) -> str:
            own = np.stack([strokes_to_steps(s).normalized for s in n.digit_strokes()])
            return "".join(str(int(d)) for d in classify(own).argmax(axis=1))

        texts, elapsed = [], 0.0
        for n in numbers:
            start = time.perf_counter()
            texts.append(one_by_one(n))
            elapsed += time.perf_counter() - start
        results["one by one (baseline)"] = (texts, elapsed)
        texts, elapsed, readings = [], 0.0, []
        for n in numbers:
            start = time.perf_counter()
            reading = read_strokes(n.strokes, classify)
            elapsed += time.perf_counter() - start
            texts.append(reading.text)
            readings.append(reading)
        results["strokes"] = (texts, elapsed)
        wrong = [(r, n) for r, n in zip(readings, numbers, strict=True) if r.text != n.text]
        grouping = sum(not grouped_right(r, n) for r, n in wrong)
        breakdown = {"strokes": f"{grouping:>21} / {len(wrong) - grouping}"}
        texts, elapsed = [], 0.0
        for p in pictures:
            start = time.perf_counter()
            texts.append(read_image(p, classify).text)
            elapsed += time.perf_counter() - start
        results["image"] = (texts, elapsed)
        for name, (texts, elapsed) in results.items():
            right = np.mean([t == n.text for t, n in zip(texts, numbers, strict=True)])
            digits_right = 1 - sum(
                min(length, edit_distance(t, n.text)) for t, n in zip(texts, numbers, strict=True)
            ) / (length * len(numbers))
            print(
                f"{length:>6}  {name:<22}{right:>14.3f}{digits_right:>14.3f}"
                f"{elapsed / len(numbers) * 1000:>11.1f}{breakdown.get(name, '')}",
                flush=True,
            )


if __name__ == "__main__":
    main()
