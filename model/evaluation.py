"""Accuracy, per-class accuracy, confusion matrix and the misclassified images."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from model.data import Split


@dataclass(frozen=True)
class Evaluation:
    accuracy: float  # a fraction 0..1
    per_class_accuracy: tuple[float, ...]  # 10 fractions; NaN for a class absent from the split
    confusion: tuple[tuple[int, ...], ...]  # confusion[true][predicted]
    misclassified: tuple[int, ...]  # indices into the split

    @property
    def size(self) -> int:
        return sum(map(sum, self.confusion))


@torch.inference_mode()
def predictions(network: nn.Module, images: torch.Tensor, batch_size: int = 2000) -> torch.Tensor:
    """Predicted digit for each normalised image, in eval mode."""
    was_training = network.training
    network.eval()
    try:
        return torch.cat(
            [
                network(images[i : i + batch_size]).argmax(1)
                for i in range(0, len(images), batch_size)
            ]
        )
    finally:
        network.train(was_training)


def evaluate(network: nn.Module, split: Split) -> Evaluation:
    predicted = predictions(network, split.images).cpu()
    truth = split.labels.cpu()
    confusion = torch.bincount(truth * 10 + predicted, minlength=100).reshape(10, 10)
    totals = confusion.sum(1)
    correct = confusion.diagonal()
    per_class = tuple(
        (c / t).item() if t else float("nan") for c, t in zip(correct.double(), totals, strict=True)
    )
    return Evaluation(
        accuracy=correct.sum().item() / max(len(truth), 1),
        per_class_accuracy=per_class,
        confusion=tuple(tuple(row) for row in confusion.tolist()),
        misclassified=tuple((predicted != truth).nonzero().flatten().tolist()),
    )
