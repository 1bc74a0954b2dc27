"""The model library window: every model with its figures; activate, rename, delete, compare.

A thin view over ``model.library``: the list, the names (stored in each model
card), the trash and its undo are the core's; this window only shows them and
forwards the user's choices. Activation goes back to the main window
(``activateRequested``), which owns the active model and its Revert history.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSize, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QAction, QDesktopServices, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui.i18n import error_text, number
from gui.library.comparison import ComparisonDialog, percent
from gui.library.labels import recipe_text
from model.errors import DigitpadError
from model.library import LibraryEntry, Trashed, list_models, move_to_trash, rename, restore

if TYPE_CHECKING:
    from model.checkpoints import ModelCard

COLUMNS = (
    QT_TRANSLATE_NOOP("LibraryDialog", "Name"),
    QT_TRANSLATE_NOOP("LibraryDialog", "Network"),
    QT_TRANSLATE_NOOP("LibraryDialog", "Test accuracy"),
    QT_TRANSLATE_NOOP("LibraryDialog", "Real pen"),
    QT_TRANSLATE_NOOP("LibraryDialog", "Your handwriting"),
    QT_TRANSLATE_NOOP("LibraryDialog", "Created"),
    QT_TRANSLATE_NOOP("LibraryDialog", "Training time"),
    QT_TRANSLATE_NOOP("LibraryDialog", "Size"),
    QT_TRANSLATE_NOOP("LibraryDialog", "Recipe"),
)
NAME, NETWORK, ACCURACY, REAL_PEN, OWN, CREATED, TIME, SIZE, RECIPE = range(len(COLUMNS))
SORT_ROLE = Qt.ItemDataRole.UserRole + 1


def _size(n: int) -> str:
    return f"{number(n / 1e6, 1)} MB" if n >= 1e6 else f"{max(1, round(n / 1e3))} kB"


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{number(seconds, 1)} s"
    minutes, secs = divmod(round(seconds), 60)
    return QCoreApplication.translate("LibraryDialog", "{minutes}:{seconds} min").format(
        minutes=minutes, seconds=f"{secs:02d}"
    )


class _Item(QTableWidgetItem):
    """A cell that sorts by a hidden key (accuracy as a number, not as text)."""

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.data(SORT_ROLE), other.data(SORT_ROLE)
        if mine is None or theirs is None:
            return super().__lt__(other)
        return mine < theirs


class LibraryDialog(QDialog):
    """Lists ``model.library.list_models()``; one row per model file, the active one in bold."""

    activateRequested = Signal(str)  # the path of the model the user wants active
    modelsChanged = Signal()  # a model was renamed, deleted or restored
    compareRequested = Signal(str, str)  # two model paths, to evaluate side by side

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelLibrary")
        self.setWindowTitle(self.tr("Model library"))
        self.setModal(False)
        self._active: Path | None = None
        self._entries: list[LibraryEntry] = []
        self._undo: list[list[Trashed]] = []
        self._filling = False

        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("libraryTable")
        self.table.setAccessibleName(self.tr("Models"))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(RECIPE, QHeaderView.ResizeMode.Stretch)
        # Unsorted until the user clicks a heading: the library's own order (yours,
        # newest first, then the shipped ones) is the useful one.
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemChanged.connect(self._on_item_changed)
        self.table.itemDoubleClicked.connect(self._on_activate)

        self.activate_button = self._button(
            self.tr("&Activate"), "activateButton", self._on_activate
        )
        self.rename_button = self._button(self.tr("&Rename…"), "renameButton", self._on_rename)
        self.delete_button = self._button(self.tr("&Delete"), "deleteButton", self._on_delete)
        self.undo_button = self._button(self.tr("&Undo delete"), "undoDeleteButton", self._on_undo)
        self.reveal_button = self._button(
            self.tr("&Show in folder"), "revealButton", self._on_reveal
        )
        self.compare_button = self._button(self.tr("&Compare"), "compareButton", self._on_compare)
        self.activate_button.setToolTip(self.tr("Use the selected model to read drawings (Enter)"))
        self.rename_button.setToolTip(self.tr("Give the model a name of your own (F2)"))
        self.delete_button.setToolTip(
            self.tr("Move the model to the trash (Delete); Undo brings it back")
        )
        self.compare_button.setToolTip(self.tr("Compare two selected models digit by digit"))

        self.undo_action = QAction(self.tr("Undo delete"), self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.triggered.connect(self._on_undo)
        delete_action = QAction(self.tr("Delete"), self)
        delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        delete_action.triggered.connect(self._on_delete)
        self.addActions([self.undo_action, delete_action])

        self.status = QLabel(self)
        self.status.setObjectName("libraryStatus")
        self.status.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.close)

        buttons = QHBoxLayout()
        for button in (
            self.activate_button,
            self.rename_button,
            self.delete_button,
            self.undo_button,
            self.compare_button,
            self.reveal_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(close)
        self.resize(QSize(980, 420))
        self._update_buttons()

    def _button(self, text: str, name: str, slot: object) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    # -- public ----------------------------------------------------------

    @property
    def entries(self) -> list[LibraryEntry]:
        return list(self._entries)

    def set_active(self, path: Path | None) -> None:
        """Mark ``path`` as the active model (bold, and it cannot be deleted)."""
        self._active = path.resolve() if path else None
        self._mark_active()
        self._update_buttons()

    def refresh(self) -> None:
        """Read the folders again and show every model, keeping the selection."""
        selected = {e.path for e in self.selected_entries()}
        self._entries = list_models()
        self._filling = True
        self.table.setSortingEnabled(False)
        self.table.clearContents()
        self.table.setRowCount(len(self._entries))
        for row, entry in enumerate(self._entries):
            self._fill_row(row, entry)
        self.table.setSortingEnabled(True)
        self._filling = False
        self._mark_active()
        for row in range(self.table.rowCount()):
            if self._entry_at(row).path in selected:
                self.table.selectRow(row)
        self._update_buttons()

    def select_path(self, path: Path) -> None:
        self.table.clearSelection()
        for row in range(self.table.rowCount()):
            if self._entry_at(row).path == path:
                self.table.selectRow(row)
                self.table.setCurrentCell(row, NAME)

    def selected_entries(self) -> list[LibraryEntry]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self._entry_at(row) for row in rows]

    # -- rows ------------------------------------------------------------

    def _entry_at(self, row: int) -> LibraryEntry:
        return self.table.item(row, NAME).data(Qt.ItemDataRole.UserRole)

    def _fill_row(self, row: int, entry: LibraryEntry) -> None:
        card = entry.card
        accuracy = entry.accuracy
        cells = {
            NAME: (self._name(entry), entry.name.lower()),
            NETWORK: (entry.network or "?", entry.network),
            ACCURACY: ("" if math.isnan(accuracy) else percent(accuracy), accuracy),
            REAL_PEN: _figure(_real_pen(card)),
            OWN: _figure(_own_handwriting(card)),
            CREATED: (entry.created, entry.created),
            TIME: (
                _duration(card.train_seconds) if card else "",
                card.train_seconds if card else 0,
            ),
            SIZE: (_size(entry.size_bytes), entry.size_bytes),
            RECIPE: (recipe_text(entry) if card else entry.error, entry.recipe),
        }
        for column, (text, key) in cells.items():
            item = _Item(text)
            item.setData(SORT_ROLE, -1.0 if isinstance(key, float) and math.isnan(key) else key)
            flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
            if column == NAME and not entry.shipped and card is not None:
                flags |= Qt.ItemFlag.ItemIsEditable
            item.setFlags(flags)
            tip = text if column == RECIPE else str(entry.path)
            item.setToolTip(tip if card else entry.error)
            if column in (ACCURACY, REAL_PEN, OWN, TIME, SIZE):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, column, item)
        self.table.item(row, NAME).setData(Qt.ItemDataRole.UserRole, entry)

    def _mark_active(self) -> None:
        self._filling = True
        for row in range(self.table.rowCount()):
            entry = self._entry_at(row)
            active = self._active is not None and entry.path.resolve() == self._active
            for column in range(self.table.columnCount()):
                item = self.table.item(row, column)
                font = QFont(item.font())
                font.setBold(active)
                item.setFont(font)
            name = self.table.item(row, NAME)
            name.setText(self._name(entry))
            if active:
                name.setText(name.text() + self._active_suffix())
        self._filling = False

    def _name(self, entry: LibraryEntry) -> str:
        if entry.shipped:
            return self.tr("{name} (shipped)").format(name=entry.name)
        return entry.name

    def _active_suffix(self) -> str:
        return self.tr(" — active")

    def _is_active(self, entry: LibraryEntry) -> bool:
        return self._active is not None and entry.path.resolve() == self._active

    # -- slots -----------------------------------------------------------

    @Slot()
    def _update_buttons(self) -> None:
        chosen = self.selected_entries()
        one = len(chosen) == 1
        readable = [e for e in chosen if e.card is not None]
        mine = [e for e in chosen if not e.shipped]
        self.activate_button.setEnabled(one and bool(readable) and not self._is_active(chosen[0]))
        self.rename_button.setEnabled(one and bool(mine) and bool(readable))
        self.delete_button.setEnabled(bool(mine))
        self.compare_button.setEnabled(len(readable) == 2 == len(chosen))
        self.reveal_button.setEnabled(one)
        self.undo_button.setEnabled(bool(self._undo))
        self.undo_action.setEnabled(bool(self._undo))

    @Slot()
    def _on_activate(self) -> None:
        chosen = self.selected_entries()
        if len(chosen) == 1 and chosen[0].card is not None:
            self.activateRequested.emit(str(chosen[0].path))

    @Slot()
    def _on_rename(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if len(rows) == 1:
            self.table.editItem(self.table.item(rows[0].row(), NAME))

    @Slot(QTableWidgetItem)
    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != NAME:
            return
        entry = self._entry_at(item.row())
        try:
            rename(entry.path, item.text().removesuffix(self._active_suffix()))
        except DigitpadError as exc:
            self.status.setText(error_text(exc))
        else:
            self.status.setText(
                self.tr("Renamed {old} to {new}.").format(old=entry.name, new=item.text())
            )
            self.modelsChanged.emit()
        self.refresh()

    @Slot()
    def _on_delete(self) -> None:
        chosen = [e for e in self.selected_entries() if not e.shipped]
        if not chosen:
            return
        if any(self._is_active(e) for e in chosen):
            self.status.setText(
                self.tr("The active model cannot be deleted: activate another one first.")
            )
            return
        moved: list[Trashed] = []
        for entry in chosen:
            try:
                moved.append(move_to_trash(entry.path))
            except (DigitpadError, OSError) as exc:
                self.status.setText(
                    self.tr("Could not delete {name}: {error}").format(
                        name=entry.name, error=error_text(exc)
                    )
                )
        if moved:
            self._undo.append(moved)
            names = ", ".join(e.name for e in chosen[: len(moved)])
            self.status.setText(
                self.tr("Moved {names} to the trash. Undo (Ctrl+Z) brings it back.").format(
                    names=names
                )
            )
            self.modelsChanged.emit()
        self.refresh()

    @Slot()
    def _on_undo(self) -> None:
        if not self._undo:
            return
        restored = []
        for item in self._undo.pop():
            try:
                restored.append(restore(item))
            except (DigitpadError, OSError) as exc:
                self.status.setText(error_text(exc))
        if restored:
            self.status.setText(
                self.tr("Restored {names}.").format(names=", ".join(p.name for p in restored))
            )
            self.modelsChanged.emit()
        self.refresh()
        for path in restored:
            self.select_path(path)

    @Slot()
    def _on_reveal(self) -> None:
        chosen = self.selected_entries()
        if len(chosen) == 1:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(chosen[0].path.parent)))

    @Slot()
    def _on_compare(self) -> None:
        chosen = self.selected_entries()
        if len(chosen) != 2:
            return
        old = self.findChild(ComparisonDialog)
        if old is not None:
            old.setObjectName("")
            old.close()
            old.deleteLater()
        comparison = ComparisonDialog(chosen[0], chosen[1], self)
        comparison.evaluateRequested.connect(self.compareRequested)
        comparison.show()


def _real_pen(card: ModelCard | None) -> float:
    """Real pen digits at normal size, on collections the model never trained on (its card)."""
    value = card.real_pen.get("normal") if card is not None else None
    return float(value) if isinstance(value, int | float) else math.nan


def _own_handwriting(card: ModelCard | None) -> float:
    """The user's samples after personalizing, cross-validated (the personalization record)."""
    after = card.personalization.get("after") if card is not None else None
    value = after.get("samples_accuracy") if isinstance(after, dict) else None
    return float(value) if isinstance(value, int | float) else math.nan


def _figure(value: float) -> tuple[str, float]:
    """A cell's text and sort key: blank where the card has no such figure."""
    return ("" if math.isnan(value) else percent(value), value)
