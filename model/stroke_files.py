"""Drawings as stroke files (``.json``): what ``digitpad predict`` reads besides pictures.

A drawing kept as vectors reads better than a picture of it: the network's
input is rendered from the strokes with a pen relative to the digit's size
(``model.strokes``), exactly as on the Draw tab. The format::

    {"strokes": [[[x, y], [x, y], ...], [[x, y], ...]], "side": 1}

- ``strokes``: one list of points per pen-down stroke, in drawing order; x to
  the right, y **down** (as on a screen). Any units.
- ``side`` (optional, default 1): the side of the square the strokes were
  drawn in, in the same units. The Draw tab records fractions of its canvas
  (``side`` 1); points in pixels of a 510 px canvas would give ``"side": 510``.
  Recognition does not depend on it; only the "a dot, not a digit" check does.

Pure Python + numpy: no Qt, no torch.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from model.errors import ImageError
from model.files import atomic_writer

SUFFIX = ".json"
MAX_BYTES = 20_000_000  # a drawing is kilobytes; refuse to parse anything absurd


@dataclass(frozen=True)
class StrokeDrawing:
    """The strokes of one drawing and the side of the square they were drawn in."""

    strokes: tuple[tuple[tuple[float, float], ...], ...]
    side: float = 1.0


def is_stroke_file(path: Path | str) -> bool:
    return Path(path).suffix.lower() == SUFFIX


def parse_drawing(raw: object) -> StrokeDrawing:
    """A stroke file's object (or a sample's ``.json``) as a drawing; ``ValueError`` saying what is wrong."""
    if not isinstance(raw, dict) or not isinstance(raw.get("strokes"), list):
        raise ValueError('expected an object with a "strokes" list')
    strokes = []
    for stroke in raw["strokes"]:
        if not isinstance(stroke, list):
            raise ValueError("each stroke must be a list of [x, y] points")
        points = []
        for point in stroke:
            if (
                not isinstance(point, list)
                or len(point) != 2
                or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in point)
            ):
                raise ValueError(f"a point must be [x, y] numbers, not {json.dumps(point)[:40]}")
            x, y = float(point[0]), float(point[1])
            if not (math.isfinite(x) and math.isfinite(y)):
                raise ValueError("a point is not a finite number")
            points.append((x, y))
        strokes.append(tuple(points))
    side = raw.get("side", 1.0)
    if isinstance(side, bool) or not isinstance(side, int | float) or not side > 0:
        raise ValueError(f'"side" must be a positive number, not {side!r}')
    if not math.isfinite(side):
        raise ValueError('"side" must be finite')
    return StrokeDrawing(tuple(strokes), float(side))


def read_stroke_file(path: Path | str) -> StrokeDrawing:
    """Read and check a stroke file; anything wrong is an ``ImageError`` saying what."""
    path = Path(path)
    if not path.is_file():
        raise ImageError("stroke file not found: {path}", path=path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ValueError(f"larger than {MAX_BYTES // 1_000_000} MB")
        with path.open(encoding="utf-8") as f:
            raw = json.load(f)
        return parse_drawing(raw)
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ImageError(
            "cannot read {path} as a stroke file: {error}", path=path, error=exc
        ) from None


def write_stroke_file(path: Path | str, drawing: StrokeDrawing) -> Path:
    """Write ``drawing`` atomically in the format above."""
    path = Path(path)
    payload = {"strokes": [[list(p) for p in s] for s in drawing.strokes], "side": drawing.side}
    with atomic_writer(path) as f:
        f.write(json.dumps(payload, separators=(",", ":")).encode())
    return path
