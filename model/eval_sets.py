"""The data sets a model can be evaluated on, as one shape: 28x28 pictures with labels.

MNIST test, the real pen digits (replayed as drawn on the canvas, then through
``model.strokes``, the canvas's own path) and the user's own samples all become ``LabelledImages``:
the pictures exactly as the network receives them before normalisation, so the
Evaluate tab can both run the network on them and show them as thumbnails.
Pure numpy (+ torchvision for MNIST's IDX files, through ``model.data``): no Qt.
"""

from __future__ import annotations

import os
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from model.errors import DataError
from model.strokes import Strokes

PEN_DATA_ENV = "DIGITPAD_PEN_DATA"
_REPORT_EVERY = 250  # pen digits rendered between two progress events


@dataclass(frozen=True)
class LoadProgress:
    """Reading or rendering a data set before the network runs."""

    message: str
    done: int
    total: int


@dataclass(frozen=True, eq=False)
class LabelledImages:
    """``images``: (N, 28, 28) float32 in [0, 1], ink = 1; ``labels``: (N,) int64.

    ``sources`` names each image for a person ("MNIST test #1234", a pen
    digit's writer); ``strokes`` holds the pen strokes an image was rendered
    from (None for pictures), so the Draw tab can replay them.
    """

    name: str
    images: np.ndarray
    labels: np.ndarray
    sources: tuple[str, ...]
    strokes: tuple[Strokes, ...] | None = None

    def __post_init__(self) -> None:
        n = len(self.labels)
        if self.images.shape != (n, 28, 28) or len(self.sources) != n:
            raise DataError(f"{self.name}: {n} labels for images of shape {self.images.shape}")
        if self.strokes is not None and len(self.strokes) != n:
            raise DataError(f"{self.name}: {len(self.strokes)} stroke sets for {n} images")
        for array in (self.images, self.labels):
            array.flags.writeable = False  # shared by threads and views: never changed

    def __len__(self) -> int:
        return len(self.labels)


def default_pen_data_dir() -> Path | None:
    """``DIGITPAD_PEN_DATA`` if set, else ``../shared/data/unipen`` beside the checkout, if there."""
    env = os.environ.get(PEN_DATA_ENV)
    if env:
        return Path(env).expanduser()
    beside = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "unipen"
    return beside if beside.is_dir() else None


def mnist_test_set(root: Path | str) -> LabelledImages:
    """MNIST's 10,000 test images; raises ``DataMissingError`` naming the folder.

    Read by ``model.data``'s checked reader (numpy and torch, no torchvision:
    importing torchvision in the worker would hold the interpreter lock for a
    second or more while it loads native libraries, a freeze the window feels).
    """
    from model.data import find_root, load_test_split, missing_files, read_raw_split

    root = find_root(root)  # the data folder, or the MNIST/raw folder itself
    if missing_files(root):
        load_test_split(root)  # raises DataMissingError with the one message for this
    raw_images, raw_labels = read_raw_split(root, train=False)  # checked: counts, labels
    images = raw_images.numpy().astype(np.float32) / np.float32(255.0)
    labels = raw_labels.numpy().astype(np.int64)
    return LabelledImages(
        "MNIST test", images, labels, tuple(f"MNIST test #{i}" for i in range(len(labels)))
    )


def iter_pen_digit_set(
    folder: Path | str,
) -> Generator[LoadProgress, None, LabelledImages]:
    """The real pen digits, replayed as drawn on the canvas at a normal size.

    Each digit's strokes go through ``model.pen_benchmark.replay`` (the canvas's
    own units and mouse rounding, at the "normal" drawing height) and then
    ``strokes_to_steps``, exactly as a drawing does; the replayed strokes are
    kept, so the Draw tab can put a digit back on the canvas. Yields progress
    while rendering (a millisecond or two per digit) and returns the set.
    """
    from model.pen_benchmark import SIZES, replay
    from model.pen_digits import load_pen_digits
    from model.strokes import strokes_to_steps

    yield LoadProgress("Reading pen digits", 0, 1)
    digits = load_pen_digits(folder)
    images = np.zeros((len(digits), 28, 28), dtype=np.float32)
    strokes = []
    for i, digit in enumerate(digits):
        if i % _REPORT_EVERY == 0:
            yield LoadProgress("Rendering pen digits", i, len(digits))
        drawn = replay(digit.strokes, SIZES["normal"])
        strokes.append(drawn)
        images[i] = strokes_to_steps(drawn).placed
    yield LoadProgress("Rendering pen digits", len(digits), len(digits))
    return LabelledImages(
        "pen digits",
        images,
        np.array([d.label for d in digits], dtype=np.int64),
        tuple(f"pen digit #{i} ({d.writer})" for i, d in enumerate(digits)),
        tuple(strokes),
    )
