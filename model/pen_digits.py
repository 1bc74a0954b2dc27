"""Real pen-drawn digits (UNIPEN 1a): the yardstick for "reads real handwriting".

The records are strokes, not pictures, so they go through ``model.strokes``
exactly as a drawing on the canvas does. The full set lies outside the
repository (``../shared/data/unipen/``); ``tests/data/unipen/`` holds a small
subset with its attribution (CC BY 4.0). Pure Python + numpy: no Qt, no torch.
"""

from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass
from pathlib import Path

from model.errors import DataError
from model.messages import Message
from model.strokes import Strokes

FILE_NAME = "unipen_1a_dev.json.gz"


@dataclass(frozen=True)
class PenDigit:
    """One digit as written on a tablet; ``strokes`` in the tablet's units, y down."""

    label: int
    writer: str  # the UNIPEN segmentation file, "<collection>/<stem>"
    person: str  # "<collection>/<writer id>": group by this to simulate one user
    strokes: tuple[tuple[tuple[float, float], ...], ...]

    @property
    def collection(self) -> str:
        return self.writer.split("/", 1)[0]


def find_pen_digits(folder: Path | str) -> Path:
    """The data file in ``folder`` (or ``folder`` itself when it is the file)."""
    path = Path(folder)
    if path.is_dir():
        path = path / FILE_NAME
    if not path.is_file():
        raise DataError(
            "real pen digits not found: expected {file} in {folder}", file=FILE_NAME, folder=folder
        )
    return path


def _strokes(raw: object) -> tuple[tuple[tuple[float, float], ...], ...]:
    if not isinstance(raw, list):
        raise ValueError(Message("strokes is not a list"))
    out = []
    for stroke in raw:
        points = tuple((float(x), float(y)) for x, y in stroke)
        if any(not (math.isfinite(x) and math.isfinite(y)) for x, y in points):
            raise ValueError(Message("a point is not finite"))
        out.append(points)
    return tuple(out)


def load_pen_digits(folder: Path | str) -> list[PenDigit]:
    """Every record of the data file, in file order; a malformed file is a ``DataError``."""
    path = find_pen_digits(folder)
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            records = json.load(f)
        if not isinstance(records, list):
            raise ValueError(Message("not a list of records"))
        digits = []
        for r in records:
            label = r["label"]
            if not isinstance(label, int) or not 0 <= label <= 9:
                raise ValueError(Message("label {label!r} is not a digit", label=label))
            digits.append(
                PenDigit(label, str(r["writer"]), str(r["person"]), _strokes(r["strokes"]))
            )
    except (OSError, EOFError, ValueError, KeyError, TypeError) as exc:
        raise DataError(
            "cannot read real pen digits from {path}: {error}", path=path, error=exc
        ) from None
    return digits


def as_strokes(digit: PenDigit) -> Strokes:
    return digit.strokes
