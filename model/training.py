"""The training loop: a frozen config in, plain events out, stop/pause flags checked per batch.

``train`` is a generator, so the CLI, the tests (on the main thread) and the GUI
worker (in a QThread) all run exactly the same code::

    for event in train(TrainConfig(), out=path, stop=stop_event):
        ...

A busy loop never returns to an event loop, so stop and pause are
``threading.Event``s rather than slots, read once per batch.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Generator, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
from torch import nn

from model.activation import divergence, learned_too_little
from model.checkpoints import ModelCard, save_model
from model.config import TrainConfig
from model.data import Mnist, Split, iter_load_mnist
from model.devices import available_devices, check_device, choose_device
from model.errors import TrainingDiverged
from model.evaluation import Evaluation, evaluate
from model.events import (
    BatchProgress,
    EpochEnd,
    Event,
    Notice,
    Paused,
    Resumed,
    RunFinished,
    RunStarted,
    WeightsSnapshot,
)
from model.messages import Message
from model.networks import build_network
from model.pen_training import PEN_DATASET, iter_pen_split, with_pen_digits
from model.personalize import with_user_samples
from model.progress_steps import Stopped, until_stopped
from model.schedule import schedule
from model.steps import build_stepper


def resolve_device(name: str) -> torch.device:
    """``name`` as a torch device; ``auto`` without timing anything: a GPU if there is one.

    ``train`` itself times the devices for ``auto`` (``model.devices.choose_device``).
    """
    check_device(name)
    if name == "auto":
        name = next((d for d in ("cuda", "mps") if d in available_devices()), "cpu")
    return torch.device(name)


def _diverged(
    config: TrainConfig, epoch: int, first: int, last: int, bad: int, value: float
) -> TrainingDiverged:
    if first == last:
        span = Message("batch {batch}", batch=bad)
    else:
        span = Message(
            "batches {first} to {last} (first at batch {bad})", first=first, last=last, bad=bad
        )
    return TrainingDiverged(
        "the loss became {value} in epoch {epoch}, {span}: the learning rate "
        "({lr:g}) is probably too high; try {lower:g} or lower. Nothing was saved.",
        value=value,
        epoch=epoch,
        span=span,
        lr=config.lr,
        lower=min(config.lr / 10, 0.01),
    )


class _Clock:
    """Wall time that does not count pauses."""

    def __init__(self) -> None:
        self._start = time.perf_counter()
        self._paused_total = 0.0
        self._paused_at: float | None = None

    def pause(self) -> None:
        self._paused_at = time.perf_counter()

    def resume(self) -> None:
        if self._paused_at is not None:
            self._paused_total += time.perf_counter() - self._paused_at
            self._paused_at = None

    def elapsed(self) -> float:
        return time.perf_counter() - self._start - self._paused_total


def _snapshot(
    network: nn.Module, config: TrainConfig, epoch: int, batch: int, batches: int
) -> WeightsSnapshot:
    """The weights as they are now: CPU copies the loop never touches again."""
    args = tuple(sorted(dict(getattr(network, "args", {})).items()))
    weights = _cpu_copy(network)
    return WeightsSnapshot(config.network, args, epoch, config.epochs, batch, batches, weights)


def train(
    config: TrainConfig,
    *,
    data: Mnist | None = None,
    out: Path | str | None = None,
    stop: threading.Event | None = None,
    pause: threading.Event | None = None,
    spare_out: Path | str | None = None,
    fast_step: bool = True,
    snapshot_every: int = 0,
    pen: Split | None = None,
) -> Iterator[Event]:
    """Train ``config`` and yield events; the last one is always ``RunFinished``.

    ``data`` skips loading (tests and benchmarks pass it in). If ``out`` is given,
    a run that completes is saved there atomically; a stopped or diverged run
    saves nothing there, so a previous file at ``out`` stays as it was.
    ``spare_out`` is where such a run leaves what the user may still want (a
    stopped run's best finished epoch, a diverged run's result), outside the
    models folder: the GUI puts it in the library's trash and moves it out if
    asked (``RunFinished.spare_path``).
    ``fast_step=False`` runs the plain eager autograd step on every device (no CUDA
    graph, no hand-written mlp step): tests and bench/train_speed.py compare the two.
    ``snapshot_every=N`` also yields a ``WeightsSnapshot`` every N batches and
    at each epoch's end (the GUI's "Follow training"); 0 sends none.
    With ``config.pen_digits`` the shipped real pen digits join MNIST's training
    split; ``pen`` skips rendering them (tests pass a small set).
    Raises ``DigitpadError`` subclasses for bad data or a NaN/infinite loss.
    """
    stop = stop or threading.Event()
    pause = pause or threading.Event()
    check_device(config.device)  # before any slow work: fail fast
    if data is None:
        # Stop works while MNIST downloads or decodes too
        loading = iter_load_mnist(config.resolved_data_dir(), download=config.download)
        data = yield from until_stopped(loading, stop)
        if isinstance(data, Stopped):
            yield RunFinished(True, 0, 0.0, (), 0.0, None)
            return
    if config.include_samples:
        data = yield from with_user_samples(data, config.samples_dir)
    if config.pen_digits:
        if pen is None:  # and while the real pen digits render
            pen = yield from until_stopped(iter_pen_split(), stop)
            if isinstance(pen, Stopped):
                yield RunFinished(True, 0, 0.0, (), 0.0, None)
                return
        data = with_pen_digits(data, pen)
    choice = yield from until_stopped(choose_device(config, data), stop)
    if isinstance(choice, Stopped):
        yield RunFinished(True, 0, 0.0, (), 0.0, None)
        return
    device = torch.device(choice.device)
    yield from _run(
        config, data, device, choice.reason, out, stop, pause, spare_out, fast_step, snapshot_every
    )


def _run(
    config: TrainConfig,
    data: Mnist,
    device: torch.device,
    device_reason: str,
    out: Path | str | None,
    stop: threading.Event,
    pause: threading.Event,
    spare_out: Path | str | None,
    fast_step: bool,
    snapshot_every: int = 0,
) -> Generator[Event, None, None]:
    torch.manual_seed(config.seed)
    # Shuffled where the data is: no host round trip for the permutation.
    shuffle = torch.Generator(device=device).manual_seed(config.seed)
    network = build_network(config.network).to(device)
    train_set, test_set = data.train.to(device), data.test.to(device)
    n = len(train_set)
    bs = config.batch_size
    batches = math.ceil(n / bs)
    total_steps = batches * config.epochs
    report_every = config.report_every
    stepper, notice = build_stepper(
        config,
        network,
        train_set,
        schedule(config, total_steps),
        report_every=report_every,
        fast=fast_step,
    )
    yield RunStarted(
        config.network,
        device.type,
        config.epochs,
        batches,
        n,
        len(test_set),
        device_reason=device_reason,
        step=stepper.description,
    )
    if notice:
        yield Notice(notice)

    clock = _Clock()
    step = 0
    accuracy = 0.0
    epochs_completed = 0
    first_loss: float | None = None  # the first reported batches' mean: divergence's yardstick
    best: _Best | None = None  # the best finished epoch, kept only when spare_out wants it
    spare = _Spare(config, n, len(test_set), spare_out)
    for epoch in range(1, config.epochs + 1):
        network.train()
        epoch_start = clock.elapsed()
        epoch_loss_sum = 0.0
        in_chunk = 0
        perm = torch.randperm(n, generator=shuffle, device=device)
        for batch in range(1, batches + 1):
            if pause.is_set() and not stop.is_set():
                clock.pause()
                yield Paused(step)
                while pause.is_set() and not stop.is_set():
                    stop.wait(0.05)
                clock.resume()
                yield Resumed(step)
            if stop.is_set():
                spare_path = spare.save(best)
                yield RunFinished(
                    True, epochs_completed, accuracy, (), clock.elapsed(), None, "", spare_path
                )
                return
            stepper.step(perm[(batch - 1) * bs : batch * bs], step)
            in_chunk += 1
            step += 1
            if in_chunk == report_every or batch == batches:
                # Losses stay on the device until here: one sync per report, not per batch.
                losses = tuple(stepper.losses(in_chunk))
                first = batch - in_chunk + 1
                in_chunk = 0
                for i, value in enumerate(losses):
                    if not math.isfinite(value):
                        raise _diverged(config, epoch, first, batch, first + i, value)
                if (notice := stepper.take_notice()) is not None:
                    yield Notice(notice)
                epoch_loss_sum += sum(losses)
                if first_loss is None:
                    first_loss = epoch_loss_sum / len(losses)
                elapsed = clock.elapsed()
                seen = min(batch * bs, n)
                rate = seen / max(elapsed - epoch_start, 1e-9)
                yield BatchProgress(
                    epoch=epoch,
                    batch=batch,
                    batches_per_epoch=batches,
                    step=step,
                    total_steps=total_steps,
                    losses=losses,
                    samples_per_second=rate,
                    elapsed_seconds=elapsed,
                    eta_seconds=elapsed / step * (total_steps - step),
                )
            if snapshot_every and batch % snapshot_every == 0 and batch != batches:
                yield _snapshot(network, config, epoch, batch, batches)
        final = evaluate(network, test_set)
        accuracy = final.accuracy
        epochs_completed = epoch
        elapsed = clock.elapsed()
        if spare_out is not None and (best is None or accuracy > best.evaluation.accuracy):
            best = _Best(epoch, final, _cpu_copy(network), elapsed)
        yield EpochEnd(
            epoch=epoch,
            epochs=config.epochs,
            train_loss=epoch_loss_sum / batches,
            test_accuracy=accuracy,
            epoch_seconds=elapsed - epoch_start,
            samples_per_second=n / max(elapsed - epoch_start, 1e-9),
            elapsed_seconds=elapsed,
        )
        if snapshot_every:
            yield _snapshot(network, config, epoch, batches, batches)

    train_seconds = clock.elapsed()
    if stop.is_set():  # Stop during the last evaluation: nothing is saved at out
        spare_path = spare.save(best)
        yield RunFinished(True, epochs_completed, accuracy, (), train_seconds, None, "", spare_path)
        return
    last_loss = epoch_loss_sum / batches
    diverged = divergence(final.accuracy, first_loss, last_loss)
    path = spare_path = None
    if diverged:
        spare_path = spare.save(_Best(epochs_completed, final, _cpu_copy(network), train_seconds))
    elif out is not None:
        card = spare.card(final, train_seconds, config.epochs)
        path = str(save_model(out, network.cpu(), card))
    yield RunFinished(
        stopped=False,
        epochs_completed=epochs_completed,
        test_accuracy=final.accuracy,
        per_class_accuracy=final.per_class_accuracy,
        train_seconds=train_seconds,
        model_path=path,
        diverged=diverged,
        spare_path=spare_path,
        too_little=bool(diverged) and learned_too_little(final.accuracy, first_loss, last_loss),
    )


@dataclass(frozen=True)
class _Best:
    """A finished epoch worth keeping: its number, its evaluation, its weights on the CPU."""

    epoch: int
    evaluation: Evaluation
    state_dict: dict[str, torch.Tensor]
    seconds: float


def _cpu_copy(network: nn.Module) -> dict[str, torch.Tensor]:
    return {k: v.detach().to("cpu", copy=True) for k, v in network.state_dict().items()}


@dataclass(frozen=True)
class _Spare:
    """Saves what a run that is not kept leaves behind (see ``train``'s ``spare_out``)."""

    config: TrainConfig
    train_size: int
    test_size: int
    out: Path | str | None

    def card(self, evaluation: Evaluation, seconds: float, epochs: int) -> ModelCard:
        recipe = asdict(self.config)
        if epochs != self.config.epochs:
            recipe["epochs_trained"] = epochs  # a stopped run kept at its best epoch
        return ModelCard.for_run(
            network=self.config.network,
            hyperparameters=recipe,
            train_size=self.train_size,
            test_size=self.test_size,
            evaluation=evaluation,
            train_seconds=seconds,
            dataset=PEN_DATASET if self.config.pen_digits else "MNIST",
        )

    def save(self, best: _Best | None) -> str | None:
        if self.out is None or best is None:
            return None
        network = build_network(self.config.network)
        network.load_state_dict(best.state_dict)
        card = self.card(best.evaluation, best.seconds, best.epoch)
        return str(save_model(self.out, network, card))
