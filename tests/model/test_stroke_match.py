"""Matching a drawing against the user's samples stroke by stroke (model/stroke_match.py)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from model.checkpoints import load_model, save_model
from model.paths import shipped_models_dir
from model.pen_benchmark import network_inputs, replay
from model.pen_numbers import Writing, compose
from model.prediction import predict_probabilities
from model.samples import SampleStore
from model.stroke_files import StrokeDrawing, write_stroke_file
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
from model.strokes import strokes_to_steps
from tests.cli_helpers import run_cli
from tests.pen_writer import HEIGHT, memory_of, taught_and_unseen

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
    assert read.probabilities.argmax() == 1 and read.like_a_sample
    assert read.probabilities.sum() == pytest.approx(1.0, abs=1e-6)
    assert read_drawing(network, None, memory).probabilities is network
    assert not read_drawing(network, FLAGGED_ONE, None).like_a_sample


def test_it_only_arbitrates_between_digits_it_has_drawings_of() -> None:
    """Taught only flagged 1s, it knows nothing of how this user writes 7s: a drawing
    the network reads as 7 stays 7, however near a taught 1 it is. Once a 7 is
    taught too, the nearer drawing decides."""
    network = np.full(10, 0.1 / 9)
    network[7] = 0.9
    ones = StrokeMemory.of([(FLAGGED_ONE, 1)])
    assert ones is not None
    read = read_drawing(network, FLAGGED_ONE, ones)
    assert read.probabilities.argmax() == 7 and not read.like_a_sample
    np.testing.assert_allclose(ones.adjust(network[None], [FLAGGED_ONE])[0], network, rtol=1e-5)
    both = StrokeMemory.of([(FLAGGED_ONE, 1), (SEVEN, 7)])
    assert both is not None
    assert read_drawing(network, FLAGGED_ONE, both).probabilities.argmax() == 1
    # The network reading 1 and the drawing like a taught 1: confirmed, not changed.
    network_one = np.roll(network, -6)
    assert network_one.argmax() == 1
    read = read_drawing(network_one, FLAGGED_ONE, ones)
    assert read.probabilities.argmax() == 1 and read.like_a_sample


def test_a_drawing_like_none_of_them_reads_as_the_network_reads_it() -> None:
    memory = StrokeMemory.of([(FLAGGED_ONE, 1)])
    assert memory is not None
    zero = [[(0.5 + 0.3 * np.sin(t), 0.5 - 0.35 * np.cos(t)) for t in np.linspace(0, 6.3, 40)]]
    assert distances(trace(zero), memory.columns)[0] > REACH
    network = np.linspace(1, 10, 10) / 55
    read = read_drawing(network, zero, memory)
    np.testing.assert_allclose(read.probabilities, network, rtol=1e-5)
    assert not read.like_a_sample


@pytest.fixture(scope="module")
def david() -> tuple[list, list]:
    """A real writer whose flagged 1s the shipped cnn reads as 7s (tests/pen_writer.py)."""
    return taught_and_unseen()


@pytest.fixture(scope="module")
def personal_cnn(tmp_path_factory: pytest.TempPathFactory, david) -> Path:
    """The shipped cnn's network with the memory of his twenty taught drawings, as a file."""
    taught, _ = david
    memory = memory_of(taught)
    cnn = load_model(shipped_models_dir() / "cnn.pt")
    path = tmp_path_factory.mktemp("personal") / "personal.pt"
    return save_model(path, cnn.network, replace(cnn.card, display_name=""), memory)


def test_one_persons_flagged_ones_read_right_once_two_are_taught(david) -> None:
    """His other digits, read by the shipped network plus the memory of twenty drawings
    (no fine-tune)."""
    taught, unseen = david
    memory = memory_of(taught)
    assert len(memory) == 20
    cnn = load_model(shipped_models_dir() / "cnn.pt")
    network = predict_probabilities(cnn.network, network_inputs(unseen, HEIGHT))
    read = memory.adjust(network, [replay(d.strokes, HEIGHT) for d in unseen]).argmax(axis=1)
    truth = np.array([d.label for d in unseen])
    before = network.argmax(axis=1)
    assert ((truth == 1) & (before == 7)).sum() >= 4  # what he suffers from
    assert (read != truth).sum() <= (before != truth).sum() - 4
    assert not ((before == truth) & (read != truth)).any()  # nothing read right is broken


