"""``digitpad predict --number``: pictures of whole numbers, either polarity, any size."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from model.cli import main
from model.paths import shipped_models_dir
from model.pen_digits import load_pen_digits
from model.pen_numbers import Writing, compose
from model.strokes import PEN, render_strokes

UNIPEN = Path(__file__).parents[1] / "data" / "unipen"
CNN = shipped_models_dir() / "cnn.pt"


def number_png(path: Path, labels: tuple[int, ...], height_px: int, dark_on_light: bool) -> Path:
    """A picture of a number written with real pen digits, saved as an 8-bit PNG."""
    pen = load_pen_digits(UNIPEN)
    digits = [next(d for d in pen if d.label == label and len(d.strokes) == 1) for label in labels]
    number = compose(digits, np.random.default_rng(1), Writing(min_gap=0.3, max_gap=0.5))
    points = np.concatenate([np.asarray(s) for s in number.strokes])
    box = round(float(np.ptp(points, axis=0).max()) * height_px / 0.6)
    ink = render_strokes(number.strokes, box=box, pen=PEN * height_px / box)
    pixels = (1.0 - ink) if dark_on_light else ink
    Image.fromarray(np.round(pixels * 255).astype(np.uint8)).save(path)
    return path


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_gives_the_number_and_each_digit(capsys, tmp_path: Path) -> None:
    dark = number_png(tmp_path / "dark.png", (2, 0, 2, 6), 50, dark_on_light=True)
    light = number_png(tmp_path / "light.png", (2, 0, 2, 6), 240, dark_on_light=False)
    code, out, _ = run(capsys, "predict", "--number", CNN, dark, light, "--json")
    assert code == 0
    results = json.loads(out.strip().splitlines()[-1])
    assert [r["image"] for r in results] == [str(dark), str(light)]
    for result, path in zip(results, (dark, light), strict=True):
        assert result["number"] == "2026"
        with Image.open(path) as picture:
            width, height = picture.size
        lefts = []
        for digit, expected in zip(result["digits"], "2026", strict=True):
            assert digit["digit"] == int(expected)
            assert 0.0 <= digit["confidence"] <= 1.0
            left, top, right, bottom = digit["box"]
            assert all(isinstance(v, int) for v in digit["box"])
            assert 0 <= left < right <= width and 0 <= top < bottom <= height
            lefts.append(left)
        assert lefts == sorted(lefts)


def test_text_output_and_a_blank_image(capsys, tmp_path: Path) -> None:
    number = number_png(tmp_path / "n.png", (7, 3), 60, dark_on_light=True)
    blank = tmp_path / "blank.png"
    Image.new("L", (300, 80), 255).save(blank)
    code, out, _ = run(capsys, "predict", "--number", CNN, number, blank)
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0].startswith(f"{number}: 73 (7 ") and "%" in lines[0]
    assert lines[1] == f"{blank}: no digits found (blank image)"
    code, out, _ = run(capsys, "predict", "--number", CNN, blank, "--json")
    assert json.loads(out.strip().splitlines()[-1]) == [
        {"image": str(blank), "number": "", "digits": []}
    ]


def test_unreadable_image_is_one_line_and_exit_2(capsys, tmp_path: Path) -> None:
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not a picture")
    code, out, err = run(capsys, "predict", "--number", CNN, bad)
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("digitpad: error: ") and "bad.png" in lines[0]


def test_a_stroke_file_is_read_like_the_number_mode(capsys, tmp_path: Path) -> None:
    pen = load_pen_digits(UNIPEN)
    digits = [next(d for d in pen if d.label == label and len(d.strokes) == 1) for label in (4, 2)]
    number = compose(digits, np.random.default_rng(2), Writing(min_gap=0.3, max_gap=0.4))
    path = tmp_path / "number.json"
    path.write_text(json.dumps({"strokes": [[list(p) for p in s] for s in number.strokes]}))
    code, out, _ = run(capsys, "predict", "--number", CNN, path, "--json")
    assert code == 0
    [result] = json.loads(out.strip().splitlines()[-1])
    assert result["number"] == "42"
    left, _, right, _ = result["digits"][0]["box"]
    assert 0 <= left < right < 4  # in the file's own units
