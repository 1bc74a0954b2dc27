"""The data sets a model can be evaluated on, as one shape: 28x28 pictures with labels.

MNIST test, the real pen digits (replayed as drawn on the canvas, then through
``model.strokes``, the canvas's own path) and the user's own samples all become ``LabelledImages``:
the pictures exactly as the network receives them before normalisation, so the
Evaluate tab can both run the network on them and show them as thumbnails.
Pure numpy (+ torchvision for MNIST's IDX files, through ``model.data``): no Qt.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Generator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from model.errors import DataError
from model.messages import Message
from model.paths import shipped_held_out_pen_digits
from model.strokes import Strokes

if TYPE_CHECKING:
    from model.checkpoints import ModelCard
    from model.samples import Sample

PEN_DATA_ENV = "DIGITPAD_PEN_DATA"
SAMPLES_NAME = "your handwriting"
_STORE_ID = re.compile(r"(\d{8}-\d{6})-\d{3}-[0-9a-f]{6}$")  # model.samples.new_id
_REPORT_EVERY = 250  # pen digits rendered (or samples decoded) between two progress events


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
    from, in the canvas's units, so the Draw tab can replay them (None for a
    set of pictures; a None entry for one picture among drawings: a sample
    dropped into the store as a file). ``warnings`` says what was skipped
    while reading (a damaged sample file).
    """

    name: str
    images: np.ndarray
    labels: np.ndarray
    sources: tuple[str, ...]
    strokes: tuple[Strokes | None, ...] | None = None
    warnings: tuple[str, ...] = ()
    collections: tuple[str, ...] | None = None  # pen digits: each one's UNIPEN collection

    def __post_init__(self) -> None:
        n = len(self.labels)
        if self.images.shape != (n, 28, 28) or len(self.sources) != n:
            raise DataError(
                "{name}: {count} labels for images of shape {shape}",
                name=self.name,
                count=n,
                shape=self.images.shape,
            )
        if self.strokes is not None and len(self.strokes) != n:
            raise DataError(
                "{name}: {strokes} stroke sets for {count} images",
                name=self.name,
                strokes=len(self.strokes),
                count=n,
            )
        for array in (self.images, self.labels):
            array.flags.writeable = False  # shared by threads and views: never changed

    def __len__(self) -> int:
        return len(self.labels)

    def without(self, collections: Sequence[str]) -> LabelledImages:
        """The pen digits of every other collection: a model's figure on its own
        training digits is no test of it (``model.pen_training.collections_trained_on``)."""
        if self.collections is None or not collections:
            return self
        keep = [i for i, c in enumerate(self.collections) if c not in collections]
        index = np.array(keep, dtype=np.int64)
        return replace(
            self,
            images=self.images[index],
            labels=self.labels[index],
            sources=tuple(self.sources[i] for i in keep),
            strokes=None if self.strokes is None else tuple(self.strokes[i] for i in keep),
            collections=tuple(self.collections[i] for i in keep),
        )


def default_pen_data_dir() -> Path | None:
    """``DIGITPAD_PEN_DATA`` if set, else ``../shared/data/unipen`` beside the checkout, if
    there, else the held-out collections that ship (``model.paths``), if there."""
    env = os.environ.get(PEN_DATA_ENV)
    if env:
        return Path(env).expanduser()
    beside = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "unipen"
    if beside.is_dir():
        return beside
    shipped = shipped_held_out_pen_digits()
    return shipped if shipped.is_file() else None


def mnist_test_set(root: Path | str) -> LabelledImages:
    """MNIST's 10,000 test images; raises ``DataMissingError`` naming the folder.

    Read by ``model.data``'s checked reader (numpy and torch, no torchvision:
    importing torchvision in the worker would hold the interpreter lock for a
    second or more while it loads native libraries, a freeze the window feels).
    """
    from model.data import load_test_split, read_raw_split
    from model.mnist_files import find_root, missing_files

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
        collections=tuple(d.collection for d in digits),
    )


