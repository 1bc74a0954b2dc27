"""Real pen digits replayed through the drawing path (the 500-digit UNIPEN subset)."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest

from model.checkpoints import load_model
from model.paths import shipped_models_dir
from model.pen_benchmark import (
    CANVAS_PX,
    SIZES,
    network_inputs,
    replay,
    score,
    score_predictions,
    select,
)
from model.pen_digits import PenDigit, load_pen_digits


@pytest.fixture(scope="module")
def pen_digits(test_data) -> list[PenDigit]:
    return load_pen_digits(test_data / "unipen")


def test_replay_records_integer_mouse_positions_at_the_asked_height(pen_digits):
    for digit in pen_digits[:50]:
        strokes = replay(digit.strokes, SIZES["normal"])
        assert len(strokes) == len(digit.strokes)
        points = np.concatenate([np.asarray(s) for s in strokes])
        assert points.min() >= 0 and points.max() <= 1
        pixels = points * CANVAS_PX
        assert np.allclose(pixels, np.round(pixels))
        for s in strokes:  # the canvas never records the same position twice in a row
            assert all(a != b for a, b in pairwise(s))
        height = (points[:, 1].max() - points[:, 1].min()) * CANVAS_PX
        width = (points[:, 0].max() - points[:, 0].min()) * CANVAS_PX
        assert height == pytest.approx(SIZES["normal"], abs=1) or width >= 0.9 * CANVAS_PX - 2


def test_replay_of_nothing_and_of_a_flat_line():
    assert replay([], 100) == []
    assert replay([[]], 100) == []
    flat = replay([[(0, 5), (10, 5)]], 100)
    xs = [x for x, _ in flat[0]]
    assert (max(xs) - min(xs)) * CANVAS_PX == pytest.approx(100, abs=1)


def test_small_normal_and_large_drawings_reach_the_network_nearly_alike(pen_digits):
    sample = pen_digits[::10]
    normal = network_inputs(sample, SIZES["normal"])
    assert normal.shape == (len(sample), 28, 28) and normal.dtype == np.float32
    spread = float(normal.std())
    for size in ("small", "large"):
        other = network_inputs(sample, SIZES[size])
        # Mean absolute difference per pixel, relative to the inputs' own spread.
        assert float(np.abs(other - normal).mean()) < 0.1 * spread


def test_the_shipped_cnn_reads_most_real_pen_digits(pen_digits):
    network = load_model(shipped_models_dir() / "cnn.pt").network
    result = score(network, pen_digits, network_inputs(pen_digits, SIZES["small"]))
    assert result.size == 500
    assert result.accuracy > 0.9
    assert sum(n for _, _, n in result.per_collection) == 500
    assert sum(map(sum, result.confusion)) == 500
    confusions = result.top_confusions(10)
    assert len(confusions) <= 10
    assert all(t != p for t, p, _ in confusions)
    assert [n for *_, n in confusions] == sorted((n for *_, n in confusions), reverse=True)


def test_score_predictions_counts_per_digit_and_per_collection(pen_digits):
    sample = pen_digits[:40]
    truth = [d.label for d in sample]
    perfect = score_predictions(sample, truth)
    assert perfect.accuracy == 1.0 and perfect.top_confusions() == []
    wrong = [(t + 1) % 10 for t in truth[:4]] + truth[4:]
    result = score_predictions(sample, wrong)
    assert result.accuracy == pytest.approx(36 / 40)
    assert sum(n for *_, n in result.top_confusions()) == 4
    assert all(np.isnan(a) or 0 <= a <= 1 for a in result.per_digit)


def test_select_keeps_only_the_named_collections(pen_digits):
    some = select(pen_digits, ["apb"])
    assert some and all(d.collection == "apb" for d in some)
    assert select(pen_digits, None) == pen_digits
