"""Runs that must not become a model by themselves: diverged and stopped runs, and their spares."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from model.checkpoints import load_model
from model.cli import main
from model.config import TrainConfig
from model.data import Mnist, Split
from model.events import EpochEnd, RunFinished
from model.training import train


@pytest.fixture(scope="module")
def mnist_tiny(mnist_small) -> Mnist:
    """1,000 training images: enough to learn, quick on a busy machine."""
    t = mnist_small.train
    return Mnist(Split(t.images[:1000], t.labels[:1000]), mnist_small.test, mnist_small.root)


def test_adam_at_a_huge_learning_rate_is_diverged_and_saves_nothing(
    mnist_tiny: Mnist, tmp_path: Path
) -> None:
    out = tmp_path / "good.pt"
    out.write_bytes(b"good model")
    spare = tmp_path / "spare.pt"
    config = TrainConfig(epochs=1, optimizer="adam", lr=1e6)
    finished = list(train(config, data=mnist_tiny, out=out, spare_out=spare))[-1]
    assert isinstance(finished, RunFinished) and not finished.stopped
    assert finished.diverged and finished.model_path is None
    assert out.read_bytes() == b"good model"
    assert finished.spare_path == str(spare)  # the user may still ask to keep it
    assert load_model(spare).card.test_accuracy == finished.test_accuracy


def test_stopped_run_leaves_its_best_finished_epoch(mnist_tiny: Mnist, tmp_path: Path) -> None:
    spare = tmp_path / "spare.pt"
    stop = threading.Event()
    epochs: list[EpochEnd] = []
    for event in train(TrainConfig(epochs=6), data=mnist_tiny, stop=stop, spare_out=spare):
        if isinstance(event, EpochEnd):
            epochs.append(event)
            if len(epochs) == 3:
                stop.set()
        finished = event
    assert finished.stopped and finished.model_path is None
    card = load_model(finished.spare_path).card
    best = max(epochs, key=lambda e: e.test_accuracy)
    assert card.test_accuracy == best.test_accuracy
    assert card.hyperparameters["epochs_trained"] == best.epoch
    assert card.hyperparameters["epochs"] == 6


def test_stop_before_any_epoch_leaves_no_spare(mnist_tiny: Mnist, tmp_path: Path) -> None:
    stop = threading.Event()
    stop.set()
    finished = list(train(TrainConfig(epochs=2), data=mnist_tiny, stop=stop, spare_out=tmp_path))[
        -1
    ]
    assert finished.stopped and finished.spare_path is None


def test_card_describes_the_model_not_the_machine(mnist_tiny: Mnist, tmp_path: Path) -> None:
    config = TrainConfig(
        epochs=1, optimizer="adam", lr=0.002, data_dir=str(tmp_path / "secret" / "data")
    )
    list(train(config, data=mnist_tiny, out=tmp_path / "m.pt"))
    card = load_model(tmp_path / "m.pt").card
    assert "momentum" not in card.hyperparameters  # adam has none
    assert not {"data", "data_dir", "report_every", "download"} & set(card.hyperparameters)
    text = card.markdown("m")
    assert "secret" not in text and str(tmp_path) not in text


def test_cli_diverged_run_exits_1_and_keeps_the_old_file(
    test_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "good.pt"
    out.write_bytes(b"good model")
    args = ["train", "--optimizer", "adam", "--lr", "1e6", "--epochs", "1", "--batch-size", "500"]
    code = main([*args, "--data", str(test_data), "--out", str(out), "--json"])
    assert code == 1
    err = capsys.readouterr().err
    assert "diverged" in err and "left as it was" in err
    assert out.read_bytes() == b"good model"


def test_cli_run_that_learned_too_little_says_so_and_keeps_the_old_file(
    test_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """About 40 % after one slow epoch, its loss falling: advice to train longer, not 'diverged'."""
    out = tmp_path / "good.pt"
    out.write_bytes(b"good model")
    args = ["train", "--lr", "0.002", "--epochs", "1", "--batch-size", "100"]
    code = main([*args, "--data", str(test_data), "--out", str(out), "--json"])
    assert code == 1
    err = capsys.readouterr().err
    assert "the run did not learn enough: its test accuracy is" in err, err
    assert "diverged" not in err and "more epochs" in err and "left as it was" in err
    assert out.read_bytes() == b"good model"


def test_usage_error_names_the_help_once(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bogus"]) == 2
    err = capsys.readouterr().err
    assert "(see digitpad --help)" in err and "digitpad digitpad" not in err
    assert main(["train", "--epochs", "0"]) == 2
    assert "(see digitpad train --help)" in capsys.readouterr().err
