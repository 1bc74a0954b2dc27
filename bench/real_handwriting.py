"""Accuracy on real pen-drawn digits through the drawing path, against the previous model.

    .venv/bin/python bench/real_handwriting.py [--model PATH_OR_NAME ...]
        [--data ../shared/data/unipen] [--collections gmd uqb ...] [--sizes small normal large]
        [--old-path]

Every digit of UNIPEN 1a (7,816, 12 collections; see ../shared/data/unipen/README.md)
is replayed as the canvas would record it when drawn small (a quarter of the
normal height), normal (about 65 % of the 510 px canvas) and large, then goes
through ``model.strokes`` exactly like a drawing (``model.pen_benchmark``).
The baseline in the same run is ``bench/baseline/cnn.pt``, the cnn shipped
before real-pen work began. A model is a file path, ``cnn``/``mlp`` (the shipped
ones) or ``baseline``. Figures for a model trained on some of these collections
must use ``--collections`` to name only the others.

``--old-path`` adds the baseline model read through the drawing path used
before ``model.strokes`` existed: the on-screen pen (a fixed share of the
canvas) rasterised by the real ``gui.canvas.Canvas.to_array`` at 280 px, then
``model.preprocess.to_mnist``. It needs Qt (offscreen) and shows what
re-rendering the strokes relative to the digit changed.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import torch

from model.checkpoints import LoadedModel, load_model
from model.errors import DigitpadError
from model.paths import shipped_models_dir
from model.pen_benchmark import (
    SIZES,
    Drawings,
    PenScore,
    draw_all,
    probabilities,
    score_predictions,
)
from model.pen_benchmark import select as select_collections
from model.pen_digits import load_pen_digits

BASELINE = Path(__file__).parent / "baseline" / "cnn.pt"


def resolve(name: str) -> Path:
    if name == "baseline":
        return BASELINE
    if name in ("cnn", "mlp"):
        return shipped_models_dir() / f"{name}.pt"
    return Path(name)


def old_path_inputs(digits, height_px: float):
    """The network inputs the Draw tab made before strokes were re-rendered (Qt, offscreen)."""
    import os

    import numpy as np

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from gui.canvas import Canvas
    from model.pen_benchmark import replay
    from model.preprocess import normalize, to_mnist

    app = QApplication.instance() or QApplication([])
    canvas = Canvas()
    out = np.empty((len(digits), 28, 28), dtype=np.float32)
    for i, digit in enumerate(digits):
        canvas.set_strokes(replay(digit.strokes, height_px))
        out[i] = normalize(to_mnist(canvas.to_array(280), polarity="light_on_dark"))
    del app
    return out


def percent(x: float) -> str:
    return f"{x * 100:6.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", action="append", metavar="PATH_OR_NAME", default=None)
    parser.add_argument("--data", default="../shared/data/unipen")
    parser.add_argument("--collections", nargs="+", metavar="CODE")
    parser.add_argument("--sizes", nargs="+", choices=list(SIZES), default=list(SIZES))
    parser.add_argument(
        "--old-path", action="store_true", help="also the previous drawing path (needs Qt)"
    )
    args = parser.parse_args()
    names = ["baseline"] + [m for m in (args.model or ["cnn"]) if m != "baseline"]
    try:
        digits = load_pen_digits(args.data)
        known = {d.collection for d in digits}
        unknown = sorted(set(args.collections or ()) - known)
        if unknown:
            raise DigitpadError(f"no collection {', '.join(unknown)}; known: {sorted(known)}")
        digits = select_collections(digits, args.collections)
        models: dict[str, LoadedModel] = {n: load_model(resolve(n)) for n in names}
    except DigitpadError as exc:
        print(f"real_handwriting: {exc}", file=sys.stderr)
        return 2

    chosen = sorted({d.collection for d in digits})
    print(
        f"torch {torch.__version__}, {torch.get_num_threads()} threads; "
        f"{len(digits)} digits from {len(chosen)} collections ({' '.join(chosen)})"
    )
    print(
        "sizes (digit height on the 510 px canvas): "
        + ", ".join(f"{s} {SIZES[s]} px" for s in args.sizes)
    )
    scores: dict[tuple[str, str], PenScore] = {}
    render_ms: dict[str, float] = {}
    drawn: dict[str, Drawings] = {}
    network_ms: dict[str, float] = {}
    for size in args.sizes:
        start = time.perf_counter()
        drawn[size] = draw_all(digits, SIZES[size])
        inputs = drawn[size].inputs
        render_ms[size] = (time.perf_counter() - start) * 1000 / len(digits)
        for name, loaded in models.items():
            probabilities(loaded.network, inputs[:10])  # warm-up
            start = time.perf_counter()
            probs = probabilities(loaded.network, inputs)
            network_ms[name] = (time.perf_counter() - start) * 1000 / len(digits)
            scores[name, size] = score_predictions(digits, probs.argmax(axis=1))

    width = max(12, *(len(n) for n in names))
    head = "".join(f"{n:>{width}}" for n in names)
    print("\naccuracy by drawing size (%)")
    print(f"{'size':<12}{head}")
    for size in args.sizes:
        print(
            f"{size:<12}" + "".join(f"{percent(scores[n, size].accuracy):>{width}}" for n in names)
        )

    if args.old_path:
        old = "baseline, on-screen pen"
        for size in args.sizes:
            inputs = old_path_inputs(digits, SIZES[size])
            probs = probabilities(models["baseline"].network, inputs)
            scores[old, size] = score_predictions(digits, probs.argmax(axis=1))
        print(f"\n{old} (the path before model.strokes), by drawing size (%)")
        for size in args.sizes:
            print(f"{size:<12}{percent(scores[old, size].accuracy):>{width}}")

    main_size = "normal" if "normal" in args.sizes else args.sizes[0]
    print(f"\nper digit, {main_size} size (%)")
    print(f"{'digit':<12}{head}")
    for d in range(10):
        row = "".join(f"{percent(scores[n, main_size].per_digit[d]):>{width}}" for n in names)
        print(f"{d:<12}{row}")

    print(f"\nper collection, {main_size} size (%)")
    print(f"{'collection':<12}{head}{'digits':>8}")
    first = scores[names[0], main_size]
    for i, (code, _, count) in enumerate(first.per_collection):
        row = "".join(
            f"{percent(scores[n, main_size].per_collection[i][1]):>{width}}" for n in names
        )
        print(f"{code:<12}{row}{count:>8}")

    for name in names:
        for size in args.sizes:
            pairs = scores[name, size].top_confusions(10)
            text = ", ".join(f"{t}->{p} {n}" for t, p, n in pairs) or "none"
            print(f"\ntop confusions, {name}, {size}: {text}")

    print("\nreal digits called 'not a digit' (model.verdict; the same for every model)")
    for size in args.sizes:
        reasons = Counter(r for r in drawn[size].rejected if r is not None)
        detail = "; ".join(f"{r}: {n}" for r, n in reasons.most_common()) or "none"
        print(f"  {size}: {drawn[size].rejection_rate * 100:.2f} % ({detail})")

    print("\ntime per digit")
    for size in args.sizes:
        print(f"  replay + strokes -> 28x28 + verdict ({size}): {render_ms[size]:.3f} ms")
    for name in names:
        print(f"  network {name} (batches of 1000): {network_ms[name]:.3f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
