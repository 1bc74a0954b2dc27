"""The samples as a Qt list model: one row per sample, thumbnails decoded only when shown.

A ``QListView`` asks for the decoration of the rows it paints, so with 10,000
samples only the few dozen on screen are ever decoded; the thumbnails stay in a
bounded cache. A damaged file gets a placeholder and its tooltip says why; it
never stops the rest from showing.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QImage, QImageReader, QPainter, QPixmap

from gui.i18n import percent
from model.samples import Sample, read_meta

THUMBNAIL = 56  # px: two MNIST digits wide, enough to tell a 4 from a 9 at a glance
CACHE_SIZE = 3000  # thumbnails kept (about 12 MB), several screens' worth
MIME_TYPE = "application/x-digitpad-samples"
SampleRole = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex


def _placeholder() -> QPixmap:
    pixmap = QPixmap(THUMBNAIL, THUMBNAIL)
    pixmap.fill(QColor(0x3A, 0x1D, 0x1D))
    painter = QPainter(pixmap)
    painter.setPen(QColor(0xE8, 0xA3, 0x3D))
    painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, "?")
    painter.end()
    return pixmap


class SamplesModel(QAbstractListModel):
    """Samples of one digit (or all), sorted by (digit, id), with lazy thumbnails."""

    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)
        self._all: list[Sample] = []
        self._rows: list[Sample] = []
        self._digit: int | None = None
        self._cache: OrderedDict[str, QPixmap] = OrderedDict()
        self._broken: dict[str, str] = {}
        self._placeholder: QPixmap | None = None
        self.decoded = 0  # thumbnails decoded so far: the laziness is testable

    # -- contents -----------------------------------------------------------------------

    def set_samples(self, samples: Sequence[Sample]) -> None:
        self.beginResetModel()
        self._all = sorted(samples)
        self._rows = self._filtered()
        live = {str(s.path) for s in self._all}
        for key in [k for k in self._cache if k not in live]:
            del self._cache[key]
        self.endResetModel()

    def set_digit(self, digit: int | None) -> None:
        """Show one digit's samples, or all of them with None."""
        if digit == self._digit:
            return
        self.beginResetModel()
        self._digit = digit
        self._rows = self._filtered()
        self.endResetModel()

    def digit(self) -> int | None:
        return self._digit

    def _filtered(self) -> list[Sample]:
        if self._digit is None:
            return list(self._all)
        return [s for s in self._all if s.label == self._digit]

    def all_samples(self) -> list[Sample]:
        return list(self._all)

    def sample(self, row: int) -> Sample:
        return self._rows[row]

    def samples_at(self, indexes: Sequence[Index]) -> list[Sample]:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        return [self._rows[r] for r in rows]

    def row_of(self, sample: Sample) -> int:
        try:
            return self._rows.index(sample)
        except ValueError:
            return -1

    def counts(self) -> list[int]:
        out = [0] * 10
        for s in self._all:
            out[s.label] += 1
        return out

    # -- Qt model -----------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        sample = self._rows[index.row()]
        if role == Qt.ItemDataRole.DecorationRole:
            return self.thumbnail(sample)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(sample)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.tr("sample of the digit {digit}").format(digit=sample.label)
        if role == SampleRole:
            return sample
        if role == Qt.ItemDataRole.SizeHintRole:
            return QSize(THUMBNAIL + 8, THUMBNAIL + 8)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid():
            return base | Qt.ItemFlag.ItemIsDragEnabled
        return base

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        """The dragged samples' image paths, one per line (the digit list reads them back)."""
        data = QMimeData()
        paths = "\n".join(str(s.path) for s in self.samples_at(indexes))
        data.setData(MIME_TYPE, QByteArray(paths.encode()))
        return data

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    # -- thumbnails ---------------------------------------------------------------------

    def thumbnail(self, sample: Sample) -> QPixmap:
        key = str(sample.path)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        reader = QImageReader(key)
        size = reader.size()
        if size.isValid():  # decoders downscale while reading; a scan keeps its shape
            reader.setScaledSize(
                size.scaled(THUMBNAIL, THUMBNAIL, Qt.AspectRatioMode.KeepAspectRatio)
            )
        image: QImage = reader.read()
        self.decoded += 1
        if image.isNull():
            self._broken[key] = reader.errorString()
            if self._placeholder is None:
                self._placeholder = _placeholder()
            pixmap = self._placeholder
        else:
            self._broken.pop(key, None)
            pixmap = QPixmap.fromImage(image)
        self._cache[key] = pixmap
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return pixmap

    def _tooltip(self, sample: Sample) -> str:
        lines = [f"{sample.label} · {sample.path.name}"]
        if str(sample.path) in self._broken:
            lines.append(
                self.tr("Cannot read this picture: {error}").format(
                    error=self._broken[str(sample.path)]
                )
            )
        meta = read_meta(sample)
        if meta:
            predicted, confidence = meta.get("prediction"), meta.get("confidence")
            if isinstance(predicted, int) and isinstance(confidence, (int, float)):
                lines.append(
                    self.tr("Read as {digit} ({confidence}) by {model}").format(
                        digit=predicted, confidence=percent(confidence, 0), model=meta.get("model")
                    )
                )
            if isinstance(meta.get("created"), str):
                lines.append(
                    self.tr("Saved {time} UTC").format(time=meta["created"].replace("T", " ")[:16])
                )
        return "\n".join(lines)
