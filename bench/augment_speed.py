"""What augmentation costs: an augmented training epoch against a plain one, in the same run.

    .venv/bin/python bench/augment_speed.py --data ../shared/data [--limit N] [--network cnn]

Trains one epoch of the network's recommended recipe with and without
``augment`` (alternating, ``--repeats`` times each, the fastest of each kept, so a
busy machine disturbs both alike) and prints the ratio of their epoch times. It
also times ``augment_batch`` alone on one batch, as a share of the plain step.
"""

from __future__ import annotations

import argparse
import dataclasses
import time

import torch

from model.augment import augment_batch
from model.config import RECOMMENDED
from model.data import Mnist, Split, load_mnist
from model.events import EpochEnd
from model.training import train


def epoch_seconds(config, data: Mnist) -> float:
    ends = [e for e in train(config, data=data) if isinstance(e, EpochEnd)]
    return ends[0].epoch_seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data")
    parser.add_argument("--network", default="cnn", choices=sorted(RECOMMENDED))
    parser.add_argument("--limit", type=int, default=60000, help="training images per epoch")
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    full = load_mnist(args.data, download=False)
    data = Mnist(
        Split(full.train.images[: args.limit], full.train.labels[: args.limit]),
        Split(full.test.images[:1000], full.test.labels[:1000]),
        full.root,
    )
    # Augmentation alone: the shipped pen digits would add the same images to both runs.
    recipe = dataclasses.replace(RECOMMENDED[args.network], epochs=1, pen_digits=False)
    print(
        f"torch {torch.__version__}, {torch.get_num_threads()} threads; "
        f"{args.network}, batch {recipe.batch_size}, {len(data.train):,} images per epoch"
    )
    plain, augmented = [], []
    for _ in range(args.repeats):
        plain.append(epoch_seconds(dataclasses.replace(recipe, augment=False), data))
        augmented.append(epoch_seconds(dataclasses.replace(recipe, augment=True), data))
    p, a = min(plain), min(augmented)
    print(f"plain epoch     {p:7.2f} s   (runs: {', '.join(f'{x:.2f}' for x in plain)})")
    print(f"augmented epoch {a:7.2f} s   (runs: {', '.join(f'{x:.2f}' for x in augmented)})")
    print(f"augmented / plain: {a / p:.2f}x")

    batch = data.train.images[: recipe.batch_size]
    generator = torch.Generator().manual_seed(0)
    augment_batch(batch, generator=generator)
    start = time.perf_counter()
    n = 50
    for _ in range(n):
        augment_batch(batch, generator=generator)
    per_batch = (time.perf_counter() - start) / n
    steps = -(-len(data.train) // recipe.batch_size)
    print(
        f"augment_batch alone: {per_batch * 1000:.2f} ms per batch of {recipe.batch_size}, "
        f"{per_batch * steps / p:.1%} of a plain epoch's time"
    )


if __name__ == "__main__":
    main()
