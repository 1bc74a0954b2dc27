"""Training augmentation: whole batches of MNIST tensors made to look more like pen digits.

MNIST's digits are centred, upright, of one stroke width, written on paper. What
people draw on a tablet leans, is sheared, sits a pixel off, wobbles, and has a
thinner or thicker stroke than MNIST's (see model/strokes.py). A network that only
ever saw MNIST misreads those (issue 6), so each training batch is distorted a
little, differently every time:

- one affine warp per image: rotation, shear, scale (a little anisotropic) and
  translation;
- an elastic distortion: a smooth random displacement field, made by upsampling
  coarse noise, added to the same sampling grid, so both cost one
  ``grid_sample`` for the whole batch;
- stroke-thickness variation: a per-image blend towards a 3x3 dilation (thicker)
  or erosion (thinner) of the warped ink.

Everything is batched tensor arithmetic, so it costs a small fraction of a
training step (bench/augment_speed.py), and all randomness is drawn from the
caller's ``torch.Generator``, so a seed reproduces a run exactly.

It comes in two halves (issue 11): ``draw`` fills one flat tensor with every
uniform a batch needs, in one call to the generator, and ``distort`` turns
images and those uniforms into the distorted batch with device arithmetic
alone. On a GPU the training loop draws eagerly (one launch) and replays
``distort`` inside the captured CUDA graph with the training step, instead of
launching its ~40 small kernels from the host every batch. ``augment_batch``
is the two in a row.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from model.normalization import MEAN, STD


@dataclass(frozen=True)
class Strength:
    """How far each distortion may go.

    The defaults are the milder of the two settings measured on the real-pen
    benchmark (issue 6): a stronger one (rotation 12 degrees, shear 0.25, elastic
    1.5 px, thickness -0.5..+0.9) cost MNIST accuracy (99.29 % against 99.40 %
    without) and, without real pen digits in training, real-pen accuracy too
    (95.8 % against 96.8 %: more flagged ones read as sevens).
    """

    degrees: float = 8.0  # rotation, uniform in +-degrees
    shear: float = 0.15  # horizontal shear factor, uniform in +-shear
    scale: tuple[float, float] = (0.9, 1.05)  # overall size factor
    aspect: float = 0.08  # extra width/height factor, uniform in +-aspect
    shift: float = 1.0  # translation in pixels (of 28), uniform in +-shift
    elastic: float = 1.0  # largest displacement of the elastic field, in pixels
    elastic_grid: int = 5  # coarse noise cells per side: fewer means smoother wobbles
    # Blend towards a dilation (up to ``thicker``) or an erosion (up to ``thinner``),
    # uniform in [-thinner, thicker]. Erosion is milder: a full 3x3 erosion erases a
    # thin MNIST "1" almost completely.
    thinner: float = 0.3
    thicker: float = 0.5

    def __post_init__(self) -> None:
        # size > 0 and |aspect| < 1 keep every affine map invertible (``inverse_2x2``).
        low, high = self.scale
        ranges = (self.degrees, self.shear, self.shift, self.elastic, self.thinner, self.thicker)
        if not (0 < low <= high and 0 <= self.aspect < 1 and min(ranges) >= 0):
            raise ValueError(f"not a valid augmentation strength: {self}")
        if self.elastic_grid < 2 or max(self.thinner, self.thicker) > 1:
            raise ValueError(f"not a valid augmentation strength: {self}")


DEFAULT = Strength()


def draws_per_image(strength: Strength = DEFAULT) -> int:
    """How many uniforms one image's distortion takes (``draw``'s layout)."""
    return 7 + 2 * strength.elastic_grid**2


def draw(
    n: int,
    generator: torch.Generator,
    strength: Strength = DEFAULT,
    *,
    out: torch.Tensor | None = None,
) -> torch.Tensor:
    """Everything random about distorting ``n`` images: one flat tensor of uniforms in [0, 1).

    One call to the generator, so drawing costs one kernel launch however many
    parameters there are: a captured CUDA graph replays the rest (``distort``)
    and only this runs eagerly before each replay (model/steps.py). ``out``, if
    given, receives the draw in place (a static buffer of the right length).

    The layout, in blocks of ``n`` (``parameters`` reads it): angle, shear, size,
    aspect, shift (2 per image, x then y), elastic noise (``2 * elastic_grid**2``
    per image, x field then y field), thickness. Each block is exactly what the
    per-parameter draws before issue 11 took, in their order, and a CPU generator
    yields the same numbers for one draw as for consecutive ones: on the CPU a
    seed distorts a batch as it always did.
    """
    size = n * draws_per_image(strength)
    if out is None:
        return torch.rand(size, generator=generator, device=generator.device)
    if out.shape != (size,):
        raise ValueError(f"expected a buffer of {size} uniforms, got {tuple(out.shape)}")
    return torch.rand(size, generator=generator, out=out)


@dataclass(frozen=True)
class Parameters:
    """One distortion per image, in natural units, as ``parameters`` reads them off the uniforms."""

    angle: torch.Tensor  # (n,) radians
    shear: torch.Tensor  # (n,) horizontal shear factor
    size: torch.Tensor  # (n,) overall size factor
    aspect: torch.Tensor  # (n,) width gets (1 + aspect), height (1 - aspect)
    shift: torch.Tensor  # (n, 2) x and y translation, in pixels
    noise: torch.Tensor  # (n, 2, k, k) coarse elastic noise in [-1, 1), x field then y field
    thickness: torch.Tensor  # (n,) > 0: towards a dilation, < 0: towards an erosion


def _between(u: torch.Tensor, low: float, high: float) -> torch.Tensor:
    return u * (high - low) + low


def parameters(uniforms: torch.Tensor, n: int, strength: Strength = DEFAULT) -> Parameters:
    """The distortion of each of ``n`` images, from ``draw``'s uniforms: views and arithmetic only."""
    s, k = strength, strength.elastic_grid
    if uniforms.shape != (n * draws_per_image(s),):
        raise ValueError(
            f"expected {n * draws_per_image(s)} uniforms for {n} images, got {tuple(uniforms.shape)}"
        )
    angle, shear, size, aspect, shift, noise, thickness = uniforms.split(
        [n, n, n, n, 2 * n, 2 * k * k * n, n]
    )
    return Parameters(
        angle=_between(angle, -s.degrees, s.degrees) * (math.pi / 180),
        shear=_between(shear, -s.shear, s.shear),
        size=_between(size, *s.scale),
        aspect=_between(aspect, -s.aspect, s.aspect),
        shift=_between(shift, -s.shift, s.shift).view(n, 2),
        noise=(noise * 2 - 1).view(n, 2, k, k),
        thickness=_between(thickness, -s.thinner, s.thicker),
    )


