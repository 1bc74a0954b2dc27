"""A grid of 28x28 digit thumbnails that stays fast with tens of thousands of images.

The model hands rows to the view a page at a time (``canFetchMore`` /
``fetchMore``: the view asks for the next page as it scrolls near the end),
and a thumbnail is rendered only when the view first paints it, then cached.
Opening a grid of 1,000 images therefore renders the few dozen on screen, not
all of them; ``bench/gallery.py`` measures the time to first paint.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

PAGE = 240  # rows handed to the view per fetch
THUMB = 56  # px: 2x the 28 px image, every pixel a crisp 2x2 square
INDEX_ROLE = Qt.ItemDataRole.UserRole + 1  # the image's index in the data set

_Index = QModelIndex | QPersistentModelIndex


def digit_pixmap(image: np.ndarray, side: int = THUMB) -> QPixmap:
    """A [0, 1] 28x28 image (ink = 1) as a pixmap, dark ink on white, nearest-neighbour scaled."""
    pixels = np.ascontiguousarray(255 - np.clip(image * 255.0 + 0.5, 0, 255).astype(np.uint8))
    h, w = pixels.shape
    small = QImage(pixels.data, w, h, w, QImage.Format.Format_Grayscale8)
    return QPixmap.fromImage(
        small.scaled(side, side, mode=Qt.TransformationMode.FastTransformation)
    )


class ThumbnailModel(QAbstractListModel):
    """Rows are ``indices`` into ``images``; thumbnails and tooltips are made when first asked."""

    def __init__(
        self,
        images: np.ndarray,
        indices: np.ndarray,
        *,
        tooltip: Callable[[int], str] | None = None,
        caption: Callable[[int], str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._images = images
        self._indices = np.asarray(indices, dtype=np.int64)
        self._tooltip = tooltip
        self._caption = caption
        self._shown = min(PAGE, len(self._indices))
        self._cache: dict[int, QPixmap] = {}

    def total(self) -> int:
        """All the images of the grid, shown or not yet fetched."""
        return len(self._indices)

    def indices(self) -> np.ndarray:
        return self._indices.copy()

    def rendered(self) -> int:
        """How many thumbnails have been rendered so far (the laziness, for tests and benches)."""
        return len(self._cache)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else self._shown

    def canFetchMore(self, parent: _Index) -> bool:
        return not parent.isValid() and self._shown < len(self._indices)

    def fetchMore(self, parent: _Index) -> None:
        if parent.isValid():
            return
        more = min(PAGE, len(self._indices) - self._shown)
        if more <= 0:
            return
        self.beginInsertRows(QModelIndex(), self._shown, self._shown + more - 1)
        self._shown += more
        self.endInsertRows()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self._shown:
            return None
        i = int(self._indices[index.row()])
        if role == Qt.ItemDataRole.DecorationRole:
            pixmap = self._cache.get(i)
            if pixmap is None:
                pixmap = self._cache[i] = digit_pixmap(self._images[i])
            return pixmap
        if role == Qt.ItemDataRole.DisplayRole:
            return self._caption(i) if self._caption else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(i) if self._tooltip else None
        if role == INDEX_ROLE:
            return i
        return None


class ThumbnailView(QListView):
    """An icon-mode list tuned for thousands of same-sized items."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setMovement(QListView.Movement.Static)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(True)  # one size for all: no per-item measuring
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(PAGE)
        self.setIconSize(QSize(THUMB, THUMB))
        self.setGridSize(QSize(THUMB + 22, THUMB + 26))
        self.setSpacing(2)
        self.setWordWrap(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
