"""The number mode's answer: the number read from the wide canvas, digit by digit.

Each digit is shown large with the network's confidence underneath; a digit
below ``LOW_CONFIDENCE`` is drawn in the warning colour with a ⚠. Clicking a
digit (or Enter on it, after Tab and the arrow keys) opens its three likeliest
readings; picking one fixes that digit without redrawing the rest (typing a
digit on it picks any digit, for when the right one is not among the three).
Every pick, the network's own answer confirmed included, emits ``picked`` with
the digit's own strokes, which the Draw tab keeps as a sample of the user's
handwriting. Ctrl+C copies the number.

The reading itself is ``model.segmentation.read_strokes``: every digit goes
through ``model.strokes.strokes_to_steps``, the one path to the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QPoint, QRect, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QPushButton, QVBoxLayout, QWidget

from gui import i18n
from model.segmentation import NumberReading, read_strokes

if TYPE_CHECKING:
    from torch import nn

    from model.stroke_match import StrokeMemory

LOW_CONFIDENCE = 0.6  # as for the single digit: below this a digit is marked as a guess
WARNING = QColor(0xE8, 0xA3, 0x3D)
DIGIT_PX = 64
MIN_DIGIT_PX = 14  # a long number's digits shrink down to this
PAD = 10  # around each digit's cell

MESSAGE_MS = 4000  # how long "Saved as 4 · 23 samples of yours" stays
PROMPT = QT_TRANSLATE_NOOP(
    "NumberView", "Write a number: several digits side by side, then click a digit to correct it."
)
HINT = QT_TRANSLATE_NOOP(
    "NumberView", "Click a digit to correct it (it is saved as a sample of yours) · Ctrl+C copies"
)
DIGIT_KEYS = {getattr(Qt.Key, f"Key_{d}"): d for d in range(10)}


@dataclass(frozen=True)
class Cell:
    """One digit as shown: the digit, the network's confidence in it, and whether it was picked."""

    digit: int
    confidence: float
    picked: bool = False


@dataclass(frozen=True)
class PickedDigit:
    """A digit the user named: its strokes (canvas units, y down) and the right label.

    ``label == prediction`` when the user confirmed the network's own reading.
    """

    index: int
    strokes: tuple[tuple[tuple[float, float], ...], ...]
    label: int
    prediction: int
    confidence: float


