"""The training generator, run on the main thread with real data (the GUI runs the same code)."""

from __future__ import annotations

import math
import re
import threading
from pathlib import Path

import pytest
import torch

from model.checkpoints import load_model
from model.config import TrainConfig
from model.errors import ConfigError, TrainingDiverged
from model.events import (
    BatchProgress,
    DataProgress,
    EpochEnd,
    Paused,
    Resumed,
    RunFinished,
    RunStarted,
)
from model.training import train


def test_short_run_learns_and_reports_every_batch(mnist_small, tmp_path: Path) -> None:
    out = tmp_path / "m.pt"
    # Pinned to the CPU: on a machine with a GPU, "auto" first times a few batches.
    events = list(train(TrainConfig(epochs=3, device="cpu"), data=mnist_small, out=out))
    assert isinstance(events[0], RunStarted)
    assert events[0].batches_per_epoch == 125  # 4000 / 32
    finished = events[-1]
    assert isinstance(finished, RunFinished) and not finished.stopped
    assert finished.test_accuracy >= 0.85  # chance is 0.10
    assert finished.model_path == str(out) and out.is_file()
    epochs = [e for e in events if isinstance(e, EpochEnd)]
    assert [e.epoch for e in epochs] == [1, 2, 3]
    assert epochs[-1].train_loss < epochs[0].train_loss
    batches = [e for e in events if isinstance(e, BatchProgress)]
    assert sum(len(b.losses) for b in batches) == 3 * 125  # one loss per batch, for the chart
    assert batches[-1].step == batches[-1].total_steps == 375
    assert all(b.samples_per_second > 0 for b in batches)
    # Events are plain data: nothing in them is a tensor.
    for event in events:
        for value in vars(event).values():
            assert not isinstance(value, torch.Tensor)


def test_cnn_trains_too(mnist_small) -> None:
    config = TrainConfig(
        network="cnn", epochs=1, batch_size=64, optimizer="adam", lr=0.005, schedule="onecycle"
    )
    finished = list(train(config, data=mnist_small))[-1]
    assert finished.test_accuracy >= 0.85


def _weights(path: Path) -> dict[str, torch.Tensor]:
    return load_model(path).network.state_dict()


def test_same_seed_same_result_other_seed_differs(mnist_small, tmp_path: Path) -> None:
    runs = {}
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        out = tmp_path / f"{name}.pt"
        events = list(train(TrainConfig(epochs=1, seed=seed), data=mnist_small, out=out))
        runs[name] = (
            [loss for e in events if isinstance(e, BatchProgress) for loss in e.losses],
            _weights(out),
        )
    assert runs["a"][0] == runs["b"][0]
    assert all(torch.equal(runs["a"][1][k], runs["b"][1][k]) for k in runs["a"][1])
    assert runs["a"][0] != runs["c"][0]


def test_stop_mid_run_saves_nothing_and_keeps_the_old_file(mnist_small, tmp_path: Path) -> None:
    out = tmp_path / "m.pt"
    out.write_bytes(b"previous model")
    stop = threading.Event()
    events = []
    for event in train(TrainConfig(epochs=5), data=mnist_small, out=out, stop=stop):
        events.append(event)
        if isinstance(event, BatchProgress) and event.epoch == 2:
            stop.set()
    finished = events[-1]
    assert isinstance(finished, RunFinished)
    assert finished.stopped and finished.model_path is None
    assert finished.epochs_completed == 1
    assert out.read_bytes() == b"previous model"
    assert not any(isinstance(e, EpochEnd) and e.epoch == 2 for e in events)