def _sample_source(sample: Sample) -> str:
    """ "your 4, saved 26 Nov 2026 10:06" for the store's own ids, else the file's name.

    The store names a sample by the time it was saved (``model.samples.new_id``),
    which says more to its writer than the id; a file dropped in by hand keeps
    the name its owner gave it.
    """
    match = _STORE_ID.match(sample.id)
    if match is None:
        return f"your {sample.label}: {sample.path.name}"
    try:
        saved = dt.datetime.strptime(match.group(1), "%Y%m%d-%H%M%S")
    except ValueError:
        return f"your {sample.label}: {sample.path.name}"
    return f"your {sample.label}, saved {saved:%d %b %Y %H:%M}"


def _canvas_strokes(strokes: Strokes | None) -> Strokes | None:
    """A sample's strokes if they are the canvas's (every point within 0..1 of its side).

    The store keeps whatever strokes it was given (a script may store tablet
    units); only canvas strokes can go back on the canvas as they were drawn,
    any others leave the picture to stand for the sample.
    """
    if not strokes or not all(strokes):
        return None
    points = np.concatenate([np.asarray(stroke, dtype=np.float64) for stroke in strokes])
    if points.min() < 0.0 or points.max() > 1.0:
        return None
    return [[(float(x), float(y)) for x, y in stroke] for stroke in strokes]


def not_a_test_note(model: str, card: ModelCard) -> Message | None:
    """Why a model's figure on the user's samples is no test of it, or None when it is one.

    Personalize fine-tuned it on the samples there were then, or the Train tab's
    "Add my handwriting" trained it on them, and they are likely among those
    scored now: it may read them all right and still misread the next digit. A
    personalized model's card keeps the honest figure, cross-validated when it
    was made.
    """
    record = card.personalization
    count = record.get("samples")
    if isinstance(count, int) and not isinstance(count, bool) and count >= 1:
        after = record.get("after")
        honest = after.get("samples_accuracy") if isinstance(after, dict) else None
        if isinstance(honest, int | float) and 0 <= honest <= 1:
            return Message(
                "{model} was fine-tuned on your samples ({count:,} when it was made), so this "
                "is not a test of it. Cross-validated then: {accuracy:.0%}.",
                model=model,
                count=count,
                accuracy=float(honest),
            )
        return Message(
            "{model} was fine-tuned on your samples ({count:,} when it was made), so this is "
            "not a test of it.",
            model=model,
            count=count,
        )
    if card.hyperparameters.get("include_samples") is True:
        return Message(
            "{model} was trained on your samples too, so this is not a test of it.", model=model
        )
    return None


def iter_sample_set(
    folder: Path | str, *, strict: bool = False
) -> Generator[LoadProgress, None, LabelledImages]:
    """The user's own samples, read as ``model.samples.load_images`` reads them.

    That is the picture path personalising uses too, so this accuracy and the
    Personalize button's "before" figure agree. Damaged files are skipped with
    a warning (kept in ``warnings``); with ``strict`` (the CLI) a missing
    folder or one not named 0-9 is a ``DataError``. No usable sample at all is
    a ``DataError`` saying how to add some. Yields progress while decoding.
    """
    from model.samples import load_images, scan_folder, skipped_note

    yield LoadProgress("Reading your samples", 0, 1)
    scan = scan_folder(folder, strict=strict)
    total = len(scan.samples)
    parts = []
    for start in range(0, total, _REPORT_EVERY):
        yield LoadProgress("Reading your samples", start, total)
        parts.append(load_images(scan.samples[start : start + _REPORT_EVERY]))
    yield LoadProgress("Reading your samples", total, total)
    warnings = scan.warnings + tuple(w for part in parts for w in part.warnings)
    samples = tuple(s for part in parts for s in part.samples)
    if not samples:
        raise DataError(
            "no usable samples in {folder}: draw a digit on the Draw tab and press its "
            "key (0-9) to save one, or put <digit>/<name>.png files there{skipped}",
            folder=folder,
            skipped=skipped_note(warnings),
        )
    return LabelledImages(
        SAMPLES_NAME,
        np.concatenate([part.images for part in parts if len(part)]),
        np.concatenate([part.labels for part in parts if len(part)]),
        tuple(_sample_source(s) for s in samples),
        # As load_images read them from each sample's .json: not read a second time.
        tuple(_canvas_strokes(s) for part in parts for s in part.strokes),
        warnings,
    )
