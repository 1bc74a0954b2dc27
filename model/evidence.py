"""Which pixels of the 28x28 input pushed the network towards a digit, and which against it.

Integrated gradients (Sundararajan, Taly and Yan, 2017), not occlusion:

- It gives one signed number per input pixel, and the numbers add up to the
  difference between the digit's score for the drawing and for a blank input
  (completeness). Occlusion slides a patch over the picture: its answer
  depends on the patch size, smears each pixel's effect over its neighbours,
  and a 28x28 input with 3x3 patches already needs 676 forward passes.
- The baseline is the blank canvas itself (every pixel background, which is
  ``normalize(0)`` in the network's units), so the attribution says what the
  *ink* contributed, which is what a person drawing can change.
- Cost: ``steps`` forward and backward passes in one batch, about 10 ms for
  the cnn on one CPU core, well within a stroke's time; the GUI runs it in
  the worker thread all the same.

The score attributed is the digit's logit: its softmax probability saturates
near 1 and would make every gradient vanish for a confident answer.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from model.normalization import MEAN, STD

STEPS = 32


def integrated_gradients(
    network: nn.Module, normalized: np.ndarray, digit: int, steps: int = STEPS
) -> np.ndarray:
    """(28, 28) float32 attributions of ``digit``'s logit; positive = towards ``digit``.

    ``normalized`` is the network's input (``Steps.normalized``). Parameters
    are left untouched (gradients are taken with respect to the input only),
    so a network shared with another thread is safe to use.
    """
    x = torch.as_tensor(np.asarray(normalized, dtype=np.float32)).reshape(1, 28, 28)
    baseline = torch.full_like(x, -MEAN / STD)  # a blank input, in the network's units
    alphas = (torch.arange(steps, dtype=torch.float32) + 0.5) / steps  # midpoint rule
    path = baseline + alphas.view(-1, 1, 1) * (x - baseline)
    path.requires_grad_(True)
    was_training = network.training
    network.eval()
    try:
        with torch.enable_grad():
            scores = network(path)[:, digit].sum()
            (grads,) = torch.autograd.grad(scores, path)
    finally:
        network.train(was_training)
    attributions = (x - baseline)[0] * grads.mean(0)
    return attributions.detach().numpy().astype(np.float32)
