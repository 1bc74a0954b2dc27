"""Weights snapshots: the training loop hands over copies of its weights when asked."""

from __future__ import annotations

from pathlib import Path

import torch

from model.checkpoints import load_model
from model.config import TrainConfig
from model.events import EpochEnd, WeightsSnapshot
from model.networks import build_network
from model.training import train


def test_snapshots_every_n_batches_and_at_epoch_end(mnist_small, tmp_path: Path) -> None:
    config = TrainConfig(epochs=2, batch_size=100)  # 40 batches per epoch
    events = list(train(config, data=mnist_small, out=tmp_path / "m.pt", snapshot_every=15))
    snaps = [e for e in events if isinstance(e, WeightsSnapshot)]
    assert [(s.epoch, s.batch) for s in snaps] == [
        (1, 15),
        (1, 30),
        (1, 40),
        (2, 15),
        (2, 30),
        (2, 40),
    ]
    # The epoch-end snapshot follows that epoch's EpochEnd.
    ends = [i for i, e in enumerate(events) if isinstance(e, EpochEnd)]
    assert isinstance(events[ends[0] + 1], WeightsSnapshot)
    assert all(t.device.type == "cpu" for s in snaps for t in s.state_dict.values())
    # Copies: each snapshot keeps the weights of its moment.
    assert not torch.equal(snaps[0].state_dict["fc1.weight"], snaps[-1].state_dict["fc1.weight"])
    saved = load_model(tmp_path / "m.pt").network.state_dict()
    for key, value in snaps[-1].state_dict.items():
        assert torch.equal(value, saved[key])
    rebuilt = build_network(snaps[0].network, **dict(snaps[0].network_args))
    rebuilt.load_state_dict(snaps[0].state_dict)


def test_no_snapshots_unless_asked(mnist_small) -> None:
    events = list(train(TrainConfig(epochs=1, batch_size=400), data=mnist_small))
    assert not any(isinstance(e, WeightsSnapshot) for e in events)
