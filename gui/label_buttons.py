"""Corrections on the Draw tab: "It's a 0" … "It's a 9", keys 0-9, Enter to confirm.

Each press stores the drawing in the sample store (``model.samples``) under that
label, clears the canvas for the next digit and says so briefly, so teaching
digitpad a handwriting is draw, press a key, draw, press a key. Enter stores
the drawing under the digit the network read, as a confirmation: right answers
are samples too, and a personalized model needs both.

The keys act while the canvas has focus (it takes focus on the first stroke),
as shortcuts of the canvas, so the canvas itself knows nothing of labels.

In number mode the bar is off (``set_active``): the canvas then holds several
digits, and one label for all of them would be a wrong sample. There a digit is
labelled by picking it in the number view, and the Draw tab stores that digit's
own strokes through ``store_strokes`` here, the one place samples are written
from the Draw tab.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from gui.i18n import core_text, sample_count
from model.errors import DigitpadError
from model.paths import samples_dir
from model.samples import Sample, SampleStore
from model.strokes import Strokes

if TYPE_CHECKING:
    from gui.draw_tab import DrawTab

MESSAGE_MS = 4000  # how long "Saved as 4 · 23 samples of yours" stays
DIGIT_KEYS = [getattr(Qt.Key, f"Key_{d}") for d in range(10)]
HINT = QT_TRANSLATE_NOOP("CorrectionBar", "Wrong? Type the right digit. Right? Press Enter.")


def count_samples(store: SampleStore) -> int:
    return len(store.scan().samples)


def saved_message(digit: int, predicted: int | None, count: int) -> str:
    """ "Saved as 4 (read as 7) · 23 samples of yours"."""
    if predicted in (None, digit):
        saved = QCoreApplication.translate("CorrectionBar", "Saved as {digit}").format(digit=digit)
    else:
        saved = QCoreApplication.translate(
            "CorrectionBar", "Saved as {digit} (read as {predicted})"
        ).format(digit=digit, predicted=predicted)
    yours = QCoreApplication.translate("CorrectionBar", "{samples} of yours").format(
        samples=sample_count(count)
    )
    return f"{saved} · {yours}"


class CorrectionBar(QWidget):
    """Ten label buttons and a one-line message; saves the Draw tab's drawing as a sample."""

    sampleSaved = Signal(object)  # the model.samples.Sample just written

    def __init__(self, draw_tab: DrawTab, store: SampleStore | None = None) -> None:
        super().__init__(draw_tab)
        self.setObjectName("correctionBar")
        self._tab = draw_tab
        self._store = store
        self._active = True
        self._actions: list[QAction] = []
        canvas = draw_tab.canvas
        # Click focus is enough: the first stroke gives the canvas the keys.
        canvas.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # Shortcuts on the canvas alone (not an event filter: that would be Python
        # code on every mouse move, and the keys must not act on another tab).
        for digit in range(10):
            key = DIGIT_KEYS[digit]
            self._shortcut(canvas, [key, Qt.KeyboardModifier.KeypadModifier | key], digit)
        self._shortcut(
            canvas,
            [
                Qt.Key.Key_Return,
                Qt.Key.Key_Enter,
                Qt.KeyboardModifier.KeypadModifier | Qt.Key.Key_Enter,
            ],
            None,
        )

        self.buttons: list[QPushButton] = []
        row = QHBoxLayout()
        row.setSpacing(2)
        for digit in range(10):
            button = QPushButton(str(digit), self)
            button.setObjectName(f"labelButton{digit}")
            button.setAccessibleName(self.tr("It's a {digit}").format(digit=digit))
            button.setToolTip(
                self.tr("It's a {digit}: save this drawing as a {digit} (key {digit})").format(
                    digit=digit
                )
            )
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the canvas keeps the keys
            button.setMinimumWidth(20)
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda _=False, d=digit: self.save_as(d))
            row.addWidget(button)
            self.buttons.append(button)
        self.message = QLabel("", self)
        self.message.setObjectName("sampleSavedLabel")
        self.message.setAccessibleName(self.tr("Sample saved"))
        self.message.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        # A long message must not widen the panel: it is clipped, and whole in the tooltip.
        self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        # Idle, the line says what the buttons are for; after a save, what was saved.
        self.message.setText(self.tr(HINT))
        self._hide_message = QTimer(self, singleShot=True, interval=MESSAGE_MS)
        self._hide_message.timeout.connect(lambda: self.message.setText(self.tr(HINT)))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(row)
        layout.addWidget(self.message)

        canvas.changed.connect(self._sync)
        self._sync()

    def store(self) -> SampleStore:
        """The store named by ``DIGITPAD_SAMPLES`` or the user folder, read at each save."""
        return self._store or SampleStore(samples_dir())

    # -- actions ----------------------------------------------------------------------

    def set_active(self, active: bool) -> None:
        """Off in number mode: the keys and buttons would label several digits as one."""
        self._active = active
        for action in self._actions:
            action.setEnabled(active)
        self._sync()

    def save_as(self, digit: int) -> bool:
        """Store the drawing as ``digit``, clear the canvas, say so; False if nothing was drawn."""
        canvas = self._tab.canvas
        if not self._active:
            return False
        if canvas.is_empty():
            self._say(self.tr("Draw a digit first, then press its key."))
            return False
        probabilities = self._tab.predict_now()
        predicted = confidence = None
        if probabilities is not None:
            predicted = int(np.argmax(probabilities))
            confidence = round(float(probabilities[predicted]), 4)
        saved = self.store_strokes(
            canvas.strokes(),
            digit,
            canvas_size=canvas.square().width(),
            prediction=predicted,
            confidence=confidence,
        )
        if saved is None:
            return False
        canvas.clear()
        self._tab.predict_now()  # the answer shown must be the empty canvas's, at once
        self._say(saved[1])
        return True

    def store_strokes(
        self,
        strokes: Strokes,
        digit: int,
        *,
        canvas_size: int,
        prediction: int | None,
        confidence: float | None,
    ) -> tuple[Sample, str] | None:
        """Write one digit's strokes (0..1 of a square of ``canvas_size`` px) as a sample.

        Returns the sample and the message that says so; on failure a dialog
        says why and the result is None.
        """
        model = self._tab.model()
        store = self.store()
        try:
            sample = store.add_drawing(
                strokes,
                digit,
                pen_width=self._tab.canvas.pen_width(),
                canvas_size=canvas_size,
                prediction=prediction,
                confidence=confidence,
                model=model.title if model is not None else None,
            )
            count = count_samples(store)
        except (OSError, DigitpadError) as exc:
            self._fail(store, exc)
            return None
        self.sampleSaved.emit(sample)
        return sample, saved_message(digit, prediction, count)

    def relabel(
        self, sample: Sample, digit: int, prediction: int | None
    ) -> tuple[Sample, str] | None:
        """Move a sample saved a moment ago to ``digit`` (the user changed their mind)."""
        store = self.store()
        try:
            moved = store.relabel([sample], digit)
            count = count_samples(store)
        except (OSError, DigitpadError) as exc:
            self._fail(store, exc)
            return None
        after = moved[0][1] if moved else sample
        self.sampleSaved.emit(after)
        return after, saved_message(digit, prediction, count)

    def _fail(self, store: SampleStore, exc: Exception) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Could not save the sample"),
            core_text(exc.message)
            if isinstance(exc, DigitpadError)
            # The title alone says "could not save" (and macOS shows no title): say it here too.
            else self.tr("Could not save the sample in {folder}: {error}").format(
                folder=store.root, error=getattr(exc, "strerror", None) or exc
            ),
            parent=self,
        )
        box.setObjectName("errorDialog")
        box.open()

    def confirm(self) -> bool:
        """Enter: the network read it right; store it under its own answer."""
        if not self._active:
            return False
        probabilities = self._tab.predict_now()
        if probabilities is None:
            if not self._tab.canvas.is_empty():
                self._say(self.tr("No prediction to confirm yet."))
            return False
        return self.save_as(int(np.argmax(probabilities)))

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setToolTip(text)
        self._hide_message.start()

    # -- events -----------------------------------------------------------------------

    def _shortcut(self, canvas: QWidget, keys: list, digit: int | None) -> None:
        """Keys that act while the canvas has focus: a digit saves, None (Enter) confirms."""
        action = QAction(self)
        action.setObjectName(f"saveAs{digit}Action" if digit is not None else "confirmAction")
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        if digit is None:
            action.triggered.connect(self.confirm)
        else:
            action.triggered.connect(lambda _=False, d=digit: self.save_as(d))
        canvas.addAction(action)
        self._actions.append(action)

    @Slot()
    def _sync(self) -> None:
        enabled = self._active and not self._tab.canvas.is_empty()
        if self.buttons[0].isEnabled() != enabled:
            for button in self.buttons:
                button.setEnabled(enabled)
