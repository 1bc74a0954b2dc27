"""The steppers the loop drives: the hand-written mlp step against autograd, the capture plan,
augmented batches (drawn, then distorted), and the captured CUDA graph against the eager loop
where CUDA exists."""

from __future__ import annotations

import copy
import math
import threading

import pytest
import torch
from torch import nn

import model.steps
from model.augment import augment_batch, distort
from model.config import TrainConfig
from model.data import Split
from model.events import BatchProgress, Notice, Paused, RunFinished, RunStarted
from model.networks import build_network
from model.schedule import schedule
from model.steps import WARMUP_STEPS, AutogradStep, FusedMlpStep, build_stepper, capture_plan
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


def test_eager_augmented_steps_draw_fresh_uniforms_and_distort_each_batch(mnist_small) -> None:
    """The eager path (every device without a capture) runs ``draw`` then ``distort``: the
    same batches as ``augment_batch`` on the run's distortion stream, a new one every step,
    the last partial batch included."""
    config = TrainConfig(batch_size=50, lr=0.05, augment=True, seed=3)
    data = Split(mnist_small.train.images[:230], mnist_small.train.labels[:230])
    ids = [torch.arange(0, 50), torch.arange(0, 50), torch.arange(50, 100), torch.arange(200, 230)]
    torch.manual_seed(0)
    network = build_network("mlp")
    reference = copy.deepcopy(network)
    stepper = AutogradStep(config, network, data, None, report_every=len(ids), capture=False)
    seen = []
    for i, rows in enumerate(ids[:2]):
        stepper.step(rows, i)
        assert torch.equal(stepper.batch.images, data.images[rows])  # the rows, undistorted
        uniforms = stepper.batch.uniforms
        assert uniforms is not None
        torch.testing.assert_close(stepper.batch.x, distort(data.images[rows], uniforms))
        seen.append(stepper.batch.x.clone())
    assert not torch.allclose(seen[0], seen[1])  # the same rows, distorted anew
    for i, rows in enumerate(ids[2:], start=2):
        stepper.step(rows, i)
    losses = stepper.losses(len(ids))

    distortions = torch.Generator().manual_seed(config.seed + 1)  # the run's own stream
    optimizer = torch.optim.SGD(reference.parameters(), lr=config.lr, momentum=config.momentum)
    expected = []
    for rows in ids:
        x = augment_batch(data.images[rows], generator=distortions)
        loss = nn.functional.cross_entropy(reference(x), data.labels[rows])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        expected.append(loss.item())
    assert losses == pytest.approx(expected, rel=1e-6)


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


AUGMENTED_CNN = TrainConfig(
    network="cnn",
    batch_size=64,
    optimizer="adam",
    lr=0.005,
    schedule="onecycle",
    augment=True,
    device="cuda",
)


def _augmented_cnn_losses(
    mnist_small, *, capture: bool, steps: int
) -> tuple[list[float], AutogradStep]:
    """``steps`` steps of the augmented cnn recipe from one seed; the last batch is partial."""
    data = mnist_small.train.to("cuda")
    torch.manual_seed(0)
    network = build_network("cnn").to("cuda")
    config = AUGMENTED_CNN
    stepper = AutogradStep(
        config,
        network,
        data,
        schedule(config, steps),
        report_every=steps,
        capture=capture,
    )
    perm = torch.randperm(len(data), generator=torch.Generator().manual_seed(1)).to("cuda")
    bs = config.batch_size
    for i in range(steps):
        stepper.step(perm[i * bs : (i + 1) * bs], i)
    return stepper.losses(steps), stepper


