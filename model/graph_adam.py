"""Adam whose learning rate and beta1 are device tensors, so a captured CUDA graph follows a schedule.

torch's own Adam (``capturable=True``) captures a tensor learning rate, but a tensor
``betas`` invalidates the capture (cudaErrorStreamCaptureInvalidated, torch 2.11 on an
H100). The cnn recipe is Adam with a one-cycle schedule, whose beta1 cycles between
0.85 and 0.95 like torch's OneCycleLR: with torch's Adam that step could not be
captured and the GPU ran it eagerly, about 20 kernel launches per parameter per step.

It is also the Adam of every eager step (training on a CPU, personalize): building
any ``torch.optim`` optimizer first imports ``torch._dynamo``, 3 to 10 s on the 2-core
machine, paid by the first run of every process (the GUI's first cnn run, every
``digitpad personalize``); this class imports nothing.

This is torch's Adam update (no weight decay, no amsgrad) written with tensor-only
arithmetic: nothing reads a value back to the host, so every op is recorded in the
graph and a replay reads whatever ``lr`` and ``beta1`` hold at that moment.
tests/model/test_graph_adam.py checks it against ``torch.optim.Adam`` step by step
while both follow the same schedule.
"""

from __future__ import annotations

from collections.abc import Iterable

import torch

EPS = 1e-8  # torch.optim.Adam's default


class GraphAdam:
    """The subset of the optimizer interface the training steppers use: ``step``, ``zero_grad``."""

    def __init__(
        self, params: Iterable[torch.Tensor], *, lr: torch.Tensor, beta1: torch.Tensor, beta2: float
    ) -> None:
        self.params = [p for p in params if p.requires_grad]
        self.lr = lr  # 0-dim, on the parameters' device; updated in place by the schedule
        self.beta1 = beta1
        self.beta2 = beta2
        self.exp_avg = [torch.zeros_like(p) for p in self.params]
        self.exp_avg_sq = [torch.zeros_like(p) for p in self.params]
        # float64: 1 - 0.999**step in float32 loses four digits to cancellation early on.
        self.steps = torch.zeros((), device=lr.device, dtype=torch.float64)

    def zero_grad(self, set_to_none: bool = True) -> None:
        for p in self.params:
            if set_to_none:
                p.grad = None
            elif p.grad is not None:
                p.grad.zero_()

    @torch.no_grad()
    def step(self) -> None:
        self.steps += 1
        bias_correction1 = 1 - self.beta1**self.steps
        bias_correction2_sqrt = (1 - torch.pow(self.beta2, self.steps)).sqrt()
        step_size = self.lr / bias_correction1
        for p, m, v in zip(self.params, self.exp_avg, self.exp_avg_sq, strict=True):
            if p.grad is None:
                continue
            grad = p.grad
            m.lerp_(grad, 1 - self.beta1)
            v.mul_(self.beta2).addcmul_(grad, grad, value=1 - self.beta2)
            denom = (v.sqrt() / bias_correction2_sqrt).add_(EPS)
            p.sub_(step_size * m / denom)
