"""Matching a drawing against the user's samples stroke by stroke (model/stroke_match.py)."""

from __future__ import annotations

import numpy as np
import pytest

from model.checkpoints import load_model
from model.paths import shipped_held_out_pen_digits, shipped_models_dir
from model.pen_benchmark import SIZES, network_inputs, replay
from model.pen_digits import load_pen_digits
from model.prediction import predict_probabilities
from model.stroke_match import (
    BAND,
    POINTS,
    REACH,
    WEIGHT,
    StrokeMemory,
    distances,
    read_drawing,
    trace,
)

# A 7 with a bar across, in two strokes, and a flagged 1 in one: on a picture they
# can look alike, the pen's path does not.
SEVEN = [[(0.3, 0.2), (0.7, 0.2), (0.45, 0.8)], [(0.4, 0.5), (0.6, 0.5)]]
FLAGGED_ONE = [[(0.35, 0.3), (0.55, 0.2), (0.55, 0.8)]]


def full_dtw(a: np.ndarray, b: np.ndarray, band: int) -> float:
    """Textbook dynamic time warping within a band, one cell at a time (the reference)."""
    n = len(a)
    total = np.full((n + 1, n + 1), np.inf)
    total[0, 0] = 0.0
    for i in range(1, n + 1):
        for j in range(max(1, i - band), min(n, i + band) + 1):
            cost = float(np.linalg.norm(a[i - 1] - b[j - 1]))
            total[i, j] = cost + min(total[i - 1, j], total[i, j - 1], total[i - 1, j - 1])
    return total[n, n] / n


def columns(traces: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(traces.transpose(2, 1, 0))


def test_a_trace_ignores_where_and_how_large_the_digit_was_drawn() -> None:
    moved = [[(x * 0.3 + 0.1, y * 0.3 + 0.05) for x, y in s] for s in SEVEN]
    a, b = trace(SEVEN), trace(moved)
    assert a is not None and b is not None and a.shape == (POINTS, 3)
    np.testing.assert_allclose(a, b, atol=1e-6)
    # Centred in a unit box: its longer side spans 1 (resampled, so nearly).
    assert np.ptp(a[:, 0]) == pytest.approx(0.4 / 0.6, abs=0.02)
    assert np.ptp(a[:, 1]) == pytest.approx(1.0, abs=0.02)


def test_a_lifted_pen_is_part_of_the_trace() -> None:
    two = trace(SEVEN)
    assert two is not None and two[:, 2].max() > 0  # the jump to the bar
    one = trace(FLAGGED_ONE)
    assert one is not None and one[:, 2].max() == 0
    # Drawn in the other order (bar first), the same picture is another path.
    reordered = trace(SEVEN[::-1])
    assert reordered is not None and not np.allclose(reordered, two)


@pytest.mark.parametrize("strokes", [[], [[]], [[(0.5, 0.5)]], [[(0.5, 0.5), (0.5, 0.5)]]])
def test_nothing_or_a_dot_has_no_trace(strokes) -> None:
    assert trace(strokes) is None


def test_distances_are_those_of_textbook_warping() -> None:
    rng = np.random.default_rng(0)
    queries = rng.normal(size=(3, POINTS, 3)).astype(np.float32)
    traces = rng.normal(size=(5, POINTS, 3)).astype(np.float32)
    for q in queries:
        got = distances(q, columns(traces))
        want = [full_dtw(q, t, BAND) for t in traces]
        np.testing.assert_allclose(got, want, rtol=1e-5)
    assert distances(queries[0], columns(queries[:1]))[0] == 0.0


def test_traces_skipped_by_the_bound_are_truly_beyond_it() -> None:
    rng = np.random.default_rng(1)
    query = rng.normal(size=(POINTS, 3)).astype(np.float32)
    traces = (
        query + rng.normal(scale=rng.uniform(0, 1, (200, 1, 1)), size=(200, POINTS, 3))
    ).astype(np.float32)
    exact = distances(query, columns(traces))
    limited = distances(query, columns(traces), limit=0.5)
    skipped = np.isinf(limited)
    assert 0 < skipped.sum() < len(traces)  # some skipped, some not
    assert (exact[skipped] >= 0.5).all()
    np.testing.assert_allclose(limited[~skipped], exact[~skipped])


def test_a_drawing_like_a_taught_one_gets_its_label() -> None:
    memory = StrokeMemory.of([(SEVEN, 7), (FLAGGED_ONE, 1), (None, 4), ([[(0.2, 0.2)]], 5)])
    assert memory is not None and len(memory) == 2  # no strokes, a dot: left out
    bonus = memory.bonus([FLAGGED_ONE, SEVEN, None])
    assert bonus[0, 1] == pytest.approx(WEIGHT) and bonus[0, 7] < bonus[0, 1]
    assert bonus[1, 7] == pytest.approx(WEIGHT)
    assert not bonus[2].any()  # a picture without strokes: the network alone
    # The network says 7 at 90 %; drawn exactly like the taught 1, it reads 1.
    network = np.full(10, 0.1 / 9)
    network[7] = 0.9
    read = read_drawing(network, FLAGGED_ONE, memory)
    assert read.argmax() == 1 and read.sum() == pytest.approx(1.0, abs=1e-6)
    assert read_drawing(network, None, memory) is network
    assert read_drawing(network, FLAGGED_ONE, None) is network


def test_a_drawing_like_none_of_them_reads_as_the_network_reads_it() -> None:
    memory = StrokeMemory.of([(FLAGGED_ONE, 1)])
    assert memory is not None
    zero = [[(0.5 + 0.3 * np.sin(t), 0.5 - 0.35 * np.cos(t)) for t in np.linspace(0, 6.3, 40)]]
    assert distances(trace(zero), memory.columns)[0] > REACH
    network = np.linspace(1, 10, 10) / 55
    np.testing.assert_allclose(read_drawing(network, zero, memory), network, rtol=1e-5)


def test_one_persons_flagged_ones_read_right_once_two_are_taught() -> None:
    """A real writer (UNIPEN apa/DavidSinger): the shipped cnn reads his flagged 1s as 7s.

    Two of each of his digits are taught; his other digits are then read by the
    shipped network plus the memory of those twenty drawings, with no fine-tune.
    """
    digits = [
        d for d in load_pen_digits(shipped_held_out_pen_digits()) if d.person == "apa/DavidSinger"
    ]
    rng = np.random.default_rng(0)
    taught, unseen = [], []
    for label in range(10):
        mine = [d for d in digits if d.label == label]
        order = rng.permutation(len(mine))
        taught += [mine[i] for i in order[:2]]
        unseen += [mine[i] for i in order[2:]]
    height = SIZES["normal"]
    memory = StrokeMemory.of([(replay(d.strokes, height), d.label) for d in taught])
    assert memory is not None and len(memory) == 20
    cnn = load_model(shipped_models_dir() / "cnn.pt")
    network = predict_probabilities(cnn.network, network_inputs(unseen, height))
    read = memory.adjust(network, [replay(d.strokes, height) for d in unseen]).argmax(axis=1)
    truth = np.array([d.label for d in unseen])
    before = network.argmax(axis=1)
    assert ((truth == 1) & (before == 7)).sum() >= 4  # what he suffers from
    assert (read != truth).sum() <= (before != truth).sum() - 4
    assert not ((before == truth) & (read != truth)).any()  # nothing read right is broken
