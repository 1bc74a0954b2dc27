"""Probabilities for preprocessed 28x28 images."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn


@torch.inference_mode()
def predict_probabilities(network: nn.Module, images: np.ndarray | torch.Tensor) -> np.ndarray:
    """10 probabilities for one (28, 28) normalised image, or (N, 10) for (N, 28, 28).

    The images must already be preprocessed and normalised (``model.preprocess``).
    """
    x = torch.as_tensor(np.asarray(images, dtype=np.float32))
    single = x.dim() == 2
    if single:
        x = x.unsqueeze(0)
    if x.shape[-2:] != (28, 28):
        raise ValueError(f"expected 28x28 images, got {tuple(x.shape)}")
    network.eval()
    probs = torch.softmax(network(x), dim=1).numpy()
    return probs[0] if single else probs
