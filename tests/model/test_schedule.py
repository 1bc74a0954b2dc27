"""Our one-cycle values against torch's OneCycleLR, step by step."""

from __future__ import annotations

import pytest
import torch

from model.config import TrainConfig
from model.schedule import OneCycle, constant, schedule


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_one_cycle_matches_torch(optimizer: str) -> None:
    total = 97
    param = torch.nn.Parameter(torch.zeros(1))
    if optimizer == "sgd":
        opt: torch.optim.Optimizer = torch.optim.SGD([param], lr=0.05, momentum=0.9)
    else:
        opt = torch.optim.Adam([param], lr=0.05)
    torch_schedule = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.05, total_steps=total)
    ours = OneCycle(0.05, total)
    for step in range(total):
        group = opt.param_groups[0]
        momentum = group["momentum"] if optimizer == "sgd" else group["betas"][0]
        assert ours.at(step).lr == pytest.approx(group["lr"], rel=1e-12, abs=1e-15)
        assert ours.at(step).momentum == pytest.approx(momentum, rel=1e-12)
        opt.step()
        if step < total - 1:
            torch_schedule.step()


def test_constant_schedule_has_no_per_step_values() -> None:
    config = TrainConfig(optimizer="adam", lr=0.003)
    assert schedule(config, 10) is None
    assert constant(config).lr == 0.003 and constant(config).momentum == 0.9
    assert constant(TrainConfig(momentum=0.5)).momentum == 0.5
