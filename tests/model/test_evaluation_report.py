"""The per-image evaluation report, data sets, comparison, and the CLI's exports."""

from __future__ import annotations

import csv
import json
import threading
from pathlib import Path

import numpy as np
import pytest

from model.checkpoints import load_model
from model.cli import main
from model.eval_sets import LabelledImages, iter_pen_digit_set, mnist_test_set
from model.evaluation import Comparison, evaluate, iter_report, report, write_csv
from model.strokes import strokes_to_mnist


def _drain(gen):
    events = []
    while True:
        try:
            events.append(next(gen))
        except StopIteration as done:
            return events, done.value


def test_report_agrees_with_evaluate(trained_mlp: Path, mnist_small, test_data: Path) -> None:
    network = load_model(trained_mlp).network
    data = mnist_test_set(test_data)
    assert np.array_equal(data.labels, mnist_small.test.labels.numpy())
    result = report(network, data.images, data.labels)
    reference = evaluate(network, mnist_small.test)
    assert result.confusion.tolist() == [list(r) for r in reference.confusion]
    assert result.misclassified().tolist() == list(reference.misclassified)
    figures = result.per_class()
    m = result.confusion
    for d in range(10):
        assert figures[d].recall == pytest.approx(reference.per_class_accuracy[d])
        assert figures[d].precision == pytest.approx(m[d, d] / m[:, d].sum())
    np.testing.assert_allclose(result.probabilities.sum(1), 1.0, rtol=1e-5)


def test_cells_pairs_and_progress(trained_mlp: Path, test_data: Path) -> None:
    network = load_model(trained_mlp).network
    data = mnist_test_set(test_data)
    events, result = _drain(iter_report(network, data.images, data.labels, batch_size=300))
    assert [e.done for e in events] == [0, 300, 600, 900, 1000]
    pairs = result.confused_pairs(10)
    assert len(pairs) == 10
    counts = [c for _, _, c in pairs]
    assert counts == sorted(counts, reverse=True)
    for true, predicted, count in pairs:
        cell = result.cell(true, predicted)
        assert len(cell) == count == result.confusion[true, predicted]
        assert set(data.labels[cell]) == {true} and set(result.predicted[cell]) == {predicted}
    off = result.confusion.copy()
    np.fill_diagonal(off, 0)
    assert pairs[0][2] == off.max()


def test_stop_returns_no_report(trained_mlp: Path, test_data: Path) -> None:
    data = mnist_test_set(test_data)
    stop = threading.Event()
    gen = iter_report(load_model(trained_mlp).network, data.images, data.labels, stop=stop)
    next(gen)
    stop.set()
    _, result = _drain(gen)
    assert result is None


def test_comparison_lists_each_models_own_wins(trained_mlp: Path, test_data: Path) -> None:
    from model.checkpoints import load_model as load
    from model.paths import shipped_models_dir

    data = mnist_test_set(test_data)
    mlp = report(load(trained_mlp).network, data.images, data.labels, model="mlp")
    cnn = report(load(shipped_models_dir() / "cnn.pt").network, data.images, data.labels)
    both = Comparison(mlp, cnn)
    first, second = both.only_first_right(), both.only_second_right()
    assert len(second) > len(first)  # the shipped cnn beats a 3-epoch mlp
    assert np.all(mlp.correct[first] & ~cnn.correct[first])
    assert np.all(cnn.correct[second] & ~mlp.correct[second])
    delta = cnn.correct.sum() - mlp.correct.sum()
    assert len(second) - len(first) == delta


def test_pen_digits_render_through_the_stroke_path(test_data: Path) -> None:
    events, data = _drain(iter_pen_digit_set(test_data / "unipen"))
    assert len(data) == 500 and events[-1].done == events[-1].total == 500
    assert data.strokes is not None
    np.testing.assert_array_equal(data.images[7], strokes_to_mnist(data.strokes[7]))
    points = np.concatenate([np.asarray(s) for s in data.strokes[7]])
    assert points.min() >= 0 and points.max() <= 1  # the canvas's units, replayed as drawn
    assert not data.images.flags.writeable


def test_mismatched_set_is_refused() -> None:
    from model.errors import DataError

    with pytest.raises(DataError):
        LabelledImages("x", np.zeros((3, 28, 28), np.float32), np.zeros(2, np.int64), ("a",) * 2)


def test_cli_csv_and_misclassified(
    capsys, trained_mlp: Path, test_data: Path, tmp_path: Path
) -> None:
    out_csv, folder = tmp_path / "m.csv", tmp_path / "wrong"
    args = ["evaluate", str(trained_mlp), "--data", str(test_data), "--json"]
    code = main([*args, "--csv", str(out_csv), "--misclassified", str(folder)])
    assert code == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    rows = list(csv.reader(out_csv.read_text().splitlines()))
    matrix = [[int(v) for v in row[1:]] for row in rows[2:12]]
    assert matrix == result["confusion_matrix"]
    per_class = {int(r[0]): float(r[4]) for r in rows[14:24]}
    assert per_class == pytest.approx(dict(enumerate(result["per_class_accuracy"])), abs=1e-6)
    files = sorted(folder.glob("*.png"))
    assert len(files) == result["misclassified"]
    for f in files:
        true, predicted = f.stem.split("-")[1:]
        index = int(f.stem.split("-")[0])
        assert result["confusion_matrix"][int(true[4:])][int(predicted[4:])] > 0
        assert 0 <= index < 1000