def inverse_2x2(a: torch.Tensor) -> torch.Tensor:
    """The inverses of (..., 2, 2) matrices, in closed form: the adjugate over the determinant.

    ``torch.linalg.inv`` does the same through LAPACK/cuSOLVER and then checks
    for a singular matrix, which syncs the host with a GPU and cannot sit in a
    captured CUDA graph. Dividing needs no check: the matrices ``forward_maps``
    builds are well-conditioned by construction. A rotation and a shear have
    determinant 1, so det(A) = sx * sy = size**2 * (1 - aspect**2), at least
    0.9**2 * (1 - 0.08**2) = 0.80 with the default strength and > 0 for any
    valid ``Strength``; every entry of A is at most size * (1 + aspect) *
    (1 + shear) (1.31 by default), so those of the inverse are at most that over
    the determinant (1.63).
    """
    p, q = a[..., 0, 0], a[..., 0, 1]
    r, t = a[..., 1, 0], a[..., 1, 1]
    det = p * t - q * r
    adjugate = torch.stack([torch.stack([t, -q], -1), torch.stack([-r, p], -1)], -2)
    return adjugate / det[..., None, None]


def forward_maps(d: Parameters) -> torch.Tensor:
    """(n, 2, 2): each image's scale, shear and rotation, A = R @ Sh @ S, in ``affine_grid`` units."""
    sx, sy = d.size * (1 + d.aspect), d.size * (1 - d.aspect)
    cos, sin = torch.cos(d.angle), torch.sin(d.angle)
    shear = d.shear
    return torch.stack(
        [
            torch.stack([cos * sx, (cos * shear - sin) * sy], -1),
            torch.stack([sin * sx, (sin * shear + cos) * sy], -1),
        ],
        -2,
    )


def _affine(d: Parameters) -> torch.Tensor:
    """(n, 2, 3) matrices mapping output coordinates to input coordinates (``affine_grid``)."""
    inverse = inverse_2x2(forward_maps(d))  # the grid samples the input where A^-1 sends it
    offset = -(inverse @ (d.shift * (2 / 28)).unsqueeze(-1))
    return torch.cat([inverse, offset], -1)


@functools.lru_cache(maxsize=8)
def _upsampler(k: int, device: torch.device) -> torch.Tensor:
    """(28, k) matrix: bicubic interpolation of k values to 28, as one matmul.

    ``U @ coarse @ U.T`` is separable bicubic upsampling, several times faster on
    a CPU than ``F.interpolate(..., mode="bicubic")`` for a batch of tiny images.
    Cached per device: a constant, and building it on the host and copying it to
    a GPU in every batch cost a synchronising copy per step.
    """
    basis = torch.eye(k).view(k, 1, k, 1)
    up = F.interpolate(basis, size=(28, 1), mode="bicubic", align_corners=True).view(k, 28).T
    return up.to(device)


def _elastic(d: Parameters, s: Strength) -> torch.Tensor:
    """(n, 28, 28, 2) smooth displacements in ``grid_sample`` units (2 = the image's width)."""
    up = _upsampler(s.elastic_grid, d.noise.device)
    field = up @ d.noise @ up.T
    return field.permute(0, 2, 3, 1) * (s.elastic * 2 / 28)


