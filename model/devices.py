"""Which device trains a recipe fastest: ``auto`` times a few steps on each, once per machine.

A GPU is not always faster: the tutorial's mlp at batch 32 is bound by the host
launching kernels, and an H200 ran it eagerly at half a laptop CPU's speed
(issue 11). No rule of thumb survives every GPU, CPU and recipe, so ``auto``
measures: on the first run of a recipe it trains a few batches on every
device with the loop the run would use (the captured CUDA graph included),
keeps the fastest, and caches the timings in the user data folder under this
machine and this recipe. A machine with one device measures nothing.
"""

from __future__ import annotations

import json
import os
import platform
import time
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from pathlib import Path

import torch

from model.config import TrainConfig
from model.data import Mnist, Split
from model.errors import ConfigError
from model.events import DataProgress
from model.files import atomic_writer
from model.messages import Message
from model.networks import build_network
from model.paths import user_dir
from model.schedule import schedule
from model.steps import Stepper, build_stepper

WARM_STEPS = 6  # enough to warm up and capture a CUDA graph (model.steps.WARMUP_STEPS + 1)
TIMED_STEPS = 20
CALIBRATION_BATCHES = 8  # the timed steps cycle over this many batches of real images

# ``stopwatch(device, run)`` returns seconds per step; ``run(n)`` trains n steps
# on that device and waits for them. Tests replace only this timing source.
Stopwatch = Callable[[str, Callable[[int], None]], float]


@dataclass(frozen=True)
class DeviceChoice:
    device: str
    reason: str  # one short line for the user


def available_devices() -> list[str]:
    """Devices this machine can train on, ``auto`` first."""
    devices = ["auto", "cpu"]
    if torch.cuda.is_available():
        devices.append("cuda")
    if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
        devices.append("mps")
    return devices


def check_device(name: str) -> None:
    """Raise ``ConfigError`` if ``name`` cannot train here (``auto`` always can)."""
    if name not in available_devices():
        raise ConfigError("device {name!r} is not available on this machine", name=name)


def time_steps(device: str, run: Callable[[int], None]) -> float:
    """Seconds per step on ``device``, warm: the real timing source."""
    run(WARM_STEPS)
    start = time.perf_counter()
    run(TIMED_STEPS)
    return (time.perf_counter() - start) / TIMED_STEPS


def cache_file() -> Path:
    return user_dir() / "device-timings.json"


def machine_key() -> str:
    """What makes timings from an earlier run valid here: host, torch, CPUs, GPUs."""
    gpus = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
    return " | ".join(
        [platform.node(), f"torch {torch.__version__}", f"{os.cpu_count()} CPUs", *gpus]
    )


def recipe_key(config: TrainConfig) -> str:
    """Step time depends on these (not on epochs, lr or seed) and on torch's thread count."""
    return (
        f"{config.network} batch {config.batch_size} {config.optimizer} {config.schedule} "
        f"{torch.get_num_threads()} threads"
    )


def _read_cache(path: Path) -> dict[str, dict[str, dict[str, float]]]:
    try:
        cache = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}  # none yet, or damaged: measure again
    return cache if isinstance(cache, dict) else {}


def _write_cache(path: Path, cache: dict[str, dict[str, dict[str, float]]]) -> None:
    try:
        with atomic_writer(path) as f:
            f.write(json.dumps(cache, indent=1, sort_keys=True).encode())
    except OSError:
        pass  # a read-only user folder: measure again next time, nothing worse


class _Calibration:
    """``run(n)``: n real training steps of ``config`` on ``device``, each on a real batch.

    Built on first use, so a stopwatch that never calls it (a device a test
    fakes) costs nothing. Reading the losses at the end waits for the device.
    """

    def __init__(self, config: TrainConfig, data: Split, device: str) -> None:
        self._config = config
        self._data = data
        self._device = device
        self._stepper: Stepper | None = None
        self._rows = 0
        self._step = 0

    def _build(self) -> Stepper:
        config, data = self._config, self._data
        torch.manual_seed(config.seed)
        self._rows = min(len(data), config.batch_size * CALIBRATION_BATCHES)
        subset = Split(data.images[: self._rows], data.labels[: self._rows])
        subset = subset.to(torch.device(self._device))
        network = build_network(config.network).to(self._device)
        total = WARM_STEPS + TIMED_STEPS
        stepper, _ = build_stepper(
            config, network, subset, schedule(config, total), report_every=total
        )
        return stepper

    def __call__(self, n: int) -> None:
        if self._stepper is None:
            self._stepper = self._build()
        bs = self._config.batch_size
        for i in range(self._step, self._step + n):
            start = (i * bs) % self._rows
            ids = torch.arange(start, min(start + bs, self._rows), device=self._device)
            self._stepper.step(ids, i)
        self._stepper.losses(n)
        self._step += n


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def choose_device(
    config: TrainConfig,
    data: Mnist,
    *,
    devices: Sequence[str] | None = None,
    stopwatch: Stopwatch = time_steps,
    cache: Path | None = None,
) -> Generator[DataProgress, None, DeviceChoice]:
    """The device for ``config``, and why; yields progress while it times the devices.

    An explicit device is taken as it is. ``auto`` with one device takes it;
    with several it uses timings cached for this machine and recipe, or
    measures each device (``stopwatch``) and caches the result.
    """
    if config.device != "auto":
        check_device(config.device)
        return DeviceChoice(config.device, Message("as set"))
    candidates = list(devices or [d for d in available_devices() if d != "auto"])
    if len(candidates) == 1:
        return DeviceChoice(candidates[0], Message("auto: the only device here"))
    path = cache or cache_file()
    timings = _read_cache(path)
    machine, recipe = machine_key(), recipe_key(config)
    seen = timings.get(machine, {}).get(recipe, {})
    when = Message("timed on an earlier run")
    if not all(isinstance(seen.get(d), float) for d in candidates):
        seen = {}
        for i, device in enumerate(candidates):
            yield DataProgress(
                Message("Timing a few batches on {device}", device=device), i, len(candidates)
            )
            seen[device] = float(stopwatch(device, _Calibration(config, data.train, device)))
        yield DataProgress("Timed the devices", len(candidates), len(candidates))
        timings.setdefault(machine, {})[recipe] = seen
        _write_cache(path, timings)
        when = Message("timed just now")
    best = min(candidates, key=lambda d: seen[d])
    others = ", ".join(f"{d} {_ms(seen[d])}" for d in candidates if d != best)
    reason = Message(
        "auto: fastest for this recipe, {time} a batch against {others} ({when})",
        time=_ms(seen[best]),
        others=others,
        when=when,
    )
    return DeviceChoice(best, reason)
