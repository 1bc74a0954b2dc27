"""The steppers the loop drives: the hand-written mlp step against autograd, the capture plan,
and the captured CUDA graph against the eager loop where CUDA exists."""

from __future__ import annotations

import threading

import pytest
import torch

from model.config import TrainConfig
from model.events import BatchProgress, Notice, Paused, RunFinished, RunStarted
from model.networks import build_network
from model.schedule import schedule
from model.steps import AutogradStep, FusedMlpStep, build_stepper, capture_plan
from model.training import train


def _run_steps(config: TrainConfig, data, *, fused: bool, steps: int) -> tuple[list[float], dict]:
    torch.manual_seed(0)
    network = build_network("mlp")
    total = steps
    stepper, _ = build_stepper(
        config, network, data.train, schedule(config, total), report_every=steps, fast=fused
    )
    perm = torch.randperm(len(data.train), generator=torch.Generator().manual_seed(1))
    bs = config.batch_size
    for i in range(steps):
        stepper.step(perm[i * bs : (i + 1) * bs], i)
    return stepper.losses(steps), network.state_dict()


@pytest.mark.parametrize(
    "config",
    [TrainConfig(), TrainConfig(batch_size=7, lr=0.05, momentum=0.5, schedule="onecycle")],
    ids=["tutorial", "onecycle-odd-batch"],
)
def test_hand_written_mlp_step_matches_autograd_and_sgd(config: TrainConfig, mnist_small) -> None:
    fused_losses, fused = _run_steps(config, mnist_small, fused=True, steps=40)
    plain_losses, plain = _run_steps(config, mnist_small, fused=False, steps=40)
    assert fused_losses == pytest.approx(plain_losses, rel=1e-4, abs=1e-5)
    for name in plain:
        torch.testing.assert_close(fused[name], plain[name], rtol=1e-4, atol=1e-5)


def test_cpu_mlp_with_sgd_uses_the_hand_written_step(mnist_small) -> None:
    network = build_network("mlp")
    stepper, notice = build_stepper(TrainConfig(), network, mnist_small.train, None, report_every=5)
    assert isinstance(stepper, FusedMlpStep) and notice is None
    for config in (TrainConfig(optimizer="adam"), TrainConfig(network="cnn")):
        network = build_network(config.network)
        stepper, notice = build_stepper(config, network, mnist_small.train, None, report_every=5)
        assert isinstance(stepper, AutogradStep) and stepper.description == "eager"


def test_partial_last_batch_is_trained_too(mnist_small) -> None:
    """4,000 images in batches of 384: ten full batches and one of 160 per epoch."""
    for config in (
        TrainConfig(epochs=1, batch_size=384, lr=0.1),
        TrainConfig(epochs=1, batch_size=384, optimizer="adam", lr=0.002),
    ):
        events = list(train(config, data=mnist_small))
        losses = [x for e in events if isinstance(e, BatchProgress) for x in e.losses]
        assert len(losses) == 11
        assert isinstance(events[-1], RunFinished) and events[-1].test_accuracy > 0.5


def test_capture_plan_says_why_not_once() -> None:
    cuda = torch.device("cuda")
    assert capture_plan(TrainConfig(), cuda) == (True, None)
    assert capture_plan(
        TrainConfig(network="cnn", optimizer="adam", schedule="onecycle"), cuda
    ) == (True, None)
    ok, why = capture_plan(TrainConfig(schedule="onecycle"), cuda)
    assert not ok and why is not None and "momentum" in why
    assert capture_plan(TrainConfig(schedule="onecycle"), torch.device("cpu")) == (False, None)


def test_run_reports_its_step_and_device_reason(mnist_small) -> None:
    events = list(train(TrainConfig(epochs=1, device="cpu"), data=mnist_small))
    started = next(e for e in events if isinstance(e, RunStarted))
    assert started.step == "hand-written mlp step"
    assert started.device_reason  # "cpu" chosen by the user
    assert not any(isinstance(e, Notice) for e in events)


needs_cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")


@needs_cuda
@pytest.mark.parametrize(
    "config",
    [
        TrainConfig(epochs=2, device="cuda"),
        TrainConfig(
            network="cnn",
            epochs=1,
            batch_size=64,
            optimizer="adam",
            lr=0.005,
            schedule="onecycle",
            device="cuda",
        ),
    ],
    ids=["mlp-sgd", "cnn-adam-onecycle"],
)
def test_captured_step_learns_like_the_eager_loop(config: TrainConfig, mnist_small) -> None:
    runs = {}
    for capture in (True, False):
        events = list(train(config, data=mnist_small, fast_step=capture))
        started = next(e for e in events if isinstance(e, RunStarted))
        losses = [x for e in events if isinstance(e, BatchProgress) for x in e.losses]
        runs[capture] = (started.step, losses, events[-1].test_accuracy)
        assert not any(isinstance(e, Notice) for e in events)
    assert runs[True][0] == "captured CUDA graph" and runs[False][0] == "eager"
    assert len(runs[True][1]) == len(runs[False][1])
    # The same math in another kernel order: close, not bit-identical.
    assert runs[True][1][:3] == pytest.approx(runs[False][1][:3], rel=1e-3)
    assert abs(runs[True][2] - runs[False][2]) < 0.02


@needs_cuda
def test_sgd_with_one_cycle_on_cuda_falls_back_to_eager_and_says_so_once(mnist_small) -> None:
    events = list(
        train(TrainConfig(epochs=1, device="cuda", schedule="onecycle"), data=mnist_small)
    )
    notices = [e for e in events if isinstance(e, Notice)]
    assert len(notices) == 1 and "eager" in notices[0].message
    assert events[-1].test_accuracy > 0.8


@needs_cuda
def test_pause_and_stop_work_between_replays(mnist_small) -> None:
    """A paused captured run trains as an uninterrupted one; Stop ends it."""
    config = TrainConfig(epochs=2, device="cuda")
    plain = list(train(config, data=mnist_small))
    pause, stop = threading.Event(), threading.Event()
    events = []
    for event in train(config, data=mnist_small, pause=pause):
        events.append(event)
        if isinstance(event, BatchProgress) and event.step == 150:
            pause.set()
            threading.Timer(0.2, pause.clear).start()
    assert any(isinstance(e, Paused) for e in events)
    losses = [x for e in events if isinstance(e, BatchProgress) for x in e.losses]
    expected = [x for e in plain if isinstance(e, BatchProgress) for x in e.losses]
    assert losses == pytest.approx(expected, rel=1e-5)
    events = []
    for event in train(config, data=mnist_small, stop=stop):
        events.append(event)
        if isinstance(event, BatchProgress) and event.step >= 50:
            stop.set()
    assert isinstance(events[-1], RunFinished) and events[-1].stopped
