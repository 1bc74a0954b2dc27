"""The drawing widget, driven by real (synthesized) mouse events."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QRect
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from gui.canvas import DEFAULT_PEN_WIDTH, MAX_PEN_WIDTH, MAX_UNDO, MIN_PEN_WIDTH, Canvas
from model.normalization import MEAN, STD
from model.preprocess import to_mnist
from tests.gui.strokes import (
    LEFT,
    NO_MODIFIER,
    ONE,
    SEVEN,
    ZERO,
    draw,
    draw_stroke,
    line,
    to_widget,
)


@pytest.fixture
def canvas(qtbot) -> Canvas:
    widget = Canvas()
    qtbot.addWidget(widget)
    widget.resize(300, 300)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def gray(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_Grayscale8)
    rows = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(
        image.height(), image.bytesPerLine()
    )
    return rows[:, : image.width()].astype(np.float32) / 255


class PaintRecorder(QObject):
    """Records the rectangle of every paint event a widget receives."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.rects: list[QRect] = []
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.rects.append(event.rect())
        return False


def test_identity_for_tests_and_screen_readers(canvas: Canvas) -> None:
    assert canvas.objectName() == "canvas"
    assert canvas.accessibleName()
    assert canvas.is_empty()
    assert canvas.pen_width() == DEFAULT_PEN_WIDTH


def test_moves_with_the_button_down_reach_the_canvas(canvas: Canvas, qtbot) -> None:
    changes: list[int] = []
    canvas.changed.connect(lambda: changes.append(1))
    with qtbot.waitSignal(canvas.strokeFinished, timeout=1000):
        draw_stroke(canvas, line((0.5, 0.2), (0.5, 0.8), steps=30))
    [points] = canvas.strokes()
    assert len(points) == 31  # the press, 30 moves (the release adds nothing new)
    assert len(changes) == 31  # one per point: live prediction sees the stroke grow
    assert points[0] == pytest.approx((0.5, 0.2), abs=0.005)
    assert points[-1] == pytest.approx((0.5, 0.8), abs=0.005)


def test_moves_without_a_press_draw_nothing(canvas: Canvas) -> None:
    for x in range(50, 250, 10):
        QTest.mouseMove(canvas, QPoint(x, 150))
    assert canvas.is_empty()
    assert not canvas.to_array(28).any()


def test_a_release_the_canvas_never_saw_ends_the_stroke_at_the_next_press(
    canvas: Canvas, qtbot
) -> None:
    popup = QWidget()  # e.g. a dialog that grabbed the mouse mid-stroke
    qtbot.addWidget(popup)
    QTest.mousePress(canvas, LEFT, NO_MODIFIER, QPoint(60, 60))
    QTest.mouseMove(canvas, QPoint(90, 90))
    QTest.mouseRelease(popup, LEFT, NO_MODIFIER, QPoint(5, 5))
    QTest.mouseMove(canvas, QPoint(200, 200))  # a hover: Qt sends it to no one
    with qtbot.waitSignal(canvas.strokeFinished, timeout=1000):
        QTest.mousePress(canvas, LEFT, NO_MODIFIER, QPoint(240, 240))  # a new stroke
    QTest.mouseRelease(canvas, LEFT, NO_MODIFIER, QPoint(240, 240))
    assert canvas.strokes() == [[(0.2, 0.2), (0.3, 0.3)], [(0.8, 0.8)]]


def test_strokes_clear_and_undo(canvas: Canvas, qtbot) -> None:
    draw(canvas, [line((0.3, 0.2), (0.7, 0.2)), line((0.7, 0.2), (0.45, 0.8))])
    assert canvas.stroke_count() == 2
    both = canvas.to_array(64)
    with qtbot.waitSignal(canvas.changed, timeout=1000):
        canvas.undo()
    assert canvas.stroke_count() == 1
    bar = canvas.to_array(64)
    assert 0 < bar.sum() < both.sum()
    assert bar[50:].max() == 0  # the diagonal is gone from the lower part
    with qtbot.waitSignal(canvas.changed, timeout=1000):
        canvas.clear()
    assert canvas.is_empty()
    assert not canvas.to_array(64).any()
    with qtbot.waitSignal(canvas.changed, timeout=1000):
        canvas.undo()  # takes back the Clear
    np.testing.assert_array_equal(canvas.to_array(64), bar)
    canvas.undo()  # and then the first stroke: nothing left to take back
    assert canvas.is_empty() and not canvas.can_undo()
    with qtbot.assertNotEmitted(canvas.changed):
        canvas.undo()
        canvas.clear()


