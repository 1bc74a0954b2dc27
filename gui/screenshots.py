"""Render the README's screenshots from the real app: ``make screenshots``.

Draws a 7 on the canvas with synthesized mouse events, grabs the Draw tab, then
trains the mlp for two epochs on the bundled MNIST subset through the real
Start button and grabs the Train tab when the run has finished, then compares
that model with the shipped cnn on the Evaluate tab and opens its worst cell. Runs offscreen
unless DISPLAY is set. Settings and models go to a temporary folder, so a
user's own are never touched.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QPoint, QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton

TEST_DATA = Path(__file__).resolve().parents[1] / "tests" / "data"


def _wait(app: QApplication, condition, timeout_s: float = 120) -> None:
    import time

    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("screenshots: timed out waiting for the app")
        app.processEvents()
        time.sleep(0.01)


def _draw_seven(canvas) -> None:
    square = canvas.square()
    side = square.width()

    def at(x: float, y: float) -> QPoint:
        return QPoint(square.x() + round(x * side), square.y() + round(y * side))

    path = [(0.3 + 0.4 * t / 20, 0.22) for t in range(21)]
    path += [(0.7 - 0.25 * t / 30, 0.22 + 0.58 * t / 30) for t in range(1, 31)]
    QTest.mousePress(
        canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at(*path[0])
    )
    for point in path[1:]:
        QTest.mouseMove(canvas, at(*point))
    QTest.mouseRelease(
        canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at(*path[-1])
    )


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "assets/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("DISPLAY"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    scratch = Path(tempfile.mkdtemp(prefix="digitpad-shots-"))
    os.environ["XDG_DATA_HOME"] = str(scratch / "data")
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(scratch / "config")
    )
    app = QApplication(["digitpad"])
    from gui.main_window import MainWindow
    from model.paths import models_dir, shipped_models_dir

    window = MainWindow()
    window.resize(960, 640)
    window.show()
    _wait(app, lambda: window.core_loaded and window.model is not None)
    _draw_seven(window.draw_tab.canvas)
    _wait(app, lambda: window.draw_tab.findChild(object, "predictionLabel").text() != "")
    QTimer.singleShot(0, lambda: None)
    app.processEvents()
    window.grab().save(str(out / "draw.png"))

    tab = window.train_tab
    window.tabs.setCurrentIndex(1)
    tab.findChild(object, "dataFolderEdit").setText(str(TEST_DATA))
    tab.findChild(object, "epochsSpin").setValue(5)
    ended: list[bool] = []
    # The run ends kept: active if it beats the shipped model, else kept aside (the library).
    tab.runEnded.connect(lambda: ended.append(True))
    tab.findChild(QPushButton, "startButton").click()
    _wait(app, lambda: bool(ended))
    app.processEvents()
    window.grab().save(str(out / "train.png"))

    # The run's model against the shipped cnn, on the bundled test images.
    evaluate = window.evaluate_tab
    window.tabs.setCurrentWidget(evaluate)
    trained = sorted(models_dir().glob("*.pt"), key=lambda p: p.stat().st_mtime)
    evaluate.select_models(str(trained[-1]), str(shipped_models_dir() / "cnn.pt"))
    evaluate.select_data("mnist", TEST_DATA)
    finished: list[bool] = []
    evaluate.evaluationFinished.connect(lambda: finished.append(True))
    evaluate.run_button.click()
    _wait(app, lambda: bool(finished))
    true, predicted, _ = evaluate.reports()[0].confused_pairs(1)[0]
    evaluate.open_cell(0, true, predicted)
    app.processEvents()
    window.grab().save(str(out / "evaluate.png"))
    window.close()
    print(f"wrote {out / 'draw.png'}, {out / 'train.png'} and {out / 'evaluate.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
