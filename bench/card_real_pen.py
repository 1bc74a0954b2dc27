"""Score a model on real pen digits and write the figures into its model card.

    .venv/bin/python bench/card_real_pen.py assets/models/cnn.pt [--data ../shared/data/unipen]
        [--collections aga ced ...] [--trained-on apb ...]

The same replay and drawing path as bench/real_handwriting.py (``model.pen_benchmark``),
at every drawing size, on the named collections (all of them by default). A model
trained on some collections must be scored on the others only: naming a collection
in both lists is refused. ``make models`` runs this after training the cnn, so the
card inside the .pt (and ``digitpad info``) carries the real-pen figures.
"""

from __future__ import annotations

import argparse
import sys

from model.checkpoints import update_card
from model.errors import DigitpadError
from model.pen_benchmark import SIZES, network_inputs, score
from model.pen_benchmark import select as select_collections
from model.pen_digits import load_pen_digits


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", metavar="MODEL")
    parser.add_argument("--data", default="../shared/data/unipen")
    parser.add_argument("--collections", nargs="+", metavar="CODE")
    parser.add_argument("--trained-on", nargs="*", metavar="CODE", default=[])
    args = parser.parse_args()
    try:
        from model.checkpoints import load_model

        network = load_model(args.model).network
        digits = load_pen_digits(args.data)
        known = {d.collection for d in digits}
        chosen = sorted(set(args.collections) if args.collections else known - set(args.trained_on))
        unknown = sorted((set(chosen) | set(args.trained_on)) - known)
        if unknown:
            raise DigitpadError(f"no collection {', '.join(unknown)}; known: {sorted(known)}")
        overlap = sorted(set(chosen) & set(args.trained_on))
        if overlap:
            raise DigitpadError(f"{', '.join(overlap)} was trained on: score other collections")
        digits = select_collections(digits, chosen)
        figures: dict[str, object] = {}
        for size, height in SIZES.items():
            figures[size] = round(
                score(network, digits, network_inputs(digits, height)).accuracy, 4
            )
            print(f"{size:>6} ({height} px): {figures[size]:.2%}", flush=True)
        figures.update(digits=len(digits), collections=chosen, trained_on=sorted(args.trained_on))
        update_card(args.model, real_pen=figures)
    except DigitpadError as exc:
        print(f"card_real_pen: {exc}", file=sys.stderr)
        return 2
    print(f"recorded in {args.model}: {len(digits)} digits from {' '.join(chosen)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
