"""Two models side by side from their cards: overall and per-digit test accuracy, recipe, time.

The cards already hold the per-class figures measured on the same MNIST test
set, so this costs no evaluation; *Evaluate side by side* hands both to the
Evaluate tab (``LibraryDialog.compareRequested``) for the images one gets
right and the other wrong.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui.i18n import number
from gui.i18n import percent as locale_percent
from gui.library.labels import recipe_text
from model.library import LibraryEntry

BETTER = QColor("#15803d")
WORSE = QColor("#b91c1c")


def percent(accuracy: float) -> str:
    """``0.9938`` -> ``99.38 %`` (``model.activation.percent`` in the reader's locale)."""
    return locale_percent(accuracy, 2)


def _figure(values: tuple[float, ...], index: int) -> float:
    return values[index] if index < len(values) else math.nan


class ComparisonDialog(QDialog):
    """A table: one row per figure, a column per model, and the difference B - A in points."""

    evaluateRequested = Signal(str, str)  # both paths: run them side by side on real images

    def __init__(self, a: LibraryEntry, b: LibraryEntry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelComparison")
        self.setWindowTitle(self.tr("{a} vs {b}").format(a=a.name, b=b.name))
        assert a.card is not None and b.card is not None
        rows: list[tuple[str, str, str, float]] = [
            (self.tr("Network"), a.network, b.network, math.nan),
            (self.tr("Recipe"), recipe_text(a), recipe_text(b), math.nan),
            (
                self.tr("Test accuracy"),
                percent(a.accuracy),
                percent(b.accuracy),
                b.accuracy - a.accuracy,
            ),
        ]
        for digit in range(10):
            x = _figure(a.card.per_class_accuracy, digit)
            y = _figure(b.card.per_class_accuracy, digit)
            rows.append(
                (self.tr("Digit {digit}").format(digit=digit), percent(x), percent(y), y - x)
            )
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setObjectName("comparisonTable")
        self.table.setHorizontalHeaderLabels([a.name, b.name, self.tr("difference")])
        self.table.setVerticalHeaderLabels([r[0] for r in rows])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (_label, x, y, diff) in enumerate(rows):
            for column, text in enumerate((x, y)):
                self.table.setItem(row, column, QTableWidgetItem(text))
            if not math.isnan(diff):
                signed = ("+" if diff >= 0 else "") + number(100 * diff, 2)
                item = QTableWidgetItem(self.tr("{value} points").format(value=signed))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if abs(diff) >= 0.0005:
                    item.setForeground(BETTER if diff > 0 else WORSE)
                self.table.setItem(row, 2, item)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        evaluate = buttons.addButton(
            self.tr("&Evaluate side by side"), QDialogButtonBox.ButtonRole.ActionRole
        )
        evaluate.setObjectName("evaluateComparisonButton")
        evaluate.setToolTip(
            self.tr(
                "Run both on the same images in the Evaluate tab: confusion matrices and the "
                "images one reads right and the other wrong"
            )
        )
        evaluate.clicked.connect(lambda: self.evaluateRequested.emit(str(a.path), str(b.path)))
        evaluate.clicked.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(QSize(640, 520))
