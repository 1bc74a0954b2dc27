"""Opening a gallery of 1,000 images: the time from the click to its first paint.

    .venv/bin/python bench/gallery.py

A real ``Gallery`` (the Evaluate tab's) is shown 1,000 MNIST-sized images and
the time until its view has painted once is measured, the target being under
300 ms. The thumbnails are made lazily, so it should not depend on the count:
the same is measured for 100 and 10,000 images. Baseline from the same
process: rendering all 1,000 thumbnails up front, as a naive grid would.
Random pictures are enough: the cost does not depend on what they show.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
from PySide6.QtCore import QEvent, QObject  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from gui.evaluate.gallery import Gallery  # noqa: E402
from gui.widgets.thumbnails import digit_pixmap  # noqa: E402
from model.eval_sets import LabelledImages  # noqa: E402
from model.evaluation import Report  # noqa: E402

N = 10_000


class PaintWatch(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.painted = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted = True
        return False


def first_paint_ms(
    app: QApplication, gallery: Gallery, data: LabelledImages, report: Report, count: int
) -> float:
    watch = PaintWatch()
    gallery.view.viewport().installEventFilter(watch)
    indices = np.arange(count)
    start = time.perf_counter()
    gallery.show_images(f"{count} images", data, indices, [report])
    while not watch.painted:
        app.processEvents()
    elapsed = (time.perf_counter() - start) * 1000
    gallery.view.viewport().removeEventFilter(watch)
    return elapsed


def main() -> int:
    app = QApplication.instance() or QApplication([])
    rng = np.random.default_rng(0)
    images = rng.random((N, 28, 28), dtype=np.float32)
    labels = rng.integers(0, 10, N)
    data = LabelledImages("random", images, labels, tuple(f"#{i}" for i in range(N)))
    probabilities = rng.random((N, 10), dtype=np.float32)
    probabilities /= probabilities.sum(1, keepdims=True)
    report = Report("m", "random", labels, probabilities.argmax(1), probabilities, 0.0)
    gallery = Gallery()
    gallery.resize(1000, 700)
    gallery.show()
    for _ in range(20):
        app.processEvents()
    for count in (100, 1000, N):
        times = [first_paint_ms(app, gallery, data, report, count) for _ in range(5)]
        made = gallery.model().rendered()
        print(
            f"{count:>6,} images: first paint {statistics.median(times):.1f} ms "
            f"(median of 5, max {max(times):.1f}); {made} thumbnails rendered"
        )
    start = time.perf_counter()
    for i in range(1000):
        digit_pixmap(images[i])
    print(
        f"baseline, all 1,000 thumbnails rendered up front: {(time.perf_counter() - start) * 1000:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
