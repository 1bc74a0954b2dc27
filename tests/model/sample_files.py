"""A sample store filled with real pen digits through the store's own API, for tests."""

from __future__ import annotations

from pathlib import Path

from model.pen_benchmark import replay
from model.pen_digits import load_pen_digits
from model.samples import SampleStore, render_sample


def fill_store(root: Path, unipen: Path, count: int = 30) -> SampleStore:
    """``count`` real pen digits saved as the Draw tab saves drawings, plus three odd files.

    The digits are replayed into the canvas's units (as the canvas records a
    drawing), one more is stored in tablet units, one is a picture dropped in
    without strokes, and one file is damaged.
    """
    store = SampleStore(root)
    digits = load_pen_digits(unipen)
    for d in digits[:count]:
        store.add_drawing(replay(d.strokes, 330), d.label, pen_width=0.085, canvas_size=510)
    tablet = digits[count]
    store.add_drawing(tablet.strokes, tablet.label, pen_width=0.085, canvas_size=510)
    dropped = digits[count + 1]
    store.add_image(render_sample(replay(dropped.strokes, 330)), dropped.label)
    (root / "4" / "damaged.png").write_bytes(b"\x89PNG\r\n\x1a\n cut short")
    return store
