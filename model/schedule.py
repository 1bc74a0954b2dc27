"""The learning rate and momentum of every step, as plain numbers computed up front.

torch's ``OneCycleLR`` writes Python floats into the optimizer's parameter
groups, and it replaces Adam's ``betas`` tuple each step. A step captured in a
CUDA graph has those values baked in, so the captured loop needs them in
device tensors updated in place instead. Computing the schedule here, once, lets
every loop (captured, eager, the hand-written mlp step) read the same numbers
and put them where it needs them.

``OneCycle`` follows ``torch.optim.lr_scheduler.OneCycleLR`` with its defaults
(two phases, cosine annealing, momentum cycled between 0.95 and 0.85);
tests/model/test_schedule.py checks it against torch's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from model.config import TrainConfig

ADAM_BETA2 = 0.999  # torch's default, which the recipes use


@dataclass(frozen=True)
class Hyper:
    """What a step needs besides the data: learning rate and momentum (Adam's beta1)."""

    lr: float
    momentum: float


def _cos(start: float, end: float, pct: float) -> float:
    return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)


@dataclass(frozen=True)
class OneCycle:
    """A one-cycle schedule, as ``OneCycleLR`` sets it with its defaults; ``at(step)`` is 0-based.

    Computed per step rather than tabulated: a long run of small batches has millions of steps.
    """

    max_lr: float
    total_steps: int
    pct_start: float = 0.3
    div_factor: float = 25.0
    final_div_factor: float = 1e4
    base_momentum: float = 0.85
    max_momentum: float = 0.95

    def at(self, step: int) -> Hyper:
        initial = self.max_lr / self.div_factor
        warm_end = self.pct_start * self.total_steps - 1
        if step <= warm_end:
            pct = step / warm_end
            return Hyper(
                _cos(initial, self.max_lr, pct), _cos(self.max_momentum, self.base_momentum, pct)
            )
        end = self.total_steps - 1
        pct = (step - warm_end) / (end - warm_end)
        final = initial / self.final_div_factor
        return Hyper(
            _cos(self.max_lr, final, pct), _cos(self.base_momentum, self.max_momentum, pct)
        )


def schedule(config: TrainConfig, total_steps: int) -> OneCycle | None:
    """Per-step values for ``config``, or None when they never change (the constant schedule)."""
    if config.schedule == "onecycle":
        return OneCycle(config.lr, total_steps)
    return None


def constant(config: TrainConfig) -> Hyper:
    """The values of the constant schedule: Adam's beta1 is torch's default 0.9."""
    return Hyper(config.lr, config.momentum if config.optimizer == "sgd" else 0.9)
