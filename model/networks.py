"""The networks digitpad can train, built by name so a model file can rebuild its own.

``mlp`` is exactly the classic PyTorch tutorial's ``Net``; ``cnn`` is a small
convolutional net chosen for accuracy per CPU second (see bench/cnn.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from model.errors import ConfigError
from model.messages import Message


class Net(nn.Module):
    """The tutorial's MLP: 784 -> 128 -> 64 -> 10 with ReLUs."""

    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(28 * 28, 128)
        self.fc2 = nn.Linear(128, 64)
        self.fc3 = nn.Linear(64, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.flatten(x, 1)
        x = torch.relu(self.fc1(x))
        x = torch.relu(self.fc2(x))
        return self.fc3(x)


class ConvNet(nn.Module):
    """Two conv blocks with batch norm, then one hidden layer.

    16/32 channels: 32/64 doubled the CPU time per epoch for no gain within a
    60 s budget. Batch norm lets Adam with a one-cycle schedule use lr 5e-3, so
    four epochs reach about 99.3 % (bench/cnn.py); most of the cost is the
    second convolution at 14x14.
    """

    def __init__(self, channels: int = 16, hidden: int = 128) -> None:
        super().__init__()
        self.args = {"channels": channels, "hidden": hidden}  # saved in model files
        c = channels
        self.features = nn.Sequential(
            nn.Conv2d(1, c, 3, padding=1, bias=False),
            nn.BatchNorm2d(c),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(2),  # 14x14
            nn.Conv2d(c, 2 * c, 3, padding=1, bias=False),
            nn.BatchNorm2d(2 * c),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(2),  # 7x7
        )
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(2 * c * 7 * 7, hidden),
            nn.ReLU(inplace=True),
            nn.Linear(hidden, 10),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() == 3:  # (N, 28, 28) -> (N, 1, 28, 28)
            x = x.unsqueeze(1)
        return self.classifier(self.features(x))


MAX_MEMBERS = 8


class Ensemble(nn.Module):
    """Several cnns trained apart (other seeds), answering together: the log of their mean
    probabilities, so ``softmax`` of the output is that mean and ``argmax`` its vote.

    Two members misread different real pen digits: on the collections not trained
    on, two cnns together erred about a fifth less than either alone, for twice the
    network time (still well under a millisecond a drawing). Built from trained cnn
    files by ``model.ensemble.combine``; the Train tab trains single networks.
    """

    def __init__(self, members: int = 2, channels: int = 16, hidden: int = 128) -> None:
        super().__init__()
        if not 1 <= members <= MAX_MEMBERS:
            raise TypeError(f"members must be 1..{MAX_MEMBERS}, not {members}")
        self.args = {"members": members, "channels": channels, "hidden": hidden}
        self.members = nn.ModuleList(ConvNet(channels, hidden) for _ in range(members))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        logs = torch.stack([torch.log_softmax(m(x), dim=1) for m in self.members])
        return torch.logsumexp(logs, dim=0) - math.log(len(self.members))


# The networks one can train (model.config.NETWORK_NAMES lists the same, torch-free).
NETWORKS: dict[str, Callable[..., nn.Module]] = {"mlp": Net, "cnn": ConvNet}
MAX_SIZE_ARG = 1024  # channels, hidden units: 8x to 64x what the shipped cnn uses
# Every network a model file may hold: the trainable ones and those built from them.
LOADABLE: dict[str, Callable[..., nn.Module]] = {**NETWORKS, "cnn-ensemble": Ensemble}


def build_network(name: str, **kwargs: Any) -> nn.Module:
    """Build a registered network; ``kwargs`` are what a model file stores."""
    try:
        factory = LOADABLE[name]
    except KeyError:
        known = ", ".join(LOADABLE)
        raise ConfigError(
            "unknown network {name!r} (known: {known})", name=name, known=known
        ) from None
    for key, value in kwargs.items():
        # Sizes only, and bounded: a model file is untrusted, and channels=1.5 or
        # hidden=320000 would fail deep inside torch or allocate gigabytes.
        if type(value) is not int or not 1 <= value <= MAX_SIZE_ARG:
            raise ConfigError(
                "bad arguments for network {name!r}: {why}",
                name=name,
                why=Message(
                    "{key} must be an integer in 1..{limit}, not {value!r}",
                    key=key,
                    limit=MAX_SIZE_ARG,
                    value=value,
                ),
            )
    try:
        return factory(**kwargs)
    except TypeError as exc:
        raise ConfigError("bad arguments for network {name!r}: {why}", name=name, why=exc) from None
