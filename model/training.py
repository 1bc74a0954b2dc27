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
from dataclasses import asdict
from pathlib import Path

import torch
from torch import nn

from model.augment import augment_batch
from model.checkpoints import ModelCard, save_model
from model.config import TrainConfig
from model.data import Mnist, iter_load_mnist
from model.errors import ConfigError, TrainingDiverged
from model.evaluation import evaluate
from model.events import (
    BatchProgress,
    EpochEnd,
    Event,
    Paused,
    Resumed,
    RunFinished,
    RunStarted,
)
from model.networks import build_network


def available_devices() -> list[str]:
    """Devices this machine can train on, ``auto`` first."""
    devices = ["auto", "cpu"]
    if torch.cuda.is_available():
        devices.append("cuda")
    if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
        devices.append("mps")
    return devices


def resolve_device(name: str) -> torch.device:
    if name == "auto":
        name = next((d for d in ("cuda", "mps") if d in available_devices()), "cpu")
    if name not in available_devices():
        raise ConfigError(f"device {name!r} is not available on this machine")
    return torch.device(name)


def _optimizer(config: TrainConfig, network: nn.Module) -> torch.optim.Optimizer:
    if config.optimizer == "adam":
        return torch.optim.Adam(network.parameters(), lr=config.lr)
    return torch.optim.SGD(network.parameters(), lr=config.lr, momentum=config.momentum)


def _diverged(config: TrainConfig, epoch: int, batch: int, value: float) -> TrainingDiverged:
    return TrainingDiverged(
        f"the loss became {value} at epoch {epoch}, batch {batch}: the learning rate "
        f"({config.lr:g}) is probably too high; try {min(config.lr / 10, 0.01):g} or lower. "
        "Nothing was saved."
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


def train(
    config: TrainConfig,
    *,
    data: Mnist | None = None,
    out: Path | str | None = None,
    stop: threading.Event | None = None,
    pause: threading.Event | None = None,
) -> Iterator[Event]:
    """Train ``config`` and yield events; the last one is always ``RunFinished``.

    ``data`` skips loading (tests and benchmarks pass it in). If ``out`` is given,
    a run that completes is saved there atomically; a stopped or diverged run
    saves nothing, so a previous file at ``out`` stays as it was.
    Raises ``DigitpadError`` subclasses for bad data or a diverging loss.
    """
    stop = stop or threading.Event()
    pause = pause or threading.Event()
    device = resolve_device(config.device)  # before any slow work: fail fast
    if data is None:
        loading = iter_load_mnist(config.resolved_data_dir(), download=config.download)
        while data is None:
            try:
                yield next(loading)
            except StopIteration as done:
                data = done.value
            if stop.is_set():  # Stop works while MNIST downloads or decodes too
                loading.close()
                yield RunFinished(True, 0, 0.0, (), 0.0, None)
                return
    yield from _run(config, data, device, out, stop, pause)


def _run(
    config: TrainConfig,
    data: Mnist,
    device: torch.device,
    out: Path | str | None,
    stop: threading.Event,
    pause: threading.Event,
) -> Generator[Event, None, None]:
    torch.manual_seed(config.seed)
    shuffle = torch.Generator().manual_seed(config.seed)
    # Its own stream, so turning augmentation on does not change the batches' order.
    distort = torch.Generator().manual_seed(config.seed + 1) if config.augment else None
    network = build_network(config.network).to(device)
    optimizer = _optimizer(config, network)
    train_set, test_set = data.train.to(device), data.test.to(device)
    n = len(train_set)
    bs = config.batch_size
    batches = math.ceil(n / bs)
    total_steps = batches * config.epochs
    scheduler = (
        torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=config.lr, total_steps=total_steps)
        if config.schedule == "onecycle"
        else None
    )
    loss_fn = nn.CrossEntropyLoss()
    yield RunStarted(config.network, device.type, config.epochs, batches, n, len(test_set))

    clock = _Clock()
    step = 0
    accuracy = 0.0
    epochs_completed = 0
    # Losses stay on the device until a report: one sync per chunk, not per batch.
    chunk = torch.zeros(config.report_every, device=device)
    for epoch in range(1, config.epochs + 1):
        network.train()
        epoch_start = clock.elapsed()
        epoch_loss_sum = 0.0
        in_chunk = 0
        perm = torch.randperm(n, generator=shuffle).to(device)
        for batch in range(1, batches + 1):
            if pause.is_set() and not stop.is_set():
                clock.pause()
                yield Paused(step)
                while pause.is_set() and not stop.is_set():
                    stop.wait(0.05)
                clock.resume()
                yield Resumed(step)
            if stop.is_set():
                yield RunFinished(True, epochs_completed, accuracy, (), clock.elapsed(), None)
                return
            idx = perm[(batch - 1) * bs : batch * bs]
            images = train_set.images[idx]
            if distort is not None:
                images = augment_batch(images, generator=distort)
            loss = loss_fn(network(images), train_set.labels[idx])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            if scheduler is not None:
                scheduler.step()
            chunk[in_chunk] = loss.detach()
            in_chunk += 1
            step += 1
            if in_chunk == config.report_every or batch == batches:
                losses = tuple(chunk[:in_chunk].tolist())  # the sync point
                in_chunk = 0
                bad = next((x for x in losses if not math.isfinite(x)), None)
                if bad is not None:
                    raise _diverged(config, epoch, batch, bad)
                epoch_loss_sum += sum(losses)
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
        final = evaluate(network, test_set)
        accuracy = final.accuracy
        epochs_completed = epoch
        elapsed = clock.elapsed()
        yield EpochEnd(
            epoch=epoch,
            epochs=config.epochs,
            train_loss=epoch_loss_sum / batches,
            test_accuracy=accuracy,
            epoch_seconds=elapsed - epoch_start,
            samples_per_second=n / max(elapsed - epoch_start, 1e-9),
            elapsed_seconds=elapsed,
        )

    train_seconds = clock.elapsed()
    if stop.is_set():  # Stop during the last evaluation: still nothing is saved
        yield RunFinished(True, epochs_completed, accuracy, (), train_seconds, None)
        return
    path = None
    if out is not None:
        card = ModelCard.for_run(
            network=config.network,
            hyperparameters=asdict(config),
            train_size=n,
            test_size=len(test_set),
            evaluation=final,
            train_seconds=train_seconds,
            data_root=str(data.root),
        )
        path = str(save_model(out, network.cpu(), card))
    yield RunFinished(
        stopped=False,
        epochs_completed=epochs_completed,
        test_accuracy=final.accuracy,
        per_class_accuracy=final.per_class_accuracy,
        train_seconds=train_seconds,
        model_path=path,
    )