def test_the_undo_history_is_bounded(canvas: Canvas) -> None:
    """A long session must not keep every stroke it ever cleared alive."""
    extra = 5
    for i in range(MAX_UNDO + extra):
        at = to_widget(canvas, (0.1 + 0.8 * (i % 10) / 10, 0.1 + 0.8 * (i // 10 % 10) / 10))
        QTest.mousePress(canvas, LEFT, NO_MODIFIER, at)
        QTest.mouseRelease(canvas, LEFT, NO_MODIFIER, at)
        if i % 10 == 9:
            canvas.clear()
    steps = 0
    while canvas.can_undo():
        canvas.undo()
        steps += 1
    assert steps == MAX_UNDO  # the oldest steps were dropped, the newest all undo


def test_a_click_leaves_a_round_dot(canvas: Canvas) -> None:
    at = to_widget(canvas, (0.5, 0.5))
    QTest.mousePress(canvas, LEFT, NO_MODIFIER, at)
    QTest.mouseRelease(canvas, LEFT, NO_MODIFIER, at)
    image = canvas.to_array(200)
    ys, xs = np.nonzero(image > 0.5)
    diameter = DEFAULT_PEN_WIDTH * 200
    assert np.ptp(ys) + 1 == pytest.approx(diameter, abs=2)
    assert np.ptp(xs) + 1 == pytest.approx(diameter, abs=2)
    assert image[100, 100] == 1.0


def test_export_is_float32_ink_on_black_and_antialiased(canvas: Canvas) -> None:
    draw(canvas, SEVEN)
    image = canvas.to_array()
    assert image.shape == (280, 280)
    assert image.dtype == np.float32
    assert image.min() == 0.0 and image.max() == 1.0
    assert image[0, 0] == 0.0  # background exports as 0, ink as 1
    fringe = np.count_nonzero((image > 0.05) & (image < 0.95))
    assert fringe > 100  # anti-aliased edges, not a hard 1-bit line
    for size in (1, 28, 101, 280, 1000):
        assert canvas.to_array(size).shape == (size, size)
    with pytest.raises(ValueError):
        canvas.to_array(0)


def test_the_drawing_survives_any_resize(canvas: Canvas, qtbot) -> None:
    draw(canvas, ZERO)
    strokes = canvas.strokes()
    exported = canvas.to_array()
    for size in ((600, 400), (170, 900), (300, 300)):
        canvas.resize(*size)
        qtbot.wait(1)
        assert canvas.strokes() == strokes
        np.testing.assert_array_equal(canvas.to_array(), exported)


def test_the_same_digit_exports_alike_at_any_widget_size(canvas: Canvas, qtbot) -> None:
    images = []
    for side in (170, 300, 700):
        canvas.clear()
        canvas.resize(side, side)
        qtbot.wait(1)
        draw(canvas, SEVEN)
        images.append(canvas.to_array())
    for other in images[1:]:
        assert float(np.abs(other - images[0]).mean()) < 0.01


def test_stays_square_and_centred(canvas: Canvas, qtbot) -> None:
    canvas.resize(500, 300)
    qtbot.wait(1)
    assert canvas.square() == QRect(100, 0, 300, 300)
    assert canvas.hasHeightForWidth()
    assert canvas.heightForWidth(420) == 420
    draw(canvas, ONE)
    xs = [x for x, _ in canvas.strokes()[0]]
    assert min(xs) == pytest.approx(0.47, abs=0.01)  # unit coordinates of the square


def test_strokes_leaving_the_square_stick_to_its_edge(canvas: Canvas) -> None:
    draw_stroke(canvas, [(0.5, 0.5)])
    QTest.mousePress(canvas, LEFT, NO_MODIFIER, QPoint(150, 150))
    QTest.mouseMove(canvas, QPoint(900, 150))
    QTest.mouseMove(canvas, QPoint(-40, -40))
    QTest.mouseRelease(canvas, LEFT, NO_MODIFIER, QPoint(-40, -40))
    assert canvas.strokes()[1] == [(0.5, 0.5), (1.0, 0.5), (0.0, 0.0)]


def test_pen_width_is_a_share_of_the_side(canvas: Canvas) -> None:
    canvas.set_pen_width(0.04)
    draw(canvas, ONE)
    thin = canvas.to_array().sum()
    canvas.set_pen_width(0.12)
    assert canvas.pen_width() == 0.12
    assert canvas.to_array().sum() == thin  # drawn strokes keep their width
    canvas.clear()
    draw(canvas, ONE)
    assert canvas.to_array().sum() == pytest.approx(3 * thin, rel=0.1)
    canvas.set_pen_width(5.0)
    assert canvas.pen_width() == MAX_PEN_WIDTH
    canvas.set_pen_width(0.0)
    assert canvas.pen_width() == MIN_PEN_WIDTH


def test_default_pen_gives_mnist_stroke_thickness(canvas: Canvas, mnist_small) -> None:
    """Drawn at ~65 % of the height, a digit carries as much ink in 28x28 as MNIST's do.

    Ink mass is stroke thickness times stroke length; the shapes are about as
    long as MNIST's, so the mass compares the thickness. MNIST's strokes are
    about 2.5 px wide at 20 px height.
    """
    images = mnist_small.test.images.numpy() * STD + MEAN
    labels = mnist_small.test.labels.numpy()
    for digit, strokes in ((0, ZERO), (7, SEVEN)):
        canvas.clear()
        draw(canvas, strokes)
        drawn = float(to_mnist(canvas.to_array(), polarity="light_on_dark").sum())
        mnist = float(np.median(images[labels == digit].sum(axis=(1, 2))))
        assert drawn == pytest.approx(mnist, rel=0.15), (digit, drawn, mnist)


def test_moves_repaint_only_the_new_segment(canvas: Canvas, qtbot) -> None:
    canvas.resize(400, 400)
    draw_stroke(canvas, [(0.2, 0.2)])  # the first press repaints all (the hint goes)
    qtbot.wait(20)
    recorder = PaintRecorder(canvas)
    QTest.mousePress(canvas, LEFT, NO_MODIFIER, QPoint(100, 100))
    qtbot.wait(20)
    recorder.rects.clear()
    for x in range(104, 300, 4):
        QTest.mouseMove(canvas, QPoint(x, 100))
        qtbot.wait(1)  # let each move's repaint happen on its own
    QTest.mouseRelease(canvas, LEFT, NO_MODIFIER, QPoint(300, 100))
    assert recorder.rects, "no repaint while drawing"
    area = canvas.width() * canvas.height()
    largest = max(r.width() * r.height() for r in recorder.rects)
    assert largest < area / 10, recorder.rects[:5]


def test_the_screen_shows_what_is_exported(canvas: Canvas, qtbot) -> None:
    draw(canvas, SEVEN)
    canvas.resize(257, 257)  # rebuilds the on-screen image from the stroke list
    qtbot.wait(10)
    for _ in range(2):
        shown = gray(canvas.grab().toImage())
        exported = canvas.to_array(257)
        ink = exported > 0.5
        assert shown[ink].mean() > 0.85  # light ink where the export has ink
        assert shown[exported == 0].mean() < 0.2  # dark paper elsewhere
        canvas.resize(300, 300)  # and after a resize the screen re-renders the strokes
        qtbot.wait(10)
        draw_stroke(canvas, [(0.9, 0.9)])
        canvas.undo()
        canvas.resize(257, 257)
        qtbot.wait(10)


def test_an_empty_canvas_shows_a_hint(canvas: Canvas, qtbot) -> None:
    empty = gray(canvas.grab().toImage())
    middle = empty[130:170, 40:260]
    assert middle.max() > empty[10:30, 10:30].max() + 0.1  # the faint "Draw a digit"
    draw(canvas, SEVEN)
    canvas.clear()
    qtbot.wait(1)
    np.testing.assert_array_equal(gray(canvas.grab().toImage()), empty)
