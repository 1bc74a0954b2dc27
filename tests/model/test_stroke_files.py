"""Stroke files (.json): read, written, checked, and read by ``digitpad predict``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from model.cli import main
from model.errors import ImageError
from model.paths import shipped_models_dir
from model.pen_benchmark import SIZES, replay
from model.pen_digits import load_pen_digits
from model.stroke_files import StrokeDrawing, read_stroke_file, write_stroke_file
from model.verdict import DOT


def test_a_drawing_survives_writing_and_reading(tmp_path: Path) -> None:
    drawing = StrokeDrawing((((0.1, 0.2), (0.3, 0.4)), ((0.5, 0.5),)), side=1.0)
    path = write_stroke_file(tmp_path / "d.json", drawing)
    assert read_stroke_file(path) == drawing
    (tmp_path / "px.json").write_text('{"strokes": [[[10, 20], [30, 40]]], "side": 510}')
    assert read_stroke_file(tmp_path / "px.json").side == 510.0
    (tmp_path / "bare.json").write_text('{"strokes": []}')
    assert read_stroke_file(tmp_path / "bare.json") == StrokeDrawing(())


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("not json", "cannot read"),
        ("[1, 2]", '"strokes"'),
        ('{"strokes": [[[1, 2, 3]]]}', "[x, y]"),
        ('{"strokes": [[["a", 2]]]}', "[x, y]"),
        ('{"strokes": [[1, 2]]}', "[x, y]"),
        ('{"strokes": [[[1e999, 2]]]}', "finite"),
        ('{"strokes": [], "side": 0}', "side"),
        ('{"strokes": [], "side": true}', "side"),
    ],
)
def test_a_bad_stroke_file_says_what_is_wrong(tmp_path: Path, text: str, phrase: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(ImageError, match=r"cannot read .*bad\.json as a stroke file") as info:
        read_stroke_file(path)
    assert phrase in str(info.value)
    with pytest.raises(ImageError, match="not found"):
        read_stroke_file(tmp_path / "missing.json")


def test_predict_reads_stroke_files(capsys, test_data: Path, tmp_path: Path) -> None:
    """Real pen digits saved as the Draw tab records them, read by the shipped cnn."""
    digits = load_pen_digits(test_data / "unipen")[::25]
    paths = []
    for i, digit in enumerate(digits):
        strokes = replay(digit.strokes, SIZES["small"])
        drawing = StrokeDrawing(tuple(tuple(s) for s in strokes))
        paths.append(str(write_stroke_file(tmp_path / f"{i}-{digit.label}.json", drawing)))
    (tmp_path / "dot.json").write_text('{"strokes": [[[255, 255]]], "side": 510}')
    (tmp_path / "empty.json").write_text('{"strokes": [[]]}')
    extra = [str(tmp_path / "dot.json"), str(tmp_path / "empty.json")]
    code = main(["predict", str(shipped_models_dir() / "cnn.pt"), *paths, *extra, "--json"])
    out, _ = capsys.readouterr()
    assert code == 0
    results = json.loads(out.strip().splitlines()[-1])
    assert [r["image"] for r in results] == paths + extra
    right = sum(r["digit"] == d.label for r, d in zip(results, digits, strict=False))
    assert right >= 0.85 * len(digits)
    assert all(r["reason"] is None for r in results[: len(digits)])
    dot, empty = results[-2:]
    assert dot["digit"] is None and dot["reason"] == DOT and len(dot["probabilities"]) == 10
    assert empty["digit"] is None and empty["reason"] == "empty drawing"

    code = main(["predict", str(shipped_models_dir() / "cnn.pt"), paths[0], *extra])
    out, _ = capsys.readouterr()
    lines = out.strip().splitlines()
    assert code == 0 and lines[0].startswith(f"{paths[0]}: {digits[0].label} (")
    assert lines[1] == f"{extra[0]}: not a digit ({DOT})"
    assert lines[2] == f"{extra[1]}: no digit found (empty drawing)"


def test_predict_refuses_a_bad_stroke_file_in_one_line(capsys, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"strokes": 7}')
    code = main(["predict", str(shipped_models_dir() / "cnn.pt"), str(bad)])
    _, err = capsys.readouterr()
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("digitpad: error: cannot read")
