"""The user's own samples as an evaluation data set: the store's files, read as personalising reads them."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from model.checkpoints import load_model
from model.cli import main
from model.errors import DataError
from model.eval_run import DataChoice, DataReady, ModelChoice, ReportReady, run_evaluation
from model.eval_sets import SAMPLES_NAME, iter_sample_set
from model.evaluation import report
from model.samples import SampleStore, load_images, read_meta, scan_folder
from tests.model.sample_files import fill_store


def drain(steps):
    events = []
    while True:
        try:
            events.append(next(steps))
        except StopIteration as done:
            return events, done.value


def test_samples_read_as_personalising_reads_them(tmp_path: Path, test_data: Path) -> None:
    store = fill_store(tmp_path / "samples", test_data / "unipen")
    events, data = drain(iter_sample_set(store.root))
    reference = load_images(scan_folder(store.root).samples)
    assert data.name == SAMPLES_NAME and len(data) == len(reference) == 32
    np.testing.assert_array_equal(data.images, reference.images)
    np.testing.assert_array_equal(data.labels, reference.labels)
    assert len(data.warnings) == 1 and "damaged.png" in data.warnings[0]
    assert events[-1].done == events[-1].total == 33  # the damaged file is counted, then skipped
    # Canvas strokes come back for the Draw tab; tablet units and a bare picture do not.
    assert data.strokes is not None
    assert sum(s is not None for s in data.strokes) == 30
    for strokes, sample in zip(data.strokes, reference.samples, strict=True):
        if strokes is not None:
            saved = read_meta(sample)
            assert saved is not None
            assert [[list(p) for p in stroke] for stroke in strokes] == saved["strokes"]
    assert all(source.startswith("your ") for source in data.sources)


def test_an_empty_or_unusable_store_says_how_to_add_samples(tmp_path: Path) -> None:
    store = SampleStore(tmp_path / "samples")
    store.ensure_layout()
    with pytest.raises(DataError, match="press its key"):
        drain(iter_sample_set(store.root))
    (store.root / "3" / "bad.png").write_bytes(b"not a picture")
    with pytest.raises(DataError, match=r"1 file skipped: .*bad\.png"):
        drain(iter_sample_set(store.root))
    with pytest.raises(DataError, match="not found"):
        drain(iter_sample_set(tmp_path / "nowhere", strict=True))
    # A picture dropped in by hand is named by its file; the store's own by when they were saved.
    saved = store.add_drawing([[(0.5, 0.2), (0.5, 0.8)]], 1, pen_width=0.085, canvas_size=510)
    (store.root / "3" / "scan.png").write_bytes(saved.path.read_bytes())
    _, data = drain(iter_sample_set(store.root))
    assert data.sources[0].startswith("your 1, saved ") and data.sources[1] == "your 3: scan.png"
    assert data.strokes == ([[(0.5, 0.2), (0.5, 0.8)]], None)
    assert len(data.warnings) == 1 and "bad.png" in data.warnings[0]


def test_a_run_on_samples(trained_mlp: Path, tmp_path: Path, test_data: Path) -> None:
    store = fill_store(tmp_path / "samples", test_data / "unipen", count=10)
    model = ModelChoice("m", path=str(trained_mlp))
    events = list(run_evaluation([model], DataChoice("samples", str(store.root))))
    (ready,) = [e for e in events if isinstance(e, DataReady)]
    (done,) = [e for e in events if isinstance(e, ReportReady)]
    assert len(ready.data) == done.report.size == 12 and done.report.data == SAMPLES_NAME


def test_cli_evaluates_samples(capsys, trained_mlp: Path, tmp_path: Path, test_data: Path) -> None:
    store = fill_store(tmp_path / "samples", test_data / "unipen")
    wrong = tmp_path / "wrong"
    args = ["evaluate", str(trained_mlp), "--samples", str(store.root), "--json"]
    assert main([*args, "--misclassified", str(wrong)]) == 0
    captured = capsys.readouterr()
    result = json.loads(captured.out.strip().splitlines()[-1])
    loaded = load_images(scan_folder(store.root).samples)
    expected = report(load_model(trained_mlp).network, loaded.images, loaded.labels)
    assert result["confusion_matrix"] == expected.confusion.tolist()
    assert result["data"] == SAMPLES_NAME and result["images"] == 32
    assert "warning: skipped" in captured.err and "damaged.png" in captured.err
    assert len(list(wrong.glob("*.png"))) == result["misclassified"]

    assert main(["evaluate", str(trained_mlp), "--samples", str(store.root)]) == 0
    assert f"accuracy on {SAMPLES_NAME}" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--samples", "MISSING"], "samples folder not found"),
        (["--samples", "EMPTY"], "no usable samples"),
        (["--samples", "EMPTY", "--data", "EMPTY"], "not allowed with"),
    ],
)
def test_cli_bad_samples_folder_is_one_line(
    capsys, trained_mlp: Path, tmp_path: Path, extra: list[str], message: str
) -> None:
    (tmp_path / "empty").mkdir()
    names = {"MISSING": str(tmp_path / "missing"), "EMPTY": str(tmp_path / "empty")}
    code = main(["evaluate", str(trained_mlp), *[names.get(a, a) for a in extra]])
    err = capsys.readouterr().err
    assert code == 2 and message in err