def test_pause_waits_and_resume_keeps_optimizer_state(mnist_small, tmp_path: Path) -> None:
    """A paused-then-resumed run ends bit-identical to an uninterrupted one."""
    plain = tmp_path / "plain.pt"
    list(train(TrainConfig(epochs=2, seed=3), data=mnist_small, out=plain))

    paused_out = tmp_path / "paused.pt"
    pause = threading.Event()
    seen: list[type] = []
    timer = None
    for event in train(
        TrainConfig(epochs=2, seed=3), data=mnist_small, out=paused_out, pause=pause
    ):
        seen.append(type(event))
        if isinstance(event, BatchProgress) and event.step == 150:
            pause.set()
            timer = threading.Timer(0.3, pause.clear)
            timer.start()
        if isinstance(event, Paused):
            assert pause.is_set()  # the loop yields Paused, then waits for the flag
    timer.join()
    assert seen.count(Paused) == 1 and seen.count(Resumed) == 1
    assert seen.index(Paused) < seen.index(Resumed)
    a, b = _weights(plain), _weights(paused_out)
    assert all(torch.equal(a[k], b[k]) for k in a)


def test_stop_while_paused_ends_the_run(mnist_small) -> None:
    pause, stop = threading.Event(), threading.Event()
    timer = threading.Timer(0.2, stop.set)
    events = []
    for event in train(TrainConfig(epochs=2), data=mnist_small, stop=stop, pause=pause):
        events.append(event)
        if isinstance(event, BatchProgress) and not pause.is_set():
            pause.set()
            timer.start()
    timer.join()
    assert isinstance(events[-1], RunFinished) and events[-1].stopped


def test_nan_loss_stops_with_a_clear_error_and_saves_nothing(mnist_small, tmp_path: Path) -> None:
    out = tmp_path / "good.pt"
    out.write_bytes(b"good model")
    with pytest.raises(TrainingDiverged, match=r"learning rate \(1e\+06\) is probably too high"):
        for _ in train(TrainConfig(epochs=2, lr=1e6), data=mnist_small, out=out):
            pass
    assert out.read_bytes() == b"good model"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("epochs", 0),
        ("batch_size", 0),
        ("lr", -0.1),
        ("lr", float("nan")),
        ("momentum", 1.0),
        ("optimizer", "rmsprop"),
        ("network", "vgg"),
        ("device", "tpu"),
        ("schedule", "cosine"),
    ],
)
def test_bad_settings_are_config_errors(field: str, value: object) -> None:
    with pytest.raises(ConfigError):
        TrainConfig(**{field: value})


def test_unavailable_device_fails_before_loading_data(tmp_path: Path) -> None:
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    with pytest.raises(ConfigError, match="'cuda' is not available"):
        next(train(TrainConfig(device="cuda", data_dir=str(tmp_path))))


def test_stop_while_loading_data_ends_before_training(test_data: Path) -> None:
    stop = threading.Event()
    events = []
    for event in train(TrainConfig(data_dir=str(test_data)), stop=stop):
        events.append(event)
        stop.set()  # at the first DataProgress
    assert isinstance(events[0], DataProgress)
    assert isinstance(events[-1], RunFinished) and events[-1].stopped
    assert not any(isinstance(e, RunStarted) for e in events)


def test_stop_after_the_last_batch_still_saves_nothing(mnist_small, tmp_path: Path) -> None:
    """Stop pressed while the last epoch is evaluated: the run ends as stopped."""
    out = tmp_path / "m.pt"
    stop = threading.Event()
    events = []
    for event in train(TrainConfig(epochs=1), data=mnist_small, out=out, stop=stop):
        events.append(event)
        if isinstance(event, EpochEnd):
            stop.set()
    assert isinstance(events[-1], RunFinished) and events[-1].stopped
    assert events[-1].epochs_completed == 1 and not out.exists()


def test_nan_is_caught_on_the_report_cadence_naming_the_span(mnist_small) -> None:
    """Losses are read every ``report_every`` batches; the error names that span and the batch."""
    seen = []
    with pytest.raises(TrainingDiverged) as info:
        for event in train(TrainConfig(epochs=1, lr=1e6, report_every=10), data=mnist_small):
            seen.append(event)
    found = re.search(r"epoch 1, batches (\d+) to (\d+) \(first at batch (\d+)\)", str(info.value))
    assert found, str(info.value)
    first, last, bad = map(int, found.groups())
    assert last - first == 9 and last % 10 == 0 and first <= bad <= last
    reported = [e for e in seen if isinstance(e, BatchProgress)]
    assert all(math.isfinite(x) for b in reported for x in b.losses)
    assert (reported[-1].batch if reported else 0) == first - 1