def _grid(theta: torch.Tensor) -> torch.Tensor:
    """``F.affine_grid(theta, (n, 1, 28, 28), align_corners=False)``, a few times faster on a CPU."""
    c = (torch.arange(28, device=theta.device, dtype=theta.dtype) * 2 + 1) / 28 - 1
    t = theta.view(-1, 6, 1, 1)
    x, y = c.view(1, 1, 28), c.view(1, 28, 1)
    gx = t[:, 0] * x + t[:, 1] * y + t[:, 2]
    gy = t[:, 3] * x + t[:, 4] * y + t[:, 5]
    return torch.stack([gx, gy], -1)


def _max3(x: torch.Tensor) -> torch.Tensor:
    """3x3 maximum filter (a dilation; outside the picture counts as 0), in separable passes.

    ``F.max_pool2d(x, 3, stride=1, padding=1)`` gives the same for ink >= 0 but is
    about ten times slower on a CPU for 28x28 images.
    """
    h = x.clone()
    h[..., 1:] = torch.maximum(h[..., 1:], x[..., :-1])
    h[..., :-1] = torch.maximum(h[..., :-1], x[..., 1:])
    v = h.clone()
    v[..., 1:, :] = torch.maximum(v[..., 1:, :], h[..., :-1, :])
    v[..., :-1, :] = torch.maximum(v[..., :-1, :], h[..., 1:, :])
    return v


def _min3(x: torch.Tensor) -> torch.Tensor:
    """3x3 minimum filter (an erosion; outside the picture counts as paper, 0)."""
    h = x.clone()
    h[..., 1:] = torch.minimum(h[..., 1:], x[..., :-1])
    h[..., :-1] = torch.minimum(h[..., :-1], x[..., 1:])
    h[..., 0] = 0
    h[..., -1] = 0
    v = h.clone()
    v[..., 1:, :] = torch.minimum(v[..., 1:, :], h[..., :-1, :])
    v[..., :-1, :] = torch.minimum(v[..., :-1, :], h[..., 1:, :])
    v[..., 0, :] = 0
    v[..., -1, :] = 0
    return v


def distort(
    x: torch.Tensor,
    uniforms: torch.Tensor,
    strength: Strength = DEFAULT,
    *,
    out: torch.Tensor | None = None,
) -> torch.Tensor:
    """The batch ``x`` distorted as ``uniforms`` (from ``draw``) say: no randomness of its own.

    ``x`` is (N, 1, 28, 28) or (N, 28, 28), normalised with MNIST's mean and std;
    the result has its shape and is written to ``out`` if given. Device tensor
    arithmetic only: no random draw, no host sync, no shape that depends on the
    data, no host tensor (the bicubic upsampler is built once per device and
    cached, so the first call on a device must not be inside a CUDA graph
    capture; the training loop's warm-up steps make that call). So a CUDA graph
    can capture it and replay it on fresh uniforms each step.
    """
    squeeze = x.dim() == 3
    images = x.unsqueeze(1) if squeeze else x
    if images.dim() != 4 or images.shape[1:] != (1, 28, 28):
        raise ValueError(f"expected (N, 1, 28, 28) images, got {tuple(x.shape)}")
    n = images.shape[0]
    if out is not None and out.shape != x.shape:
        raise ValueError(f"out has shape {tuple(out.shape)}, the batch {tuple(x.shape)}")
    if n == 0:
        return x.clone() if out is None else out
    s = strength
    device, dtype = images.device, images.dtype
    d = parameters(uniforms.to(device), n, s)
    # The parameters' arithmetic in the uniforms' precision, as the draws were made.
    theta = _affine(d).to(dtype)
    warp = _elastic(d, s).to(dtype)
    thickness = d.thickness.to(dtype)

    ink = images * STD + MEAN  # back to [0, 1] ink so that the border pads with paper (0)
    grid = _grid(theta) + warp
    ink = F.grid_sample(ink, grid, mode="bilinear", padding_mode="zeros", align_corners=False)

    # Thicker: blend towards a 3x3 max (dilation); thinner: towards a 3x3 min (erosion).
    # Only one of the two is needed per image, but both are cheap next to a network step.
    dilated = _max3(ink)
    eroded = _min3(ink)
    t = thickness.view(n, 1, 1, 1)
    target = torch.where(t > 0, dilated, eroded)
    ink = ink + t.abs() * (target - ink)

    ink = ink.clamp_(0.0, 1.0)
    if out is None:
        result = (ink - MEAN) / STD
        return result.squeeze(1) if squeeze else result
    torch.sub(ink, MEAN, out=out.view(ink.shape)).div_(STD)
    return out


def augment_batch(
    x: torch.Tensor, *, generator: torch.Generator, strength: Strength = DEFAULT
) -> torch.Tensor:
    """A randomly distorted copy of a batch of normalised MNIST images.

    ``x`` is (N, 1, 28, 28) (or (N, 28, 28); the result has the same shape),
    normalised with MNIST's mean and std as training uses it. The random draws
    come from ``generator`` (on any device; they move to ``x``'s), so the same
    generator state gives the same batch. ``x`` itself is not modified.
    ``draw`` then ``distort``: the training loop calls the two apart.
    """
    return distort(x, draw(x.shape[0], generator, strength), strength)