@needs_cuda
def test_each_replay_distorts_its_batch_afresh_inside_the_graph(mnist_small) -> None:
    """The graph holds the distortion: each replay reads the new uniforms drawn before it."""
    data = mnist_small.train.to("cuda")
    torch.manual_seed(0)
    network = build_network("cnn").to("cuda")
    stepper = AutogradStep(AUGMENTED_CNN, network, data, None, report_every=20, capture=True)
    rows = torch.arange(64, device="cuda")
    for i in range(WARMUP_STEPS + 1):  # warm-up steps, then the capture
        stepper.step(rows, i)
    assert stepper.description == "captured CUDA graph" and stepper.augmentation_captured
    batch = stepper.batch
    assert batch.uniforms is not None
    replays = []
    for i in range(2):
        stepper.step(rows, WARMUP_STEPS + 1 + i)
        assert torch.equal(batch.images, data.images[rows])
        # What the graph wrote is the distortion of these rows by this step's uniforms.
        torch.testing.assert_close(batch.x, distort(batch.images, batch.uniforms))
        replays.append((batch.x.clone(), batch.uniforms.clone()))
    (first, first_uniforms), (second, second_uniforms) = replays
    assert not torch.equal(first_uniforms, second_uniforms)
    assert (first - second).abs().flatten(1).amax(1).min() > 0.1  # every image differs
    losses = stepper.losses(WARMUP_STEPS + 3)
    assert all(math.isfinite(x) for x in losses)
    assert stepper.take_notice() is None


@needs_cuda
def test_captured_augmented_training_follows_the_eager_loss_trajectory(mnist_small) -> None:
    """The same seed, the same uniforms drawn in the same order: the captured run (distortion
    in the graph) and the eager one train alike, through the warm-up, the capture, the replays
    and the eager partial batch at the end."""
    steps = 63  # 4,000 images in batches of 64: 62 full, then one of 32
    captured, stepper = _augmented_cnn_losses(mnist_small, capture=True, steps=steps)
    eager, _ = _augmented_cnn_losses(mnist_small, capture=False, steps=steps)
    assert stepper.augmentation_captured
    assert len(captured) == len(eager) == steps
    # The same math in another kernel order: close, not bit-identical.
    assert captured[:12] == pytest.approx(eager[:12], rel=1e-3)
    assert captured == pytest.approx(eager, rel=2e-2, abs=1e-3)
    assert sum(captured[-10:]) < 0.5 * sum(captured[:10])  # it learns


@needs_cuda
@pytest.mark.parametrize(
    "refused",
    [(), ("distortion",), ("distortion", "step")],
    ids=["all-captured", "distortion-refused", "both-refused"],
)
def test_capture_tries_distortion_and_step_then_the_step_alone_then_eager(
    refused: tuple[str, ...], mnist_small, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where CUDA refuses to capture the distortion, the step alone is captured (the
    distortion eager before each replay, as before issue 11); where it refuses the step
    too, the run goes on eagerly and says so once."""
    calls: list[tuple[str, bool]] = []  # (part, inside a capture), in the order they ran

    def run(part: str) -> None:
        capturing = torch.cuda.is_current_stream_capturing()
        calls.append((part, capturing))
        if capturing and part in refused:
            torch.cuda.synchronize()  # not allowed while capturing: CUDA refuses the capture

    real_distort = model.steps.distort

    def distort_watched(*args, **kwargs) -> torch.Tensor:
        run("distortion")
        return real_distort(*args, **kwargs)

    class Watched(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.inner = build_network("cnn")

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            run("step")
            return self.inner(x)

    monkeypatch.setattr(model.steps, "distort", distort_watched)
    data = mnist_small.train.to("cuda")
    torch.manual_seed(0)
    stepper = AutogradStep(
        AUGMENTED_CNN, Watched().to("cuda"), data, None, report_every=8, capture=True
    )
    replays = 3
    for i in range(WARMUP_STEPS + 1 + replays):
        stepper.step(torch.arange(i * 64, (i + 1) * 64, device="cuda"), i)
    losses = stepper.losses(WARMUP_STEPS + 1 + replays)
    assert all(math.isfinite(x) for x in losses)

    warm_up = [("distortion", False), ("step", False)] * WARMUP_STEPS
    d, s = ("distortion", True), ("step", True)  # inside a capture
    eager_d, eager_s = ("distortion", False), ("step", False)
    if not refused:
        expected = [d, s]  # one graph, then replays run no Python
    elif refused == ("distortion",):
        expected = [d, eager_d, s] + [eager_d] * replays
    else:
        expected = [d, eager_d, s, eager_s] + [eager_d, eager_s] * replays
    assert calls == warm_up + expected
    captured = refused != ("distortion", "step")
    assert stepper.description == ("captured CUDA graph" if captured else "eager")
    assert stepper.augmentation_captured == (not refused)
    notice = stepper.take_notice()
    if captured:
        assert notice is None
    else:
        assert notice is not None and "eager" in notice
        assert stepper.take_notice() is None  # said once
