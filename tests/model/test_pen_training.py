"""Real pen digits as training data: the shipped subset, its rendering, and a run that uses it."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
import torch

from model.checkpoints import load_model
from model.config import TrainConfig
from model.data import Split
from model.events import DataProgress, RunFinished, RunStarted
from model.normalization import MEAN, STD
from model.pen_digits import load_pen_digits
from model.pen_training import (
    COPIES,
    HELD_OUT_COLLECTIONS,
    TRAIN_COLLECTIONS,
    iter_pen_split,
    shipped_pen_digits,
    with_pen_digits,
    write_subset,
)
from model.training import train


@pytest.fixture(scope="module")
def pen_small(test_data: Path) -> Split:
    steps = iter_pen_split(test_data / "unipen")
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value


def test_shipped_subset_holds_exactly_the_training_collections() -> None:
    digits = load_pen_digits(shipped_pen_digits())
    assert len(digits) == 3776
    assert {d.collection for d in digits} == set(TRAIN_COLLECTIONS)
    assert {d.label for d in digits} == set(range(10))
    readme = (shipped_pen_digits().parent / "README.md").read_text()
    assert "CC BY 4.0" in readme and "Unipen" in readme


def test_the_held_out_collections_ship_apart_for_evaluate(test_data: Path) -> None:
    from model.eval_sets import default_pen_data_dir
    from model.paths import shipped_held_out_pen_digits

    digits = load_pen_digits(shipped_held_out_pen_digits())
    assert len(digits) == 4040  # the figure every shipped card's real-pen section gives
    assert {d.collection for d in digits} == set(HELD_OUT_COLLECTIONS)
    assert set(HELD_OUT_COLLECTIONS).isdisjoint(TRAIN_COLLECTIONS)
    known = {d.collection for d in load_pen_digits(test_data / "unipen")}
    assert known <= set(HELD_OUT_COLLECTIONS) | set(TRAIN_COLLECTIONS)
    assert default_pen_data_dir() is not None  # beside the checkout, or else the shipped file


def test_pen_digits_render_like_drawings(test_data: Path, pen_small: Split) -> None:
    events = list(_events(iter_pen_split(test_data / "unipen")))
    assert all(isinstance(e, DataProgress) for e in events)
    assert events[-1].done == events[-1].total == 500
    assert pen_small.images.shape == (500, 28, 28) and pen_small.images.dtype == torch.float32
    ink = pen_small.images * STD + MEAN
    assert ink.min() >= -1e-5 and ink.max() <= 1 + 1e-5
    assert (ink.flatten(1).amax(1) > 0.9).all()  # every digit has ink
    labels = [d.label for d in load_pen_digits(test_data / "unipen")]
    assert pen_small.labels.tolist() == labels


def _events(generator):
    while True:
        try:
            yield next(generator)
        except StopIteration:
            return


def test_with_pen_digits_appends_copies_to_training_only(mnist_small, pen_small: Split) -> None:
    mixed = with_pen_digits(mnist_small, pen_small)
    assert len(mixed.train) == len(mnist_small.train) + COPIES * len(pen_small)
    assert torch.equal(mixed.train.images[: len(mnist_small.train)], mnist_small.train.images)
    assert torch.equal(mixed.train.labels[-len(pen_small) :], pen_small.labels)
    assert mixed.test is mnist_small.test


def test_write_subset_is_reproducible(test_data: Path, tmp_path: Path) -> None:
    a, b = tmp_path / "a.json.gz", tmp_path / "b.json.gz"
    count = write_subset(test_data / "unipen", a, ("gmd", "uqb"))
    assert write_subset(test_data / "unipen", b, ("gmd", "uqb")) == count > 0
    assert a.read_bytes() == b.read_bytes()
    with gzip.open(a, "rt") as f:
        assert {r["writer"].split("/")[0] for r in json.load(f)} == {"gmd", "uqb"}


def test_a_run_with_pen_digits_trains_on_both(
    mnist_small, pen_small: Split, tmp_path: Path
) -> None:
    config = TrainConfig(epochs=1, batch_size=64, lr=0.05, pen_digits=True)
    out = tmp_path / "pen.pt"
    events = list(train(config, data=mnist_small, pen=pen_small, out=out))
    started = next(e for e in events if isinstance(e, RunStarted))
    assert started.train_size == len(mnist_small.train) + COPIES * len(pen_small)
    finished = events[-1]
    assert isinstance(finished, RunFinished) and finished.test_accuracy >= 0.8
    card = load_model(out).card
    assert card.dataset.startswith("MNIST + real pen digits")
    assert card.hyperparameters["pen_digits"] is True


def test_stop_while_the_pen_digits_render_ends_the_run_at_once(mnist_small) -> None:
    import threading

    stop = threading.Event()
    stop.set()
    events = list(train(TrainConfig(pen_digits=True), data=mnist_small, stop=stop))
    assert isinstance(events[0], DataProgress) and events[0].message.startswith("Rendering")
    assert isinstance(events[-1], RunFinished) and events[-1].stopped
    assert not any(isinstance(e, RunStarted) for e in events)
