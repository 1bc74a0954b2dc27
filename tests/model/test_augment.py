"""Training augmentation on real MNIST digits: shapes, determinism, and digits that stay digits."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from model.augment import Strength, augment_batch
from model.checkpoints import load_model
from model.config import RECOMMENDED, TrainConfig
from model.normalization import MEAN, STD
from model.training import train


@pytest.fixture(scope="module")
def digits(mnist_small) -> torch.Tensor:
    return mnist_small.test.images[:256].unsqueeze(1).clone()


def ink(x: torch.Tensor) -> torch.Tensor:
    return x * STD + MEAN


def gen(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def test_shape_dtype_and_range_are_kept(digits: torch.Tensor) -> None:
    before = digits.clone()
    out = augment_batch(digits, generator=gen(0))
    assert out.shape == digits.shape and out.dtype == digits.dtype
    assert torch.equal(digits, before)  # the input is not modified
    assert ink(out).min() >= -1e-5 and ink(out).max() <= 1 + 1e-5  # still MNIST's normalisation
    flat = augment_batch(digits[:, 0], generator=gen(0))  # (N, 28, 28), as training holds them
    assert flat.shape == digits[:, 0].shape
    assert torch.allclose(flat, out[:, 0])


def test_same_generator_state_same_batch_other_seed_differs(digits: torch.Tensor) -> None:
    a = augment_batch(digits, generator=gen(7))
    b = augment_batch(digits, generator=gen(7))
    c = augment_batch(digits, generator=gen(8))
    assert torch.equal(a, b)
    assert not torch.allclose(a, c)
    g = gen(7)  # one generator, two batches: the second is a new draw
    first, second = augment_batch(digits, generator=g), augment_batch(digits, generator=g)
    assert torch.equal(first, a) and not torch.allclose(first, second)


def test_changes_every_image_but_keeps_it_digit_like(digits: torch.Tensor) -> None:
    out = augment_batch(digits, generator=gen(1))
    before, after = ink(digits).clamp(0, 1), ink(out)
    changed = (after - before).abs().flatten(1).amax(1)
    assert (changed > 0.2).all()  # every image is visibly changed
    mass_before, mass_after = before.flatten(1).sum(1), after.flatten(1).sum(1)
    ratio = mass_after / mass_before
    # Thinner or thicker strokes, a little larger or smaller: never erased, never a blob.
    assert ratio.min() > 0.35 and ratio.max() < 3.0
    assert 0.8 < ratio.median() < 1.4
    # The digit stays near the middle and inside the picture.
    rows = torch.arange(28.0).view(1, 28, 1)
    cols = torch.arange(28.0).view(1, 1, 28)
    img = after[:, 0]
    cy = (img * rows).flatten(1).sum(1) / img.flatten(1).sum(1)
    cx = (img * cols).flatten(1).sum(1) / img.flatten(1).sum(1)
    assert ((cy - 13.5).abs() < 5).all() and ((cx - 13.5).abs() < 5).all()
    border = torch.cat([img[:, :1], img[:, -1:]], 1).flatten(1).amax(1)
    assert (border < 0.5).float().mean() > 0.9  # few digits touch the edge (MNIST: 1 %)


def test_zero_strength_is_the_identity(digits: torch.Tensor) -> None:
    none = Strength(
        degrees=0, shear=0, scale=(1, 1), aspect=0, shift=0, elastic=0, thinner=0, thicker=0
    )
    out = augment_batch(digits, generator=gen(0), strength=none)
    assert torch.allclose(ink(out), ink(digits).clamp(0, 1), atol=1e-4)


def test_empty_batch_and_bad_shape(digits: torch.Tensor) -> None:
    assert augment_batch(digits[:0], generator=gen(0)).shape == (0, 1, 28, 28)
    with pytest.raises(ValueError, match="28, 28"):
        augment_batch(torch.zeros(4, 3, 28, 28), generator=gen(0))


def test_cnn_recipe_augments_and_a_run_with_it_learns(mnist_small, tmp_path: Path) -> None:
    assert RECOMMENDED["cnn"].augment and not TrainConfig().augment
    # The mlp: the same loop at a fraction of the cnn's cost (tests/model/test_training.py
    # covers the cnn itself).
    config = TrainConfig(epochs=2, batch_size=64, lr=0.05, augment=True)
    out = tmp_path / "aug.pt"
    finished = list(train(config, data=mnist_small, out=out))[-1]
    assert finished.test_accuracy >= 0.8  # chance is 0.10
    assert load_model(out).card.hyperparameters["augment"] is True