class NumberLabel(QLabel):
    """The number, one cell per digit: the digit large, its confidence underneath.

    ``text()`` is the number as plain text (what Ctrl+C copies and a screen
    reader reads); the cells are painted.
    """

    digitActivated = Signal(int)  # a digit was clicked, or Enter/Space pressed on it
    digitTyped = Signal(int, int)  # (index, digit): a digit key pressed on a digit

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("numberLabel")
        self.setAccessibleName(self.tr("Number read"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._cells: list[Cell] = []
        self._hover = -1
        self._current = 0
        self._digit_font = QFont(self.font())
        self._digit_font.setPixelSize(DIGIT_PX)
        self._digit_font.setBold(True)
        self._small_font = QFont(self.font())

    def cells(self) -> list[Cell]:
        return list(self._cells)

    def set_cells(self, cells: list[Cell]) -> None:
        self._cells = list(cells)
        self._current = min(self._current, max(0, len(cells) - 1))
        self._hover = -1
        number = "".join(str(c.digit) for c in cells)
        self.setText(number)
        self.setAccessibleDescription(
            ", ".join(
                f"{c.digit} ({i18n.percent(c.confidence, 0)}"
                + (self.tr(", low confidence") if self._is_low(c) else "")
                + ")"
                for c in cells
            )
        )
        self.updateGeometry()
        self.update()

    def _is_low(self, cell: Cell) -> bool:
        return not cell.picked and cell.confidence < LOW_CONFIDENCE

    # -- geometry -----------------------------------------------------------------------

    def _cell_size(self) -> QSize:
        """A cell at full size: room for any digit and for "⚠ 100 %" under it."""
        digit = QFontMetrics(self._digit_font)
        small = QFontMetrics(self._small_font)
        width = max(
            digit.horizontalAdvance("0") + 2 * PAD, small.horizontalAdvance("⚠ 100 %") + PAD
        )
        return QSize(width, digit.height() + small.height() + 2 * PAD)

    def _scale(self) -> float:
        """1, or less for a number too long for the width: cells shrink, the window never grows."""
        natural = self._cell_size().width() * len(self._cells)
        return 1.0 if natural <= self.width() else self.width() / natural

    def cell_rect(self, index: int) -> QRect:
        """Where digit ``index`` is drawn (and clicked), in this widget's coordinates."""
        size = self._cell_size()
        width = max(1, int(size.width() * self._scale()))
        total = width * len(self._cells)
        left = max(0, (self.width() - total) // 2)
        top = max(0, (self.height() - size.height()) // 2)
        return QRect(left + index * width, top, width, size.height())

    def cell_at(self, pos: QPoint) -> int:
        for i in range(len(self._cells)):
            if self.cell_rect(i).contains(pos):
                return i
        return -1

    def sizeHint(self) -> QSize:
        size = self._cell_size()
        return QSize(size.width() * 4, size.height())

    def minimumSizeHint(self) -> QSize:
        return self._cell_size()

    # -- painting -----------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        accent = palette.color(QPalette.ColorRole.Highlight)
        digit_font = QFont(self._digit_font)
        digit_font.setPixelSize(max(MIN_DIGIT_PX, round(DIGIT_PX * self._scale())))
        digit_height = QFontMetrics(self._digit_font).height()  # the row keeps its height
        small = QFontMetrics(self._small_font)
        for i, cell in enumerate(self._cells):
            rect = self.cell_rect(i)
            if i == self._hover:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(palette.color(QPalette.ColorRole.Midlight))
                painter.drawRoundedRect(rect.adjusted(2, 2, -2, -2), 6, 6)
            if i == self._current and self.hasFocus():
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.setPen(QPen(accent, 1.5, Qt.PenStyle.DashLine))
                painter.drawRoundedRect(rect.adjusted(2, 2, -2, -2), 6, 6)
            low = self._is_low(cell)
            colour = WARNING if low else accent if cell.picked else text
            painter.setPen(colour)
            painter.setFont(digit_font)
            top = rect.adjusted(0, PAD, 0, 0)
            top.setHeight(digit_height)
            painter.drawText(top, Qt.AlignmentFlag.AlignCenter, str(cell.digit))
            painter.setFont(self._small_font)
            below = QRect(rect.left(), top.bottom(), rect.width(), rect.bottom() - top.bottom())
            # The longest caption that fits a (shrunken) cell; the colour still warns.
            caption = next(
                (c for c in self._captions(cell) if small.horizontalAdvance(c) <= rect.width() - 8),
                "",
            )
            painter.setPen(
                colour if low or cell.picked else palette.color(QPalette.ColorRole.PlaceholderText)
            )
            painter.drawText(
                below, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, caption
            )
        painter.end()

    def _captions(self, cell: Cell) -> tuple[str, ...]:
        """What goes under a digit, longest first: "⚠ 39 %", then shorter forms."""
        if cell.picked:
            return (self.tr("picked"), "✓")
        whole = i18n.number(cell.confidence * 100, 0)
        if self._is_low(cell):
            return (f"⚠ {i18n.percent(cell.confidence, 0)}", f"⚠{whole}", "⚠")
        return (i18n.percent(cell.confidence, 0), whole)

    # -- input --------------------------------------------------------------------------

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        hover = self.cell_at(event.position().toPoint())
        if hover != self._hover:
            self._hover = hover
            self.update()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: object) -> None:
        self._hover = -1
        self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self.cell_at(event.position().toPoint())
        if event.button() == Qt.MouseButton.LeftButton and index >= 0:
            self._current = index
            self.update()
            self.digitActivated.emit(index)
            event.accept()
            return
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if self._cells and key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            step = -1 if key == Qt.Key.Key_Left else 1
            self._current = max(0, min(len(self._cells) - 1, self._current + step))
            self.update()
        elif self._cells and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.digitActivated.emit(self._current)
        elif (
            self._cells
            and key in DIGIT_KEYS
            and not event.modifiers() & ~(Qt.KeyboardModifier.KeypadModifier)
        ):
            self.digitTyped.emit(self._current, DIGIT_KEYS[key])
        else:
            super().keyPressEvent(event)


class NumberView(QWidget):
    """Reads the canvas's strokes as a number and lets the user fix single digits."""

    picked = Signal(object)  # a PickedDigit: the user said which digit it is
    changed = Signal(str)  # the number shown (with the user's picks)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("numberView")
        self._reading = NumberReading()
        # Picks survive re-reading while the digit's strokes stay the same.
        self._picks: dict[tuple, int] = {}
        self.alternatives_menu = QMenu(self)  # a digit's three likeliest readings
        self.alternatives_menu.setObjectName("alternativesMenu")
        # Kept, not made per click: clearing a menu does not delete its submenus.
        self.other_digits_menu = QMenu(self.tr("&Other digit"), self.alternatives_menu)
        self.other_digits_menu.setObjectName("otherDigitsMenu")

        caption = QLabel(self.tr("Number"), self)
        font = caption.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 0.9)
        caption.setFont(font)
        caption.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.number_label = NumberLabel(self)
        self.number_label.digitActivated.connect(self._on_digit_activated)
        self.number_label.digitTyped.connect(self.pick)
        self.number_label.setToolTip(
            self.tr(
                "Click a digit (or Enter on it) for its likeliest readings, or type the right digit"
            )
        )
        self.status = QLabel(self.tr(PROMPT), self)
        self.status.setObjectName("numberStatus")
        self.status.setWordWrap(True)
        self.status.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._idle_text = self.tr(PROMPT)  # what the status line says when no message is showing
        self._message = QTimer(self, singleShot=True, interval=MESSAGE_MS)
        self._message.timeout.connect(lambda: self.status.setText(self._idle_text))

        self.copy_action = QAction(self.tr("&Copy number"), self)
        self.copy_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Copy))
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.copy_action.setStatusTip(self.tr("Copy the number read from the canvas"))
        self.copy_action.triggered.connect(self.copy)
        self.copy_action.setEnabled(False)
        self.addAction(self.copy_action)  # acts while this view is shown
        self.copy_button = QPushButton(self.tr("Copy"), self)
        self.copy_button.setObjectName("numberCopyButton")
        self.copy_button.setToolTip(self.tr("Copy the number (Ctrl+C)"))
        self.copy_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.copy_button.clicked.connect(self.copy_action.trigger)
        self.copy_button.setEnabled(False)

        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(caption)
        layout.addWidget(self.number_label)
        layout.addLayout(bottom)

    # -- public API ---------------------------------------------------------------------

    def reading(self) -> NumberReading:
        return self._reading

    def number(self) -> str:
        """The number shown: the network's digits, with the user's picks."""
        return self.number_label.text()

    def read(
        self,
        strokes: list[list[tuple[float, float]]],
        network: nn.Module | None,
        no_model_text: str,
        memory: StrokeMemory | None = None,
    ) -> None:
        """Read ``strokes`` (the wide canvas's, in its units) with ``network`` and show it.

        ``memory``: a personalized model's remembered drawings (model/stroke_match.py).
        """
        if network is None or not any(strokes):
            self._reading = NumberReading()
            idle = no_model_text if network is None and any(strokes) else self.tr(PROMPT)
        else:
            from model.prediction import predict_probabilities
            from model.stroke_match import read_number

            reading = read_strokes(strokes, lambda x: predict_probabilities(network, x))
            self._reading = read_number(reading, memory)
            idle = self.tr(HINT) if self._reading.digits else self.tr(PROMPT)
        self._idle_text = idle
        if not self._message.isActive():  # a message ("Saved as 4 · …") keeps its seconds
            self.status.setText(idle)
        live = {d.strokes for d in self._reading.digits}
        self._picks = {k: v for k, v in self._picks.items() if k in live}
        self._refresh()

    def pick(self, index: int, digit: int) -> None:
        """Show ``digit`` for digit ``index`` and emit ``picked``.

        A digit other than the network's is a correction; the network's own
        digit is a confirmation (and undoes an earlier correction).
        """
        if not 0 <= index < len(self._reading.digits):
            return
        found = self._reading.digits[index]
        if digit == found.digit:
            self._picks.pop(found.strokes, None)
        else:
            self._picks[found.strokes] = digit
        self._refresh()
        self.picked.emit(PickedDigit(index, found.strokes, digit, found.digit, found.confidence))

    def say(self, text: str) -> None:
        """Show ``text`` on the status line for a few seconds ("Saved as 4 · …")."""
        self.status.setText(text)
        self._message.start()

    @Slot()
    def copy(self) -> None:
        number = self.number()
        if number:
            QGuiApplication.clipboard().setText(number)
            self.say(self.tr("Copied {number}").format(number=number))

    # -- internals ----------------------------------------------------------------------

    def _refresh(self) -> None:
        cells = []
        for d in self._reading.digits:
            picked = self._picks.get(d.strokes)
            if picked is None:
                cells.append(Cell(d.digit, d.confidence))
            else:
                cells.append(Cell(picked, float(d.probabilities[picked]), picked=True))
        self.number_label.set_cells(cells)
        self.copy_action.setEnabled(bool(cells))
        self.copy_button.setEnabled(bool(cells))
        self.changed.emit(self.number())

    @Slot(int)
    def _on_digit_activated(self, index: int) -> None:
        """The digit's three likeliest readings, then the other seven in a submenu."""
        found = self._reading.digits[index]
        shown = self.number_label.cells()[index].digit
        menu, other = self.alternatives_menu, self.other_digits_menu
        menu.clear()
        other.clear()
        likeliest = found.alternatives(3)
        for digit, p in likeliest:
            self._add_pick(menu, index, digit, p, shown)
        menu.addSeparator()
        menu.addMenu(other)
        for digit in sorted(set(range(10)) - {d for d, _ in likeliest}):
            self._add_pick(other, index, digit, float(found.probabilities[digit]), shown)
        rect = self.number_label.cell_rect(index)
        menu.popup(self.number_label.mapToGlobal(rect.bottomLeft()))

    def _add_pick(self, menu: QMenu, index: int, digit: int, p: float, shown: int) -> None:
        # "&4": the digit's key picks it while the menu is open.
        shown_p = i18n.percent(p, 0) if p >= 0.005 else "<" + i18n.percent(0.01, 0)
        action = menu.addAction(f"&{digit}\t{shown_p}")
        action.setCheckable(True)
        action.setChecked(digit == shown)
        action.setData(digit)
        action.triggered.connect(lambda _=False, d=digit: self.pick(index, d))
