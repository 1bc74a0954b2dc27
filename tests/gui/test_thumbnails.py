"""The thumbnail grid: pages of rows, thumbnails made only when painted."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from gui.evaluate.gallery import Gallery
from gui.widgets.thumbnails import INDEX_ROLE, PAGE
from model.eval_sets import LabelledImages
from model.evaluation import Report


def _data(n: int) -> tuple[LabelledImages, Report]:
    rng = np.random.default_rng(0)
    images = rng.random((n, 28, 28), dtype=np.float32)
    labels = rng.integers(0, 10, n)
    p = rng.random((n, 10), dtype=np.float32)
    p /= p.sum(1, keepdims=True)
    data = LabelledImages("random", images, labels, tuple(f"#{i}" for i in range(n)))
    return data, Report("m", "random", labels, p.argmax(1), p, 0.0)


def test_a_large_gallery_is_paged_and_lazy(qtbot) -> None:
    data, report = _data(3000)
    gallery = Gallery()
    qtbot.addWidget(gallery)
    gallery.resize(800, 600)
    gallery.show()
    qtbot.waitExposed(gallery)
    wanted = np.arange(5, 3000, 2)  # 1,498 images
    gallery.show_images("odd ones", data, wanted, [report])
    qtbot.wait(50)
    model = gallery.model()
    assert model.total() == len(wanted) and model.rowCount() == PAGE
    assert 0 < model.rendered() < 200  # only what is on screen
    assert gallery.indices() == wanted.tolist()
    while model.canFetchMore(model.index(-1)):
        gallery.view.scrollToBottom()
        qtbot.wait(10)
    assert model.rowCount() == len(wanted)
    last = model.index(model.rowCount() - 1)
    assert last.data(INDEX_ROLE) == wanted[-1]
    assert model.rendered() < len(wanted)
    assert "1,498 images" in gallery.title.text()
    tip = last.data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith(f"#{wanted[-1]}")
