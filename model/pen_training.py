"""Real pen digits as extra training data: a shipped UNIPEN subset, rendered like drawings.

MNIST lacks styles that people draw every day: crossed zeros, ones with a long
flag, hooked nines (issue 6: most of the shipped cnn's misses on real pen
digits). Three UNIPEN 1a collections ship with the app (``assets/pen_digits/``,
CC BY 4.0, attribution in its README) so the Train tab can offer "MNIST + real
pen digits" offline. They are replayed and rendered exactly as a drawing on the
canvas (``model.pen_benchmark.network_inputs`` -> ``model.strokes``), then
repeated ``COPIES`` times next to MNIST's 60,000 images.

Every real-pen figure of a model trained this way must come from the other
collections (``TRAIN_COLLECTIONS`` names the ones trained on).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Generator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import torch

from model.data import Mnist, Split
from model.events import DataProgress
from model.paths import assets_dir
from model.pen_benchmark import SIZES, network_inputs
from model.pen_digits import find_pen_digits, load_pen_digits

if TYPE_CHECKING:
    from model.checkpoints import ModelCard

# Fixed by collection before any model was trained on them: the two collections with
# the styles MNIST lacks most (gmd, uqb: crossed zeros, flagged ones) and the largest
# one (apb). The other nine collections (4,040 digits) stay for measuring.
TRAIN_COLLECTIONS = ("apb", "gmd", "uqb")
# The rest, shipped apart (model.paths.shipped_held_out_pen_digits) for Evaluate.
HELD_OUT_COLLECTIONS = ("aga", "apa", "app", "art", "cea", "ceb", "ced", "imp", "pri")
COPIES = 3  # about 11,000 pen images next to MNIST's 60,000
PEN_DATASET = f"MNIST + real pen digits (UNIPEN 1a: {', '.join(TRAIN_COLLECTIONS)})"


def collections_trained_on(card: ModelCard | None) -> tuple[str, ...]:
    """The pen-digit collections a model learned from: its figures on them are no test.

    A model trained with pen digits (its own card, or for an ensemble or a
    personalized model the card it took over) saw every digit of these.
    """
    if card is not None and card.hyperparameters.get("pen_digits") is True:
        return TRAIN_COLLECTIONS
    return ()


FILE_NAME = "unipen_1a_train.json.gz"
CHUNK = 250  # digits rendered between progress events


def shipped_pen_digits() -> Path:
    return assets_dir() / "pen_digits" / FILE_NAME


def iter_pen_split(
    path: Path | str | None = None,
) -> Generator[DataProgress, None, Split]:
    """The pen digits at ``path`` (default: the shipped ones) as a normalised training split.

    Yields progress while it renders (a few seconds for the shipped 3,776 digits)
    and returns the split (``yield from`` gets it). A missing or malformed file is
    a ``DataError``.
    """
    digits = load_pen_digits(path if path is not None else shipped_pen_digits())
    images = np.empty((len(digits), 28, 28), dtype=np.float32)
    for start in range(0, len(digits), CHUNK):
        yield DataProgress("Rendering real pen digits", start, len(digits))
        part = digits[start : start + CHUNK]
        images[start : start + len(part)] = network_inputs(part, SIZES["normal"])
    yield DataProgress("Rendered real pen digits", len(digits), len(digits))
    labels = torch.tensor([d.label for d in digits], dtype=torch.long)
    return Split(torch.from_numpy(images), labels)


def with_pen_digits(data: Mnist, pen: Split, copies: int = COPIES) -> Mnist:
    """MNIST's training split followed by ``copies`` of ``pen``; the test split is MNIST's."""
    images = torch.cat([data.train.images, *([pen.images] * copies)])
    labels = torch.cat([data.train.labels, *([pen.labels] * copies)])
    return Mnist(train=Split(images, labels), test=data.test, root=data.root)


def write_subset(source: Path | str, dest: Path | str, collections: tuple[str, ...]) -> int:
    """Copy the records of ``collections`` from UNIPEN's file into ``dest``, byte-reproducibly.

    How ``assets/pen_digits/`` was made (``make pen-digits``); returns the count.
    """
    with gzip.open(find_pen_digits(source), "rt", encoding="utf-8") as f:
        records = json.load(f)
    wanted = set(collections)
    kept = [r for r in records if str(r["writer"]).split("/", 1)[0] in wanted]
    text = json.dumps(kept, separators=(",", ":"))
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    # No name and no time in the gzip header: the same records give the same bytes.
    with open(dest, "wb") as raw, gzip.GzipFile("", "wb", fileobj=raw, mtime=0) as f:
        f.write(text.encode("utf-8"))
    return len(kept)
