"""Number mode on the Draw tab: a wide canvas, real pen digits written by mouse, fixed by clicks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QCheckBox, QLabel

from gui.draw.number_view import DigitCorrection
from gui.draw_tab import DrawTab
from model.checkpoints import LoadedModel, load_model
from model.paths import shipped_models_dir
from model.pen_digits import load_pen_digits
from model.pen_numbers import PenNumber, Writing, compose
from model.prediction import predict_probabilities
from model.strokes import strokes_to_steps
from tests.gui.strokes import LEFT, NO_MODIFIER

UNIPEN = Path(__file__).parents[1] / "data" / "unipen"
# A popup menu asks the window system to raise it and grab the keyboard; the
# offscreen test platform cannot, and says so.
POPUP = pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing)")


@pytest.fixture(scope="module")
def cnn() -> LoadedModel:
    return load_model(shipped_models_dir() / "cnn.pt")


@pytest.fixture
def tab(qtbot, cnn: LoadedModel) -> DrawTab:
    widget = DrawTab()
    qtbot.addWidget(widget)
    widget.resize(1000, 600)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_model(cnn)
    return widget


def number_of(labels: tuple[int, ...]) -> PenNumber:
    """A number written with real single-stroke pen digits, sized for the 4:1 canvas."""
    pen = load_pen_digits(UNIPEN)
    digits = [next(d for d in pen if d.label == label and len(d.strokes) == 1) for label in labels]
    return compose(digits, np.random.default_rng(4), Writing(min_gap=0.25, max_gap=0.4))


def write(tab: DrawTab, number: PenNumber) -> None:
    """Write the number's strokes on the canvas with the mouse (canvas units: the height)."""
    area = tab.canvas.square()
    side = area.height()
    for stroke in number.strokes:
        points = [QPoint(area.x() + round(x * side), area.y() + round(y * side)) for x, y in stroke]
        QTest.mousePress(tab.canvas, LEFT, NO_MODIFIER, points[0])
        for p in points[1:]:
            QTest.mouseMove(tab.canvas, p)
        QTest.mouseRelease(tab.canvas, LEFT, NO_MODIFIER, points[-1])


def one_by_one(tab: DrawTab, number: PenNumber, cnn: LoadedModel) -> str:
    """The canvas's own strokes read digit by digit with the true grouping."""
    strokes = tab.canvas.strokes()
    out, start = "", 0
    for count in number.stroke_counts:
        steps = strokes_to_steps(strokes[start : start + count])
        out += str(int(np.argmax(predict_probabilities(cnn.network, steps.normalized))))
        start += count
    return out


def test_the_toggle_widens_the_canvas_and_is_remembered(tab: DrawTab, qtbot) -> None:
    check = tab.findChild(QCheckBox, "numberModeCheck")
    square = tab.canvas.square()
    assert square.width() == square.height()
    check.click()
    qtbot.waitUntil(lambda: tab.canvas.square().width() >= 3.9 * tab.canvas.square().height())
    assert tab.number_view.isVisible()
    assert not tab.findChild(QLabel, "predictionLabel").isVisible()

    again = DrawTab()
    qtbot.addWidget(again)
    assert again.is_number_mode() and again.canvas.aspect() == 4.0

    check.click()  # back to one digit: the square canvas, exactly as before
    assert tab.canvas.aspect() == 1.0
    qtbot.waitUntil(lambda: tab.canvas.square().width() == tab.canvas.square().height())
    assert tab.findChild(QLabel, "predictionLabel").isVisible()
    assert not tab.number_view.isVisible()


def test_a_written_number_is_read_digit_by_digit(tab: DrawTab, cnn: LoadedModel) -> None:
    tab.number_check.click()
    label = tab.findChild(QLabel, "numberLabel")
    assert label.text() == ""
    number = number_of((2, 0, 2, 6))
    write(tab, number)
    tab.predict_now()
    assert label.text() == one_by_one(tab, number, cnn)
    assert len(label.text()) == 4
    cells = tab.number_view.number_label.cells()
    reading = tab.number_view.reading()
    assert [c.confidence for c in cells] == [d.confidence for d in reading.digits]

    tab.clear_action.trigger()
    assert label.text() == ""


@POPUP
def test_clicking_a_digit_offers_three_alternatives_and_picks_one(
    tab: DrawTab, qtbot, cnn: LoadedModel
) -> None:
    tab.number_check.click()
    write(tab, number_of((3, 7, 1)))
    tab.predict_now()
    view = tab.number_view
    label = view.number_label
    before = label.text()
    found = view.reading().digits[1]
    alternatives = found.alternatives(3)

    QTest.mouseClick(label, LEFT, NO_MODIFIER, label.cell_rect(1).center())
    menu = view.alternatives_menu
    qtbot.waitUntil(menu.isVisible)
    actions = menu.actions()
    assert [a.data() for a in actions] == [d for d, _ in alternatives]
    assert actions[0].isChecked()

    second = actions[1]
    with qtbot.waitSignal(view.corrected) as corrected:
        QTest.mouseClick(menu, LEFT, NO_MODIFIER, menu.actionGeometry(second).center())
    correction: DigitCorrection = corrected.args[0]
    assert correction.label == alternatives[1][0] and correction.prediction == found.digit
    assert correction.strokes == found.strokes and correction.index == 1
    assert label.text() == before[0] + str(alternatives[1][0]) + before[2]
    assert label.cells()[1].picked

    # The pick holds while the rest of the drawing changes, and Ctrl+C copies it.
    tab.predict_now()
    assert label.text()[1] == str(alternatives[1][0])
    QTest.keyClick(tab, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == label.text()


@POPUP
def test_keyboard_opens_the_alternatives(tab: DrawTab, qtbot) -> None:
    tab.number_check.click()
    write(tab, number_of((5, 4)))
    tab.predict_now()
    label = tab.number_view.number_label
    label.setFocus()
    QTest.keyClick(label, Qt.Key.Key_Right)
    QTest.keyClick(label, Qt.Key.Key_Return)
    qtbot.waitUntil(tab.number_view.alternatives_menu.isVisible)
    tab.number_view.alternatives_menu.close()


def test_without_a_model_the_number_waits(qtbot) -> None:
    tab = DrawTab()
    qtbot.addWidget(tab)
    tab.resize(1000, 600)
    tab.show()
    tab.number_check.click()
    write(tab, number_of((1, 2)))
    tab.predict_now()
    assert tab.findChild(QLabel, "numberLabel").text() == ""
    assert tab.number_view.status.text() == "Loading model…"
