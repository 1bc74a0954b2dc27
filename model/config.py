"""The training recipe as a frozen dataclass, validated on construction.

Torch-free, so the GUI's form can build and check one before torch is loaded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from model.errors import ConfigError
from model.messages import Message
from model.paths import default_data_dir

NETWORK_NAMES = ("mlp", "cnn")  # model.networks registers exactly these
OPTIMIZERS = ("sgd", "adam")
SCHEDULES = ("constant", "onecycle")
DEVICES = ("auto", "cpu", "cuda", "mps")


@dataclass(frozen=True)
class TrainConfig:
    """One training recipe. The defaults are the classic PyTorch tutorial's."""

    network: str = "mlp"
    epochs: int = 10
    batch_size: int = 32
    optimizer: str = "sgd"
    lr: float = 0.01
    momentum: float = 0.9
    schedule: str = "constant"
    augment: bool = False  # distort each batch (model/augment.py) so pen digits read better
    pen_digits: bool = False  # train on the shipped real pen digits too (model/pen_training.py)
    seed: int = 0
    device: str = "auto"
    data_dir: str | None = None  # None: DIGITPAD_DATA or the user data folder
    download: bool = True
    # Train on the user's own samples (model.samples) too, added to MNIST's training set.
    include_samples: bool = False
    samples_dir: str | None = None  # None: DIGITPAD_SAMPLES or the user samples folder
    report_every: int = 25  # batches between BatchProgress events

    def __post_init__(self) -> None:
        checks = [
            (
                self.network in NETWORK_NAMES,
                Message("unknown network {network!r}", network=self.network),
            ),
            (
                1 <= self.epochs <= 1000,
                Message("epochs must be 1..1000, not {epochs}", epochs=self.epochs),
            ),
            (
                1 <= self.batch_size <= 65536,
                Message("batch size must be 1..65536, not {size}", size=self.batch_size),
            ),
            (
                self.optimizer in OPTIMIZERS,
                Message(
                    "optimizer must be sgd or adam, not {optimizer!r}", optimizer=self.optimizer
                ),
            ),
            (
                math.isfinite(self.lr) and self.lr > 0,
                Message("learning rate must be > 0, not {lr}", lr=self.lr),
            ),
            (
                0 <= self.momentum < 1,
                Message("momentum must be in [0, 1), not {momentum}", momentum=self.momentum),
            ),
            (
                self.schedule in SCHEDULES,
                Message(
                    "schedule must be constant or onecycle, not {schedule!r}",
                    schedule=self.schedule,
                ),
            ),
            (
                self.device in DEVICES,
                Message(
                    "device must be one of {devices}, not {device!r}",
                    devices=", ".join(DEVICES),
                    device=self.device,
                ),
            ),
            (0 <= self.seed < 2**63, Message("seed must be 0..2^63-1, not {seed}", seed=self.seed)),
            (self.report_every >= 1, Message("report_every must be >= 1")),
        ]
        for ok, message in checks:
            if not ok:
                raise ConfigError(message)

    def resolved_data_dir(self) -> Path:
        return Path(self.data_dir).expanduser() if self.data_dir else default_data_dir()


RECOMMENDED: dict[str, TrainConfig] = {
    # The classic PyTorch tutorial's recipe.
    "mlp": TrainConfig(),
    # The shipped cnn's recipe (each of its two members; Makefile ``models``): augmented
    # batches and the shipped real pen digits next to MNIST, 6 epochs. Chosen on the
    # real-pen benchmark (assets/models/cnn.md).
    "cnn": TrainConfig(
        network="cnn",
        epochs=6,
        batch_size=128,
        optimizer="adam",
        lr=0.005,
        schedule="onecycle",
        augment=True,
        pen_digits=True,
    ),
}
