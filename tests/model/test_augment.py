"""Training augmentation on real MNIST digits: shapes, determinism, and digits that stay digits;
its two halves (one draw of uniforms, then a distortion with no randomness of its own) against
the way it was computed before they were split."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from model.augment import (
    DEFAULT,
    Strength,
    augment_batch,
    distort,
    draw,
    draws_per_image,
    forward_maps,
    inverse_2x2,
    parameters,
)
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


STRONG = Strength(degrees=12, shear=0.25, elastic=1.5, thinner=0.5, thicker=0.9)


@pytest.mark.parametrize("strength", [DEFAULT, STRONG], ids=["default", "strong"])
def test_draws_cover_each_parameters_range_uniformly(strength: Strength) -> None:
    s, n = strength, 20000
    d = parameters(draw(n, gen(3), s), n, s)
    ranges = {
        "angle": (d.angle, -s.degrees * math.pi / 180, s.degrees * math.pi / 180),
        "shear": (d.shear, -s.shear, s.shear),
        "size": (d.size, *s.scale),
        "aspect": (d.aspect, -s.aspect, s.aspect),
        "shift": (d.shift, -s.shift, s.shift),
        "noise": (d.noise, -1.0, 1.0),
        "thickness": (d.thickness, -s.thinner, s.thicker),
    }
    assert d.shift.shape == (n, 2) and d.noise.shape == (n, 2, s.elastic_grid, s.elastic_grid)
    for name, (values, low, high) in ranges.items():
        span = high - low
        assert values.min() >= low - 1e-6 and values.max() <= high + 1e-6, name
        assert values.min() < low + 0.01 * span and values.max() > high - 0.01 * span, name
        assert abs(values.mean().item() - (low + high) / 2) < 0.02 * span, name
        quarter = ((values - low) < span / 4).float().mean().item()  # uniform, not bunched
        assert abs(quarter - 0.25) < 0.02, name
    # Each image's parameters are independent of each other.
    pairs = torch.stack([d.angle, d.shear, d.size, d.aspect, d.thickness])
    correlation = torch.corrcoef(pairs) - torch.eye(5)
    assert correlation.abs().max() < 0.05


def test_the_lowest_and_highest_draws_give_the_ranges_ends() -> None:
    s, n = STRONG, 3
    per = draws_per_image(s)
    low = parameters(torch.zeros(n * per), n, s)
    high = parameters(torch.ones(n * per), n, s)
    assert torch.allclose(low.angle, torch.full((n,), -12 * math.pi / 180))
    assert torch.allclose(high.size, torch.full((n,), 1.05))
    assert torch.allclose(low.thickness, torch.full((n,), -0.5))
    assert torch.allclose(high.thickness, torch.full((n,), 0.9))
    with pytest.raises(ValueError, match="uniforms"):
        parameters(torch.zeros(n * per - 1), n, s)


@pytest.mark.parametrize("strength", [DEFAULT, STRONG], ids=["default", "strong"])
def test_the_closed_form_inverse_is_linalg_inv(strength: Strength) -> None:
    n = 20000
    a = forward_maps(parameters(draw(n, gen(4), strength), n, strength))
    torch.testing.assert_close(inverse_2x2(a), torch.linalg.inv(a), rtol=0, atol=1e-6)
    a64 = a.double()
    torch.testing.assert_close(inverse_2x2(a64), torch.linalg.inv(a64), rtol=0, atol=1e-12)
    # The corners of the ranges too: all-lowest and all-highest draws.
    per = draws_per_image(strength)
    for corner in (torch.zeros(per), torch.ones(per)):
        a = forward_maps(parameters(corner, 1, strength))
        torch.testing.assert_close(inverse_2x2(a), torch.linalg.inv(a), rtol=0, atol=1e-6)


def the_old_way(x: torch.Tensor, generator: torch.Generator, s: Strength) -> torch.Tensor:
    """The augmentation as it was computed before issue 11, from torch's stock operations.

    One draw per parameter in ``draw``'s block order, ``torch.linalg.inv``,
    ``F.affine_grid``, bicubic ``F.interpolate`` for the elastic field, and
    ``F.max_pool2d`` with a zero border for the dilation and the erosion.
    """
    n, k = len(x), s.elastic_grid

    def uniform(size: int, low: float, high: float) -> torch.Tensor:
        return torch.rand(size, generator=generator) * (high - low) + low

    angle = uniform(n, -s.degrees, s.degrees) * (math.pi / 180)
    shear = uniform(n, -s.shear, s.shear)
    size = uniform(n, *s.scale)
    aspect = uniform(n, -s.aspect, s.aspect)
    shift = uniform(2 * n, -s.shift, s.shift).view(n, 2) * (2 / 28)
    noise = torch.rand(n, 2, k, k, generator=generator) * 2 - 1
    thickness = uniform(n, -s.thinner, s.thicker)
    sx, sy = size * (1 + aspect), size * (1 - aspect)
    cos, sin = torch.cos(angle), torch.sin(angle)
    a = torch.stack(
        [
            torch.stack([cos * sx, (cos * shear - sin) * sy], -1),
            torch.stack([sin * sx, (sin * shear + cos) * sy], -1),
        ],
        -2,
    )
    inverse = torch.linalg.inv(a)
    theta = torch.cat([inverse, -(inverse @ shift.unsqueeze(-1))], -1)
    grid = F.affine_grid(theta, [n, 1, 28, 28], align_corners=False)
    field = F.interpolate(noise, size=(28, 28), mode="bicubic", align_corners=True)
    grid = grid + field.permute(0, 2, 3, 1) * (s.elastic * 2 / 28)
    ink = F.grid_sample(x * STD + MEAN, grid, mode="bilinear", align_corners=False)
    padded = F.pad(ink, (1, 1, 1, 1))  # outside the picture is paper, 0
    dilated = F.max_pool2d(padded, 3, stride=1)
    eroded = -F.max_pool2d(-padded, 3, stride=1)
    t = thickness.view(n, 1, 1, 1)
    ink = ink + t.abs() * (torch.where(t > 0, dilated, eroded) - ink)
    return (ink.clamp(0, 1) - MEAN) / STD


@pytest.mark.parametrize("strength", [DEFAULT, STRONG], ids=["default", "strong"])
def test_draw_then_distort_is_the_old_way_from_the_same_uniforms(
    digits: torch.Tensor, strength: Strength
) -> None:
    """On the CPU one draw gives the numbers the seven draws gave: a seed distorts as it did."""
    expected = the_old_way(digits, gen(5), strength)
    uniforms = draw(len(digits), gen(5), strength)
    out = distort(digits, uniforms, strength)
    torch.testing.assert_close(out, expected, rtol=0, atol=5e-5)
    assert torch.equal(augment_batch(digits, generator=gen(5), strength=strength), out)


def test_distort_is_a_function_of_images_and_uniforms(digits: torch.Tensor) -> None:
    n = len(digits)
    uniforms = draw(n, gen(2))
    buffer = torch.full((n * draws_per_image(),), -1.0)
    assert draw(n, gen(2), out=buffer) is buffer and torch.equal(buffer, uniforms)
    with pytest.raises(ValueError, match="uniforms"):
        draw(n, gen(2), out=buffer[1:])
    state = torch.get_rng_state()
    first, second = distort(digits, uniforms), distort(digits, uniforms)
    assert torch.equal(first, second)
    assert torch.equal(torch.get_rng_state(), state)  # it draws nothing, not even globally
    out = torch.full_like(digits[:, 0], float("nan"))  # (N, 28, 28), as training holds them
    assert distort(digits[:, 0], uniforms, out=out) is out
    torch.testing.assert_close(out, first[:, 0], rtol=0, atol=1e-6)
    with pytest.raises(ValueError, match="out"):
        distort(digits, uniforms, out=out)
    with pytest.raises(ValueError, match="uniforms"):
        distort(digits, uniforms[:-1])


def test_a_strength_that_could_not_be_inverted_is_refused() -> None:
    for bad in ({"scale": (0.0, 1.0)}, {"scale": (1.1, 1.0)}, {"aspect": 1.0}, {"shear": -0.1}):
        with pytest.raises(ValueError, match="strength"):
            Strength(**bad)


def test_cnn_recipe_augments_and_a_run_with_it_learns(mnist_small, tmp_path: Path) -> None:
    assert RECOMMENDED["cnn"].augment and not TrainConfig().augment
    # The mlp: the same loop at a fraction of the cnn's cost (tests/model/test_training.py
    # covers the cnn itself).
    config = TrainConfig(epochs=2, batch_size=64, lr=0.05, augment=True)
    out = tmp_path / "aug.pt"
    finished = list(train(config, data=mnist_small, out=out))[-1]
    assert finished.test_accuracy >= 0.8  # chance is 0.10
    assert load_model(out).card.hyperparameters["augment"] is True
