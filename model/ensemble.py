"""Trained cnn files -> one ``cnn-ensemble`` model file that averages their probabilities.

How the shipped default model is made (``make models``): the same recipe trained
with two seeds, then combined here and evaluated on MNIST's test set as one
network::

    python -m model.ensemble a.pt b.pt --out assets/models/cnn.pt [--data DIR]

Its card keeps the members' recipe, lists their seeds and adds their training
times. Exit codes as ``digitpad``'s: 0, or 2 with one line for bad input.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from model.checkpoints import LoadedModel, ModelCard, load_model, save_model
from model.errors import ConfigError, DigitpadError
from model.networks import Ensemble


def combine(members: Sequence[LoadedModel]) -> Ensemble:
    """One network holding copies of ``members``' weights (cnns of the same shape)."""
    if len(members) < 2:
        raise ConfigError("an ensemble needs at least two models")
    shapes = set()
    for m in members:
        if m.network_name != "cnn":
            raise ConfigError(
                "{path} is a {network}, not a cnn", path=m.path, network=m.network_name
            )
        shapes.add(tuple(sorted(m.network.args.items())))
    if len(shapes) != 1:
        raise ConfigError("the models are cnns of different sizes")
    args = dict(members[0].network.args)
    ensemble = Ensemble(len(members), **args)
    for slot, m in zip(ensemble.members, members, strict=True):
        slot.load_state_dict(m.network.state_dict())
    ensemble.eval()
    return ensemble


def ensemble_card(members: Sequence[LoadedModel], evaluation_card: ModelCard) -> ModelCard:
    """The first member's card with the ensemble's own test figures, seeds and total time."""
    first = members[0].card
    recipe = dict(first.hyperparameters)
    recipe["seed"] = [m.card.hyperparameters.get("seed") for m in members]
    recipe["members"] = len(members)
    return replace(
        first,
        network="cnn-ensemble",
        hyperparameters=recipe,
        test_accuracy=evaluation_card.test_accuracy,
        per_class_accuracy=evaluation_card.per_class_accuracy,
        test_size=evaluation_card.test_size,
        train_seconds=round(sum(m.card.train_seconds for m in members), 2),
        display_name="",
        real_pen={},
    )


def build(paths: Sequence[Path | str], out: Path | str, data: Path | str) -> ModelCard:
    """Combine the model files at ``paths``, evaluate on MNIST's test set in ``data``, save."""
    from model.data import load_test_split
    from model.evaluation import evaluate

    members = [load_model(p) for p in paths]
    network = combine(members)
    test = load_test_split(data)
    result = evaluate(network, test)
    figures = ModelCard(
        network="cnn-ensemble",
        test_accuracy=result.accuracy,
        per_class_accuracy=result.per_class_accuracy,
        test_size=len(test),
    )
    card = ensemble_card(members, figures)
    save_model(out, network, card)
    return card


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m model.ensemble", description=__doc__)
    parser.add_argument("models", nargs="+", metavar="MODEL")
    parser.add_argument("--out", required=True, metavar="FILE")
    parser.add_argument("--data", default=None, metavar="DIR", help="folder holding MNIST/raw")
    args = parser.parse_args(argv)
    from model.paths import default_data_dir

    try:
        card = build(args.models, args.out, args.data or default_data_dir())
    except DigitpadError as exc:
        print(f"digitpad: error: {exc}", file=sys.stderr)
        return 2
    print(f"saved {args.out} ({card.accuracy_text()}, {len(args.models)} members)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
