"""A drawn or photographed digit -> the 28x28 input an MNIST network expects.

MNIST's digits were size-normalised to fit a 20x20 box keeping their aspect
ratio, anti-aliased, then placed in 28x28 with their centre of mass at the
centre. A canvas drawing that skips any of these steps is read badly by a
network with 98 % test accuracy, so the canvas and ``digitpad predict`` both go
through ``to_mnist`` below. Pure numpy + Pillow: no Qt, no torch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from PIL import Image

from model.normalization import MEAN, STD

Polarity = Literal["auto", "light_on_dark", "dark_on_light"]

SIZE = 28
BOX = 20  # the longer side of the digit, as in MNIST
CENTRE = 14.0  # MNIST's mean centre of mass, measured over the training set (13.996, 14.007)
INK_THRESHOLD = 0.1  # fraction of full ink below which a pixel counts as background


def _to_gray(image: np.ndarray) -> np.ndarray:
    """Any 2D/3D array of any dtype -> float32 in [0, 1], light = high."""
    a = np.asarray(image)
    if a.ndim == 3:
        if a.shape[2] == 4:  # RGBA: ignore alpha here; images.py maps alpha to ink
            a = a[..., :3]
        a = a.mean(axis=2) if a.shape[2] >= 3 else a[..., 0]
    if a.ndim != 2:
        raise ValueError(f"expected a 2D image, got shape {np.shape(image)}")
    a = a.astype(np.float32, copy=False)
    if np.issubdtype(np.asarray(image).dtype, np.integer):
        a = a / 255.0
    a = np.nan_to_num(a, nan=0.0, posinf=1.0, neginf=0.0)
    return np.clip(a, 0.0, 1.0)


def ink_map(image: np.ndarray, polarity: Polarity = "auto") -> np.ndarray:
    """Ink as 1, background as 0. ``auto`` takes the border's median as background."""
    gray = _to_gray(image)
    if gray.size == 0:
        return gray
    if polarity == "auto":
        border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
        background = float(np.median(border))
        if background > 0.5:
            gray = 1.0 - gray
            background = 1.0 - background
        # Paper is rarely pure white: stretch so the background becomes 0.
        span = 1.0 - background
        if span <= 1e-6:
            return np.zeros_like(gray)
        return np.clip((gray - background) / span, 0.0, 1.0)
    return 1.0 - gray if polarity == "dark_on_light" else gray


@dataclass(frozen=True)
class Steps:
    """Every intermediate of ``to_mnist``, so a view can show the real thing.

    ``ink``: the picture as ink (1) on background (0); ``crop``: the ink's
    bounding box; ``scaled``: the crop scaled so its longer side is ``BOX`` px;
    ``placed``: ``scaled`` put in 28x28 with its centre of mass at the centre
    (what ``to_mnist`` returns); ``normalized``: what the network receives.
    Empty arrays where a step had nothing to work on (no ink).
    """

    ink: np.ndarray
    crop: np.ndarray
    scaled: np.ndarray
    placed: np.ndarray
    normalized: np.ndarray


def _scale_to_box(crop: np.ndarray) -> np.ndarray:
    """Scale so the longer side is exactly ``BOX`` px, the shorter by the same factor.

    Rounding the short side to whole pixels distorts a thin digit (a 1 that is
    2.4 px wide becomes 2 or 3 px): instead the crop is padded with background
    and resampled from a fractional source box, so the last column or row gets
    the partial coverage it really has.
    """
    h, w = crop.shape
    scale = BOX / max(h, w)
    new_h = max(1, min(BOX, math.ceil(h * scale - 1e-6)))
    new_w = max(1, min(BOX, math.ceil(w * scale - 1e-6)))
    pad = math.ceil(1 / scale) + 1  # the fractional source box may reach past the crop
    padded = np.zeros((h + pad, w + pad), dtype=np.float32)
    padded[:h, :w] = crop
    source = (0.0, 0.0, new_w / scale, new_h / scale)
    # Box filter when shrinking (true area averaging = anti-aliasing); bilinear
    # when enlarging a tiny mark, so it stays soft like MNIST's strokes.
    resample = Image.Resampling.BOX if scale < 1 else Image.Resampling.BILINEAR
    small = Image.fromarray(padded, mode="F").resize((new_w, new_h), resample, box=source)
    return np.clip(np.asarray(small, dtype=np.float32), 0.0, 1.0)


def steps(image: np.ndarray, polarity: Polarity = "auto") -> Steps:
    """Crop, scale to 20 px, centre by mass in 28x28, normalise: each step kept.

    Never raises for a 2D array: an empty image (or one with no ink) gives
    all zeros; a single dot becomes a centred blob; any size works.
    """
    ink = ink_map(image, polarity)
    out = np.zeros((SIZE, SIZE), dtype=np.float32)
    empty = np.zeros((0, 0), dtype=np.float32)
    if ink.size == 0 or float(ink.max(initial=0.0)) < INK_THRESHOLD:
        return Steps(ink, empty, empty, out, normalize(out))
    rows = np.flatnonzero((ink >= INK_THRESHOLD).any(axis=1))
    cols = np.flatnonzero((ink >= INK_THRESHOLD).any(axis=0))
    crop = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    small = _scale_to_box(crop)
    new_h, new_w = small.shape
    mass = float(small.sum())
    if mass <= 0:
        return Steps(ink, crop, small, out, normalize(out))
    ys, xs = np.indices(small.shape)
    cy = float((ys * small).sum() / mass)
    cx = float((xs * small).sum() / mass)
    top = int(np.clip(round(CENTRE - cy), 0, SIZE - new_h))
    left = int(np.clip(round(CENTRE - cx), 0, SIZE - new_w))
    out[top : top + new_h, left : left + new_w] = small
    return Steps(ink, crop, small, out, normalize(out))


def to_mnist(image: np.ndarray, polarity: Polarity = "auto") -> np.ndarray:
    """Crop, scale to 20 px, centre by mass in 28x28. float32 in [0, 1], ink = 1."""
    return steps(image, polarity).placed


def normalize(mnist_image: np.ndarray) -> np.ndarray:
    """[0, 1] pixels -> the network's input, with the constants training used."""
    return ((mnist_image - MEAN) / STD).astype(np.float32)


def preprocess(image: np.ndarray, polarity: Polarity = "auto") -> np.ndarray:
    """``to_mnist`` then ``normalize``: exactly what the network receives."""
    return normalize(to_mnist(image, polarity))


def has_ink(image: np.ndarray, polarity: Polarity = "auto") -> bool:
    ink = ink_map(image, polarity)
    return ink.size > 0 and float(ink.max(initial=0.0)) >= INK_THRESHOLD