def test_digitpad_predict_reads_a_stroke_file_as_the_draw_tab_does(
    capsys, david, personal_cnn: Path, tmp_path: Path
) -> None:
    _, unseen = david
    ones = [d for d in unseen if d.label == 1]
    files = [
        write_stroke_file(tmp_path / f"one{i}.json", StrokeDrawing(replay(d.strokes, HEIGHT)))
        for i, d in enumerate(ones)
    ]
    code, out, _ = run_cli(capsys, "predict", "cnn", *files, "--json")
    shipped = [r["digit"] for r in json.loads(out.strip().splitlines()[-1])]
    code_mine, out, _ = run_cli(capsys, "predict", personal_cnn, *files, "--json")
    mine = json.loads(out.strip().splitlines()[-1])
    assert code == code_mine == 0
    assert shipped.count(1) <= len(ones) - 3
    assert [r["digit"] for r in mine].count(1) >= len(ones) - 1
    assert all(sum(r["probabilities"]) == pytest.approx(1.0, abs=1e-4) for r in mine)


def test_evaluate_scores_a_personalized_model_as_it_reads_drawings(
    david, personal_cnn: Path
) -> None:
    """Pen digits carry their strokes: the memory counts; MNIST has none: it cannot."""
    from model.eval_run import ModelChoice, ReportReady, run_evaluation
    from model.eval_sets import LabelledImages, mnist_test_set

    _, unseen = david
    drawn = [replay(d.strokes, HEIGHT) for d in unseen]
    data = LabelledImages(
        "pen digits",
        np.stack([strokes_to_steps(s).placed for s in drawn]),
        np.array([d.label for d in unseen]),
        tuple(f"#{i}" for i in range(len(unseen))),
        tuple(drawn),
    )
    shipped = ModelChoice("cnn", path=str(shipped_models_dir() / "cnn.pt"))
    mine = ModelChoice("personal", path=str(personal_cnn))
    reports = [
        e.report for e in run_evaluation([shipped, mine], data) if isinstance(e, ReportReady)
    ]
    assert reports[1].accuracy >= reports[0].accuracy + 4 / len(unseen)
    test = mnist_test_set(Path(__file__).resolve().parents[1] / "data")
    reports = [
        e.report for e in run_evaluation([shipped, mine], test) if isinstance(e, ReportReady)
    ]
    np.testing.assert_array_equal(reports[0].probabilities, reports[1].probabilities)


def test_digitpad_evaluate_on_samples_reads_them_as_the_draw_tab_does(
    capsys, david, personal_cnn: Path, tmp_path: Path
) -> None:
    """His unseen digits saved as samples (PNG + strokes): the personalized file reads more."""
    _, unseen = david
    store = SampleStore(tmp_path / "samples")
    for d in unseen:
        store.add_drawing(replay(d.strokes, HEIGHT), d.label, pen_width=0.085, canvas_size=510)
    figures = []
    for model in ("cnn", personal_cnn):
        code, out, _ = run_cli(capsys, "evaluate", model, "--samples", store.root, "--json")
        assert code == 0
        figures.append(json.loads(out.strip().splitlines()[-1])["test_accuracy"])
    assert figures[1] >= figures[0] + 4 / len(unseen)


def test_a_whole_number_is_read_digit_by_digit_with_the_memory(
    capsys, david, personal_cnn: Path, tmp_path: Path
) -> None:
    """``predict --number`` (the Draw tab's number mode): each digit by its own strokes."""
    _, unseen = david
    cnn = load_model(shipped_models_dir() / "cnn.pt")
    memory = load_model(personal_cnn).memory
    assert memory is not None
    ones = [d for d in unseen if d.label == 1]
    drawn = [replay(d.strokes, HEIGHT) for d in ones]
    network = predict_probabilities(cnn.network, network_inputs(ones, HEIGHT))
    personal = memory.adjust(network, drawn)
    # His 1s the cnn reads as 7 and the memory, drawn alone, as 1.
    misread = [
        d
        for d, n, p in zip(ones, network, personal, strict=True)
        if n.argmax() == 7 and p.argmax() == 1
    ]
    assert len(misread) >= 2
    seven = next(d for d in unseen if d.label == 7)
    number = compose(
        [misread[0], seven, misread[1]], np.random.default_rng(0), Writing(min_gap=0.3)
    )
    path = write_stroke_file(tmp_path / "number.json", StrokeDrawing(number.strokes))
    texts = []
    for model in ("cnn", personal_cnn):
        code, out, _ = run_cli(capsys, "predict", model, path, "--number", "--json")
        assert code == 0
        texts.append(json.loads(out.strip().splitlines()[-1])[0]["number"])
    assert texts[0] != "171" and len(texts[0]) == 3
    assert texts[1] == "171"
