"""``auto`` picks the faster device for the recipe; only the timing source is faked here.

The fake stopwatch still trains real steps on every device this machine has
(the CPU); for a device it lacks it returns the scripted time without running.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import torch

from model.config import TrainConfig
from model.devices import available_devices, cache_file, choose_device, recipe_key
from model.errors import ConfigError
from model.events import DataProgress


class FakeStopwatch:
    """Seconds per step from a script; real steps where the device exists."""

    def __init__(self, seconds: dict[str, float]) -> None:
        self.seconds = seconds
        self.timed: list[str] = []

    def __call__(self, device: str, run: Callable[[int], None]) -> float:
        self.timed.append(device)
        if device in available_devices():
            run(2)
        return self.seconds[device]


def _choose(config: TrainConfig, data, **kwargs):
    steps = choose_device(config, data, **kwargs)
    events = []
    while True:
        try:
            events.append(next(steps))
        except StopIteration as done:
            return done.value, events


def test_auto_measures_once_then_uses_the_cached_timings(mnist_small) -> None:
    watch = FakeStopwatch({"cuda": 0.004, "cpu": 0.001})
    config = TrainConfig()
    choice, events = _choose(config, mnist_small, devices=("cuda", "cpu"), stopwatch=watch)
    assert choice.device == "cpu"
    assert "1.00 ms a batch against cuda 4.00 ms" in choice.reason
    assert "just now" in choice.reason
    assert watch.timed == ["cuda", "cpu"]
    assert all(isinstance(e, DataProgress) for e in events) and events
    cached = json.loads(cache_file().read_text())
    assert any(recipe_key(config) in recipes for recipes in cached.values())

    again, events = _choose(config, mnist_small, devices=("cuda", "cpu"), stopwatch=watch)
    assert again.device == "cpu" and "earlier run" in again.reason
    assert watch.timed == ["cuda", "cpu"] and events == []


def test_auto_picks_the_gpu_when_it_is_faster_for_that_recipe(mnist_small) -> None:
    cnn = TrainConfig(network="cnn", batch_size=128, optimizer="adam", schedule="onecycle")
    watch = FakeStopwatch({"cuda": 0.002, "cpu": 0.030})
    choice, _ = _choose(cnn, mnist_small, devices=("cpu", "cuda"), stopwatch=watch)
    assert choice.device == "cuda"
    # Another recipe is another measurement.
    choice, _ = _choose(
        TrainConfig(),
        mnist_small,
        devices=("cpu", "cuda"),
        stopwatch=FakeStopwatch({"cuda": 0.01, "cpu": 0.001}),
    )
    assert choice.device == "cpu"


def test_a_damaged_cache_is_measured_again(mnist_small) -> None:
    cache_file().parent.mkdir(parents=True, exist_ok=True)
    cache_file().write_text("{not json")
    watch = FakeStopwatch({"cuda": 0.004, "cpu": 0.001})
    choice, _ = _choose(TrainConfig(), mnist_small, devices=("cuda", "cpu"), stopwatch=watch)
    assert choice.device == "cpu" and watch.timed == ["cuda", "cpu"]


def test_one_device_measures_nothing_and_an_explicit_device_is_kept(
    mnist_small, tmp_path: Path
) -> None:
    watch = FakeStopwatch({})
    choice, events = _choose(TrainConfig(), mnist_small, devices=("cpu",), stopwatch=watch)
    assert choice.device == "cpu" and "only device" in choice.reason
    choice, _ = _choose(TrainConfig(device="cpu"), mnist_small, stopwatch=watch)
    assert choice.device == "cpu" and choice.reason == "as set"
    assert watch.timed == [] and events == []
    assert not cache_file().exists()


def test_unavailable_explicit_device_is_a_config_error(mnist_small) -> None:
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    with pytest.raises(ConfigError, match="not available"):
        _choose(TrainConfig(device="cuda"), mnist_small)


def test_the_real_stopwatch_times_real_steps(mnist_small) -> None:
    from model.devices import _Calibration, time_steps

    seconds = time_steps("cpu", _Calibration(TrainConfig(), mnist_small.train, "cpu"))
    assert seconds > 0
