"""Corrections on the Draw tab: the ten buttons, the keys 0-9 and Enter store real samples."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton

from gui.draw_tab import DrawTab
from model.checkpoints import LoadedModel, load_model
from model.paths import shipped_models_dir
from model.samples import load_images, read_meta, scan_folder
from tests.gui.strokes import ONE, SEVEN, ZERO, draw


@pytest.fixture(scope="module")
def shipped_model() -> LoadedModel:
    return load_model(shipped_models_dir() / "cnn.pt")


@pytest.fixture
def samples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "my-samples"
    monkeypatch.setenv("DIGITPAD_SAMPLES", str(folder))
    return folder


@pytest.fixture
def tab(qtbot, shipped_model: LoadedModel) -> DrawTab:
    widget = DrawTab()
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_model(shipped_model)
    return widget


def message(tab: DrawTab) -> str:
    return tab.findChild(QLabel, "sampleSavedLabel").text()


def test_ten_named_buttons_enabled_only_with_a_drawing(tab: DrawTab, samples: Path) -> None:
    buttons = [tab.findChild(QPushButton, f"labelButton{d}") for d in range(10)]
    assert all(b is not None for b in buttons)
    assert [b.accessibleName() for b in buttons] == [f"It's a {d}" for d in range(10)]
    assert not any(b.isEnabled() for b in buttons)
    draw(tab.canvas, SEVEN)
    assert all(b.isEnabled() for b in buttons)


def test_a_button_stores_the_drawing_with_that_label_and_clears(
    tab: DrawTab, samples: Path
) -> None:
    draw(tab.canvas, SEVEN)
    drawn = tab.canvas.strokes()
    tab.findChild(QPushButton, "labelButton4").click()
    scan = scan_folder(samples)
    assert [s.label for s in scan.samples] == [4]
    meta = read_meta(scan.samples[0])
    assert meta["strokes"] == [[list(p) for p in s] for s in drawn]
    assert meta["prediction"] == 7 and 0 < meta["confidence"] <= 1
    assert meta["model"] == "cnn" and meta["canvas_size"] == tab.canvas.square().width()
    assert tab.canvas.is_empty() and tab.probabilities() is None
    assert message(tab) == "Saved as 4 (read as 7) · 1 sample of yours"
    assert not tab.findChild(QPushButton, "labelButton4").isEnabled()


def test_digit_keys_on_the_canvas_store_samples(tab: DrawTab, samples: Path, qtbot) -> None:
    tab.activateWindow()
    draw(tab.canvas, ONE)
    qtbot.waitUntil(tab.canvas.hasFocus)  # the stroke gave the canvas the keys
    QTest.keyClick(tab.canvas, Qt.Key.Key_1)
    draw(tab.canvas, SEVEN)
    QTest.keyClick(tab.canvas, Qt.Key.Key_9, Qt.KeyboardModifier.KeypadModifier)
    assert [s.label for s in scan_folder(samples).samples] == [1, 9]
    assert message(tab) == "Saved as 9 (read as 7) · 2 samples of yours"
    QTest.keyClick(tab.canvas, Qt.Key.Key_5)  # nothing drawn: nothing stored
    assert len(scan_folder(samples).samples) == 2
    assert "Draw a digit first" in message(tab)
    draw(tab.canvas, ONE)
    QTest.keyClick(tab.canvas, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)  # not a label
    assert len(scan_folder(samples).samples) == 2 and not tab.canvas.is_empty()


def test_enter_confirms_the_prediction(tab: DrawTab, samples: Path) -> None:
    draw(tab.canvas, ZERO)
    assert tab.prediction_label.text() == "0"
    QTest.keyClick(tab.canvas, Qt.Key.Key_Return)
    draw(tab.canvas, SEVEN)
    QTest.keyClick(tab.canvas, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    scan = scan_folder(samples)
    assert [s.label for s in scan.samples] == [0, 7]
    assert message(tab) == "Saved as 7 · 2 samples of yours"
    assert all(read_meta(s)["prediction"] == s.label for s in scan.samples)


def test_the_stored_sample_is_what_the_network_was_shown(tab: DrawTab, samples: Path) -> None:
    """The PNG read back through predict's path gets the same answer the canvas got."""
    from model.prediction import predict_probabilities
    from model.preprocess import normalize

    draw(tab.canvas, SEVEN)
    shown = tab.predict_now()
    tab.findChild(QPushButton, "labelButton7").click()
    loaded = load_images(scan_folder(samples).samples)
    again = predict_probabilities(tab.model().network, normalize(loaded.images[0]))
    assert int(np.argmax(again)) == int(np.argmax(shown)) == 7


def test_an_unwritable_store_says_so_and_keeps_the_drawing(
    tab: DrawTab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("DIGITPAD_SAMPLES", str(blocker / "samples"))
    draw(tab.canvas, SEVEN)
    tab.findChild(QPushButton, "labelButton7").click()
    qtbot.waitUntil(lambda: tab.findChild(object, "errorDialog") is not None)
    text = tab.findChild(QMessageBox, "errorDialog").text()
    assert text.startswith(f"Could not save the sample in {blocker / 'samples'}: "), text
    assert not tab.canvas.is_empty()


def test_a_file_in_place_of_a_digit_folder_is_named(
    tab: DrawTab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot
) -> None:
    samples = tmp_path / "samples"
    samples.mkdir()
    (samples / "7").write_text("someone's notes")
    monkeypatch.setenv("DIGITPAD_SAMPLES", str(samples))
    draw(tab.canvas, SEVEN)
    tab.findChild(QPushButton, "labelButton7").click()
    qtbot.waitUntil(lambda: tab.findChild(object, "errorDialog") is not None)
    text = tab.findChild(QMessageBox, "errorDialog").text()
    assert text == f"cannot save samples in {samples / '7'}: it is a file, not a folder " + (
        "(move or rename it)"
    ), text
    assert (samples / "7").read_text() == "someone's notes"
    assert not tab.canvas.is_empty()