def test_cli_unwritable_csv_is_one_line(
    capsys, trained_mlp: Path, test_data: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code = main(
        ["evaluate", str(trained_mlp), "--data", str(test_data), "--csv", str(blocker / "m.csv")]
    )
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "cannot write" in err


def test_write_csv_is_atomic_and_complete(
    trained_mlp: Path, test_data: Path, tmp_path: Path
) -> None:
    data = mnist_test_set(test_data)
    result = report(load_model(trained_mlp).network, data.images, data.labels, model="m", data="d")
    path = write_csv(result, tmp_path / "sub" / "x.csv")
    assert path.read_text().startswith("# m on d: 1000 images")
    assert [p.name for p in path.parent.iterdir()] == ["x.csv"]


def test_mnist_test_set_matches_torchvision_and_refuses_damage(
    test_data: Path, tmp_path: Path
) -> None:
    from model.data import load_test_split
    from model.errors import DigitpadError
    from model.normalization import MEAN, STD

    data = mnist_test_set(test_data)
    split = load_test_split(test_data)
    np.testing.assert_array_equal(data.labels, split.labels.numpy())
    np.testing.assert_allclose((data.images - MEAN) / STD, split.images.numpy(), atol=1e-6)
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for source in (test_data / "MNIST" / "raw").iterdir():
        cut = 7 if source.name.startswith("t10k") else 0
        (raw / source.name).write_bytes(source.read_bytes()[: len(source.read_bytes()) - cut])
    with pytest.raises(DigitpadError, match="truncated"):
        mnist_test_set(tmp_path)


def test_a_run_stops_while_its_data_loads(trained_mlp: Path, test_data: Path) -> None:
    from model.eval_run import DataChoice, ModelChoice, run_evaluation

    stop = threading.Event()
    run = run_evaluation(
        [ModelChoice("m", path=str(trained_mlp))],
        DataChoice("pen", str(test_data / "unipen")),
        stop,
    )
    events = [next(run), next(run)]  # reading, then the first rendering progress
    stop.set()
    assert list(run) == [] and events[-1].done < events[-1].total


def test_a_run_yields_data_then_reports(trained_mlp: Path, test_data: Path) -> None:
    from model.eval_run import DataChoice, DataReady, ModelChoice, ReportReady, run_evaluation
    from model.paths import shipped_models_dir

    models = [
        ModelChoice("m", path=str(trained_mlp)),
        ModelChoice("cnn", path=str(shipped_models_dir() / "cnn.pt")),
    ]
    events = list(run_evaluation(models, DataChoice("mnist", str(test_data))))
    ready = [e for e in events if isinstance(e, DataReady)]
    reports = [e for e in events if isinstance(e, ReportReady)]
    assert len(ready) == 1 and [r.slot for r in reports] == [0, 1]
    assert [r.report.model for r in reports] == ["m", "cnn"]
    assert all(r.report.size == len(ready[0].data) == 1000 for r in reports)


def test_pen_digits_a_model_trained_on_are_left_out_for_both_models(
    trained_mlp: Path, test_data: Path
) -> None:
    """The shipped cnn learned from apb, gmd and uqb: its figure on them would be no test."""
    from model.eval_run import (
        DataChoice,
        DataHeldOut,
        DataReady,
        ModelChoice,
        ReportReady,
        run_evaluation,
    )
    from model.paths import shipped_models_dir
    from model.pen_digits import load_pen_digits

    people = [d.collection for d in load_pen_digits(test_data / "unipen")]
    others = sum(c not in ("apb", "gmd", "uqb") for c in people)
    assert 0 < others < len(people)  # the subset holds both kinds
    pen = DataChoice("pen", str(test_data / "unipen"))
    cnn = ModelChoice("cnn", path=str(shipped_models_dir() / "cnn.pt"))
    events = list(run_evaluation([ModelChoice("m", path=str(trained_mlp)), cnn], pen))
    whole = next(e.data for e in events if isinstance(e, DataReady))
    held = next(e for e in events if isinstance(e, DataHeldOut))
    assert len(whole) == len(people)  # cached whole: the next model may need every digit
    assert len(held.data) == others and held.model == "cnn"
    assert set(held.data.collections).isdisjoint({"apb", "gmd", "uqb"})
    reports = [e for e in events if isinstance(e, ReportReady)]
    assert [r.report.size for r in reports] == [others, others]  # the same digits for both
    assert all(f"Only the {others:,} pen digits of the collections cnn" in r.note for r in reports)
    # A model that learned from no pen digits is scored on them all, with no note.
    alone = list(run_evaluation([ModelChoice("m", path=str(trained_mlp))], whole))
    assert not any(isinstance(e, DataHeldOut) for e in alone)
    (only,) = [e for e in alone if isinstance(e, ReportReady)]
    assert only.report.size == len(people) and only.note is None
