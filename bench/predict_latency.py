"""Canvas-to-probabilities latency (strokes -> input -> verdict -> network), p50 and p99.

    .venv/bin/python bench/predict_latency.py [--n 500] [--threads N]

The input is what the Draw tab hands over: the canvas's strokes, here real pen
digits (tests/data/unipen) replayed as the canvas records them when drawn at a
normal size (``model.pen_benchmark.replay``). Each goes through
``model.strokes.strokes_to_steps``, ``model.verdict.not_a_digit`` and the
network, as ``DrawTab._run_prediction`` does. The baseline in the same run is
the network alone on the already-prepared input, so the ratio shows what
rendering the strokes costs on top. Target: p50 <= 3 ms with the shipped cnn.

Then the cnn as a personalized model reads them (``model.stroke_match``: each
drawing also compared with the user's remembered drawings), with 100, 1,000 and
2,000 remembered drawings (the most a model keeps: 200 of each digit), real pen
digits of the nine held-out collections (``assets/pen_digits``).
The baseline in the same run is the cnn without a memory.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import torch

from model.checkpoints import load_model
from model.paths import shipped_models_dir
from model.pen_benchmark import SIZES, replay
from model.pen_digits import load_pen_digits
from model.prediction import predict_probabilities
from model.strokes import strokes_to_steps
from model.verdict import not_a_digit

TEST_DATA = Path(__file__).parents[1] / "tests" / "data"


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


def interleaved(items: list, first, second) -> tuple[list[float], list[float]]:
    """Milliseconds of ``first(item)`` and of ``second(item)``, one after the other per item,
    so that both see the same machine load."""
    times: tuple[list[float], list[float]] = ([], [])
    for item in items:
        for run, out in zip((first, second), times, strict=True):
            start = time.perf_counter()
            run(item)
            out.append((time.perf_counter() - start) * 1000)
    return times


def canvas_to_probabilities(network: torch.nn.Module, strokes) -> object:
    steps = strokes_to_steps(strokes)
    if not_a_digit(strokes, steps.placed) is not None:
        return None
    return predict_probabilities(network, steps.normalized)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--threads", type=int, help="torch intra-op threads (default: torch's)")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    digits = load_pen_digits(TEST_DATA / "unipen")
    drawings = [replay(digits[i % len(digits)].strokes, SIZES["normal"]) for i in range(args.n)]
    points = statistics.median(sum(len(s) for s in d) for d in drawings)
    print(
        f"torch {torch.__version__}, {torch.get_num_threads()} threads, {args.n} drawings "
        f"of real pen digits {SIZES['normal']} px tall (median {points:.0f} points)"
    )
    render = []
    for strokes in drawings:
        start = time.perf_counter()
        strokes_to_steps(strokes)
        not_a_digit(strokes, None)
        render.append((time.perf_counter() - start) * 1000)
    r50, r99 = percentiles(render)
    print(f"strokes -> 28x28 + verdict: p50 {r50:.2f} ms, p99 {r99:.2f} ms")
    for name in ("mlp", "cnn"):
        network = load_model(shipped_models_dir() / f"{name}.pt").network
        ready = [strokes_to_steps(d).normalized for d in drawings]
        predict_probabilities(network, ready[0])  # warm-up
        full, alone = interleaved(
            list(zip(drawings, ready, strict=True)),
            lambda pair, net=network: canvas_to_probabilities(net, pair[0]),
            lambda pair, net=network: predict_probabilities(net, pair[1]),
        )
        p50, p99 = percentiles(full)
        b50, b99 = percentiles(alone)
        print(
            f"{name}: canvas -> probabilities p50 {p50:.2f} ms, p99 {p99:.2f} ms "
            f"(target p50 <= 3 ms); network alone p50 {b50:.2f} ms, p99 {b99:.2f} ms; "
            f"ratio p50 {p50 / b50:.1f}"
        )

    personalized(drawings)


def personalized(drawings: list) -> None:
    import numpy as np

    from model.paths import shipped_held_out_pen_digits
    from model.stroke_match import StrokeMemory, read_drawing, trace

    network = load_model(shipped_models_dir() / "cnn.pt").network
    pool = load_pen_digits(shipped_held_out_pen_digits())
    traces = [(trace(replay(d.strokes, SIZES["normal"])), d.label) for d in pool]
    traces = [(t, label) for t, label in traces if t is not None]
    for size in (100, 1000, 2000):  # 2,000: the most a model keeps (200 of each digit)
        picked = traces[:size]
        memory = StrokeMemory(
            np.stack([t for t, _ in picked]), np.array([label for _, label in picked])
        )

        def remembering(strokes, memory=memory) -> object:
            probs = canvas_to_probabilities(network, strokes)
            return None if probs is None else read_drawing(probs, strokes, memory)

        without, with_memory = interleaved(
            drawings[:200], lambda strokes: canvas_to_probabilities(network, strokes), remembering
        )
        p50, p99 = percentiles(with_memory)
        b50, _ = percentiles(without)
        print(
            f"cnn remembering {size:,} drawings: canvas -> probabilities p50 {p50:.2f} ms, "
            f"p99 {p99:.2f} ms; without a memory p50 {b50:.2f} ms; ratio p50 {p50 / b50:.1f}"
        )


if __name__ == "__main__":
    main()
