"""The Draw tab's windows into the network: preprocessing strip, evidence, samples, follow training."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import torch
from PySide6.QtWidgets import QPushButton

from gui.draw_tab import DrawTab
from gui.evaluate.gallery import SampleToShow
from gui.main_window import MainWindow
from model.checkpoints import LoadedModel
from model.eval_sets import iter_pen_digit_set, mnist_test_set
from model.evidence import integrated_gradients
from model.prediction import predict_probabilities
from model.preprocess import steps
from model.strokes import strokes_to_steps
from tests.gui.strokes import SEVEN, ZERO, draw


@pytest.fixture
def tab(open_draw_tab) -> DrawTab:
    return open_draw_tab(900, 620)


def test_strip_shows_the_functions_own_intermediates_and_is_remembered(qtbot, tab: DrawTab) -> None:
    assert not tab.steps_strip.isVisible()
    tab.steps_check.click()
    assert tab.steps_strip.isVisible()
    draw(tab.canvas, SEVEN)
    shown = tab.steps_strip.steps()
    assert shown is tab.current_steps()  # the very object the prediction used
    again = strokes_to_steps(tab.canvas.strokes())
    for name in ("ink", "crop", "scaled", "placed", "normalized"):
        np.testing.assert_array_equal(getattr(shown, name), getattr(again, name))
    np.testing.assert_array_equal(tab.preview.image(), shown.placed)
    np.testing.assert_array_equal(
        tab.probabilities(), predict_probabilities(tab.model().network, shown.normalized)
    )
    other = DrawTab()
    qtbot.addWidget(other)
    assert other.steps_check.isChecked()  # remembered
    tab.steps_check.click()
    third = DrawTab()
    qtbot.addWidget(third)
    assert not third.steps_check.isChecked()


def test_evidence_is_integrated_gradients_of_the_answer(qtbot, tab: DrawTab) -> None:
    draw(tab.canvas, ZERO)
    assert tab.preview.evidence() is None
    tab.evidence_check.click()
    qtbot.waitUntil(lambda: tab.preview.evidence() is not None, timeout=10000)
    digit = int(np.argmax(tab.probabilities()))
    expected = integrated_gradients(tab.model().network, tab.current_steps().normalized, digit)
    np.testing.assert_allclose(tab.preview.evidence(), expected, rtol=1e-4, atol=1e-6)
    tab.clear_button.click()
    assert tab.preview.evidence() is None
    tab.evidence_check.click()


def test_integrated_gradients_add_up_to_the_score_difference(cnn: LoadedModel) -> None:
    x = strokes_to_steps(ZERO).normalized
    attributions = integrated_gradients(cnn.network, x, 0, steps=256)
    with torch.no_grad():
        logit = cnn.network(torch.from_numpy(x)[None])[0, 0].item()
        blank = cnn.network(torch.from_numpy(strokes_to_steps([]).normalized)[None])[0, 0].item()
    assert float(attributions.sum()) == pytest.approx(logit - blank, rel=0.03)
    assert all(p.grad is None for p in cnn.network.parameters())  # weights untouched


def test_a_picture_from_the_evaluate_tab_shows_its_preprocessing(
    tab: DrawTab, test_data: Path
) -> None:
    data = mnist_test_set(test_data)
    tab.steps_check.click()
    tab.show_sample(SampleToShow(data.images[3], None, int(data.labels[3]), data.sources[3]))
    expected = steps(data.images[3], polarity="light_on_dark")
    np.testing.assert_array_equal(tab.steps_strip.steps().placed, expected.placed)
    assert "MNIST test #3" in tab.sample_label.text()
    assert tab.probabilities() is not None
    draw(tab.canvas, SEVEN)  # drawing replaces it
    assert not tab.sample_label.isVisible()
    np.testing.assert_array_equal(
        tab.preview.image(), strokes_to_steps(tab.canvas.strokes()).placed
    )
    tab.steps_check.click()


def test_a_pen_digit_from_the_evaluate_tab_is_replayed_on_the_canvas(
    tab: DrawTab, test_data: Path
) -> None:
    gen = iter_pen_digit_set(test_data / "unipen")
    while True:
        try:
            next(gen)
        except StopIteration as done:
            data = done.value
            break
    i = 11
    tab.show_sample(
        SampleToShow(data.images[i], data.strokes[i], int(data.labels[i]), data.sources[i])
    )
    assert tab.canvas.stroke_count() == len(data.strokes[i])
    # The canvas holds the digit as replayed for the Evaluate tab: the very same input.
    np.testing.assert_array_equal(tab.preview.image(), data.images[i])


def test_follow_training_changes_the_prediction_between_epochs(qtbot, test_data: Path) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    if not window.core_loaded:
        with qtbot.waitSignal(window.coreReady, timeout=60000):
            pass
    draw_tab = window.draw_tab
    draw(draw_tab.canvas, SEVEN)
    active = draw_tab.probabilities()
    seen: list[tuple[str, np.ndarray]] = []
    draw_tab.predicted.connect(
        lambda p: (
            p is not None
            and draw_tab.follow.network() is not None
            and seen.append((draw_tab.follow.status(), p))
        )
    )
    train = window.train_tab
    train.findChild(object, "dataFolderEdit").setText(str(test_data))
    train.findChild(object, "modelCombo").setCurrentText("mlp")
    train.findChild(object, "epochsSpin").setValue(3)
    train.findChild(QPushButton, "startButton").click()
    assert draw_tab.follow.isVisibleTo(window) and draw_tab.follow.check.isChecked()
    with qtbot.waitSignal(train.runEnded, timeout=180000):
        pass
    statuses = [s for s, _ in seen]
    assert all(re.fullmatch(r"live: epoch \d/3, batch [\d,]+", s) for s in statuses), statuses
    epoch_ends = {s: p for s, p in seen if s.endswith("batch 125")}  # 4,000 / 32 batches
    assert set(epoch_ends) >= {"live: epoch 1/3, batch 125", "live: epoch 3/3, batch 125"}
    first, last = epoch_ends["live: epoch 1/3, batch 125"], epoch_ends["live: epoch 3/3, batch 125"]
    assert not np.allclose(first, last)  # the network learned between epochs
    assert not draw_tab.follow.isVisibleTo(window) and draw_tab.follow.network() is None
    # Back to the active model (the new one, or the previous one if the run is kept aside).
    qtbot.waitUntil(lambda: draw_tab.network() is window.model.network, timeout=10000)
    np.testing.assert_allclose(
        draw_tab.probabilities(),
        predict_probabilities(window.model.network, draw_tab.current_steps().normalized),
    )
    assert active is not None
    window.close()


@pytest.mark.parametrize("network", ["mlp", "cnn"])
def test_a_snapshot_becomes_a_network_holding_its_weights(network: str, mnist_small) -> None:
    from gui.draw.follow import snapshot_network
    from model.config import TrainConfig
    from model.events import WeightsSnapshot
    from model.networks import build_network
    from model.training import train

    config = TrainConfig(network=network, epochs=1, batch_size=500)
    snapshot = next(
        e
        for e in train(config, data=mnist_small, snapshot_every=4)
        if isinstance(e, WeightsSnapshot)
    )
    live = snapshot_network(snapshot)
    assert not live.training
    state = live.state_dict()
    assert state.keys() == snapshot.state_dict.keys()
    for name, tensor in snapshot.state_dict.items():
        assert state[name].device.type == "cpu"
        assert torch.equal(state[name], tensor), name
    built = build_network(network, **dict(snapshot.network_args))  # the ordinary way
    built.load_state_dict(snapshot.state_dict)
    images = mnist_small.test.images[:16].unsqueeze(1)
    with torch.no_grad():
        torch.testing.assert_close(live(images), built.eval()(images), rtol=0, atol=0)


def test_following_predicts_a_later_drawing_with_the_latest_weights(
    qtbot, tab: DrawTab, mnist_small
) -> None:
    from gui.draw.follow import snapshot_network
    from model.config import TrainConfig
    from model.events import WeightsSnapshot
    from model.training import train

    config = TrainConfig(epochs=1, batch_size=500)
    first, last = [
        e
        for e in train(config, data=mnist_small, snapshot_every=4)
        if isinstance(e, WeightsSnapshot)
    ]
    tab.follow.run_started()
    tab.follow.on_snapshot(first)  # nothing drawn yet
    assert tab.follow.status() == "live: epoch 1/1, batch 4"
    draw(tab.canvas, SEVEN)
    normalized = tab.current_steps().normalized
    expected = predict_probabilities(snapshot_network(first), normalized)
    np.testing.assert_allclose(tab.probabilities(), expected)
    tab.follow.on_snapshot(last)  # the drawing is read again with the new weights
    assert tab.follow.status() == "live: epoch 1/1, batch 8"
    expected = predict_probabilities(snapshot_network(last), normalized)
    assert not np.allclose(
        tab.probabilities(), predict_probabilities(snapshot_network(first), normalized)
    )
    np.testing.assert_allclose(tab.probabilities(), expected)
    tab.follow.run_ended()
    assert tab.follow.network() is None


def test_unfollowing_returns_to_the_active_model(qtbot, tab: DrawTab, mnist_small) -> None:
    from model.config import TrainConfig
    from model.events import WeightsSnapshot
    from model.training import train

    draw(tab.canvas, ZERO)
    active = tab.probabilities()
    tab.follow.run_started()
    snapshot = next(
        e
        for e in train(TrainConfig(epochs=1, batch_size=500), data=mnist_small, snapshot_every=4)
        if isinstance(e, WeightsSnapshot)
    )
    tab.follow.on_snapshot(snapshot)
    assert tab.follow.status() == "live: epoch 1/1, batch 4"
    live = tab.probabilities()
    assert not np.allclose(live, active)
    tab.follow.check.click()  # off: back to the active model at once
    np.testing.assert_array_equal(tab.probabilities(), active)
    tab.follow.check.click()
    np.testing.assert_array_equal(tab.probabilities(), live)
    tab.follow.run_ended()
    np.testing.assert_array_equal(tab.probabilities(), active)
