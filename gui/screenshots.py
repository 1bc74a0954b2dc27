"""Render the README's screenshots from the real app, in English and Chinese: ``make screenshots``.

For each language, a fresh app (``gui.app.create_app``, which installs the
translation the system locale asks for, here ``LANG``) draws a 7 on the canvas
with synthesized mouse events and grabs the Draw tab, trains the mlp for a few
epochs on the full MNIST through the real Start button and grabs the Train tab
when the run has ended, then compares that model with the shipped cnn on the
Evaluate tab and opens its worst cell.

The pictures must show the real thing a user gets: the full MNIST (the tests'
4,000-image subset is refused), found in the default user data folder, which
the app writes as ``~/.local/share/digitpad/data``. Each language runs in a
child process whose home is a scratch folder, so the user's own settings and
models are never touched, and the MNIST given with ``--data`` is linked there.
Runs offscreen unless DISPLAY is set.
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FULL_MNIST = 60_000  # training images in MNIST
LANGUAGES = {"en": ("C.UTF-8", ""), "zh_CN": ("zh_CN.UTF-8", "_zh_CN")}  # LANG, file suffix
EPOCHS = 5
WINDOW = (960, 640)


def mnist_train_size(folder: Path) -> int | None:
    """How many training images ``folder``/MNIST/raw holds (its IDX header), None if none."""
    raw = folder / "MNIST" / "raw"
    for name, opener in (
        ("train-labels-idx1-ubyte", open),
        ("train-labels-idx1-ubyte.gz", gzip.open),
    ):
        path = raw / name
        if path.is_file():
            with opener(path, "rb") as f:
                header = f.read(8)
            if len(header) == 8:
                return struct.unpack(">II", header)[1]
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gui.screenshots", description=__doc__)
    parser.add_argument("out", nargs="?", default="assets/screenshots", type=Path)
    parser.add_argument(
        "--data", type=Path, required=True, help="the folder holding the full MNIST/raw/"
    )
    parser.add_argument("--language", choices=[*LANGUAGES, "all"], default="all")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return _take(args.out, args.language)

    count = mnist_train_size(args.data)
    if count is None:
        print(
            f"screenshots: no MNIST in {args.data}/MNIST/raw/: pass --data FOLDER with the full MNIST"
        )
        return 2
    if count < FULL_MNIST:
        print(
            f"screenshots: {args.data} holds a {count:,}-image subset of MNIST; the README's "
            f"pictures need the full {FULL_MNIST:,} (pass --data FOLDER)"
        )
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    languages = list(LANGUAGES) if args.language == "all" else [args.language]
    for language in languages:
        code = _run_child(args.out.resolve(), args.data.resolve(), language)
        if code:
            return code
    return 0


def _run_child(out: Path, data: Path, language: str) -> int:
    """One language's pictures, in a process whose home is a scratch folder."""
    scratch = Path(tempfile.mkdtemp(prefix="digitpad-shots-"))
    try:
        home = scratch / "home"
        mnist = home / ".local" / "share" / "digitpad" / "data" / "MNIST"
        mnist.mkdir(parents=True)
        (mnist / "raw").symlink_to(data / "MNIST" / "raw", target_is_directory=True)
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("XDG_", "LC_", "DIGITPAD_")) and k != "LANGUAGE"
        }
        env.update(HOME=str(home), LANG=LANGUAGES[language][0])
        root = Path(__file__).resolve().parents[1]
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
        command = [sys.executable, "-m", "gui.screenshots", str(out), "--data", str(data)]
        command += ["--language", language, "--child"]
        return subprocess.run(command, env=env, check=False).returncode
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _take(out: Path, language: str) -> int:
    if not os.environ.get("DISPLAY"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QPushButton

    from gui.app import create_app
    from gui.i18n import current_language
    from gui.main_window import MainWindow
    from model.paths import models_dir, shipped_models_dir

    suffix = LANGUAGES[language][1]
    app = create_app(["digitpad"])
    if current_language() != language:
        print(f"screenshots: LANG={os.environ.get('LANG')} did not select {language}")
        return 1
    window = MainWindow()
    window.resize(*WINDOW)
    window.show()
    _wait(app, lambda: window.core_loaded and window.model is not None)

    window.tabs.setCurrentWidget(window.draw_tab)
    _draw_seven(window.draw_tab.canvas)
    _wait(app, lambda: window.draw_tab.prediction_label.text() != "")
    _settle(app)
    window.grab().save(str(out / f"draw{suffix}.png"))

    tab = window.train_tab
    window.tabs.setCurrentWidget(tab)
    tab.findChild(object, "modelCombo").setCurrentText("mlp")
    tab.findChild(object, "epochsSpin").setValue(EPOCHS)
    ended: list[bool] = []
    # The run ends kept: active if it beats the shipped model, else kept aside (the library).
    tab.runEnded.connect(lambda: ended.append(True))
    tab.findChild(QPushButton, "startButton").click()
    _wait(app, lambda: bool(ended), timeout_s=1800)
    _settle(app)
    window.grab().save(str(out / f"train{suffix}.png"))

    # The run's model against the shipped cnn, on MNIST's 10,000 test images.
    evaluate = window.evaluate_tab
    window.tabs.setCurrentWidget(evaluate)
    trained = sorted(models_dir().glob("*.pt"), key=lambda p: p.stat().st_mtime)
    evaluate.select_models(str(trained[-1]), str(shipped_models_dir() / "cnn.pt"))
    evaluate.select_data("mnist")
    finished: list[bool] = []
    evaluate.evaluationFinished.connect(lambda: finished.append(True))
    evaluate.run_button.click()
    _wait(app, lambda: bool(finished), timeout_s=600)
    true, predicted, _ = evaluate.reports()[0].confused_pairs(1)[0]
    evaluate.open_cell(0, true, predicted)
    _settle(app)
    window.grab().save(str(out / f"evaluate{suffix}.png"))
    window.request_quit()
    names = ", ".join(f"{name}{suffix}.png" for name in ("draw", "train", "evaluate"))
    print(f"screenshots: wrote {names} in {out}")
    return 0


def _wait(app, condition, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("screenshots: timed out waiting for the app")
        app.processEvents()
        time.sleep(0.01)


def _settle(app) -> None:
    """Let throttled repaints (chart, progress) land before a grab."""
    end = time.monotonic() + 0.3
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def _draw_seven(canvas) -> None:
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

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


if __name__ == "__main__":
    sys.exit(main())
