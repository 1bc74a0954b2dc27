"""Canvas-to-probabilities latency (preprocess + predict), p50 and p99, per shipped model.

    .venv/bin/python bench/predict_latency.py [--n 500]

The input is what the Draw tab hands over: a 280x280 float image of a real
MNIST test digit scaled up to canvas size. The baseline in the same run is the
network alone on an already-preprocessed image, so the ratio shows what the
MNIST-style preprocessing costs on top.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from model.checkpoints import load_model
from model.data import load_mnist
from model.normalization import MEAN, STD
from model.paths import shipped_models_dir
from model.prediction import predict_probabilities
from model.preprocess import normalize, to_mnist

TEST_DATA = Path(__file__).parents[1] / "tests" / "data"


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500)
    args = parser.parse_args()
    test = load_mnist(TEST_DATA, download=False).test
    canvases = []
    for i in range(args.n):
        pixels = (test.images[i % len(test)].numpy() * STD + MEAN).clip(0, 1)
        big = Image.fromarray(pixels.astype(np.float32), mode="F").resize(
            (280, 280), Image.Resampling.BILINEAR
        )
        canvases.append(np.asarray(big, dtype=np.float32))
    print(
        f"torch {torch.__version__}, {torch.get_num_threads()} threads, {args.n} canvases of 280x280"
    )
    for name in ("mlp", "cnn"):
        network = load_model(shipped_models_dir() / f"{name}.pt").network
        ready = [normalize(to_mnist(c, "light_on_dark")) for c in canvases]
        predict_probabilities(network, ready[0])  # warm-up
        full, alone = [], []
        for canvas, x in zip(canvases, ready, strict=True):
            start = time.perf_counter()
            predict_probabilities(network, normalize(to_mnist(canvas, "light_on_dark")))
            full.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            predict_probabilities(network, x)
            alone.append((time.perf_counter() - start) * 1000)
        p50, p99 = percentiles(full)
        b50, b99 = percentiles(alone)
        print(
            f"{name}: preprocess+predict p50 {p50:.2f} ms, p99 {p99:.2f} ms (target p50 <= 5 ms); "
            f"predict alone p50 {b50:.2f} ms, p99 {b99:.2f} ms; ratio p50 {p50 / b50:.1f}"
        )


if __name__ == "__main__":
    main()
