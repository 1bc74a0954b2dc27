"""Pictures of any size are read in bounded memory, and every odd picture gives an answer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from model import images
from model.errors import ImageError
from model.images import read_digit_image
from tests.model.big_png import write_png

PEAK = """
import resource, sys
from model.cli import main

def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

for image in sys.argv[1:]:
    code = main(["predict", "mlp", image])
    print(code, round(peak_mib()), flush=True)
"""


def test_a_huge_png_is_read_in_bounded_memory(tmp_path: Path) -> None:
    """9,400 x 9,400 RGBA (354 MB of pixels, 0.4 MB of file): predicting it used to
    take about 2.8 GB, all decoded at once and copied as floats."""
    small = write_png(tmp_path / "small.png", 300)
    big = write_png(tmp_path / "big.png", 9400)
    done = subprocess.run(
        [sys.executable, "-c", PEAK, str(small), str(big), str(big), str(big)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    rows = [line.split() for line in done.stdout.splitlines() if line[:1].isdigit()]
    assert [r[0] for r in rows] == ["0", "0", "0", "0"], done.stdout + done.stderr
    baseline, after_big = int(rows[0][1]), int(rows[-1][1])
    assert after_big - baseline < 150, (baseline, after_big)  # MiB above torch and the model
    assert "1" in done.stdout  # the thick stroke still reads as a one


def test_bands_give_exactly_the_whole_picture_reduced(tmp_path: Path, monkeypatch) -> None:
    rng = np.random.default_rng(0)
    noise = (rng.random((700, 900, 3)) * 255).astype(np.uint8)
    paths = {
        "rgb": tmp_path / "rgb.png",
        "palette": tmp_path / "palette.png",
        "rgba": write_png(tmp_path / "rgba.png", 1000, "RGBA", filters=(0, 2)),
        "gray": write_png(tmp_path / "gray.png", 1000, "L", filters=(2,)),
    }
    Image.fromarray(noise).save(paths["rgb"], optimize=True)  # Pillow picks every filter
    Image.fromarray(noise).convert("P").save(paths["palette"], transparency=0)
    whole = {name: read_digit_image(path) for name, path in paths.items()}
    monkeypatch.setattr(images, "MAX_WHOLE_PIXELS", 1000)  # force the banded path...
    monkeypatch.setattr(images, "BAND_PIXELS", 50_000)  # ...with many bands
    monkeypatch.setattr(images, "MAX_SIDE", 350)
    for name, path in paths.items():
        banded = read_digit_image(path)
        with Image.open(path) as img:
            factor = -(-max(img.size) // 350)
        reference = whole[name]
        expected = np.asarray(
            Image.fromarray(np.round(reference * 255).astype(np.uint8)).reduce(factor),
            dtype=np.float32,
        )
        assert banded.shape == expected.shape, name
        assert np.abs(banded * 255 - expected).max() <= 1, name


def test_a_truncated_huge_png_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    path = write_png(tmp_path / "big.png", 2000)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    monkeypatch.setattr(images, "MAX_WHOLE_PIXELS", 1000)
    with pytest.raises(ImageError, match="cannot read"):
        read_digit_image(path)


def test_float_and_16_bit_pictures_keep_their_ink(tmp_path: Path) -> None:
    ink = np.zeros((60, 60), np.float32)
    ink[10:50, 27:33] = 1.0  # a one, light on dark, in 0..1 floats
    Image.fromarray(ink, "F").save(tmp_path / "float.tiff")
    Image.fromarray((ink * 65535).astype(np.uint16)).save(tmp_path / "deep.png")
    for name in ("float.tiff", "deep.png"):
        picture = read_digit_image(tmp_path / name)
        assert picture.max() == pytest.approx(1.0, abs=0.01), name  # not read as blank
        assert picture[30, 30] > 0.99 and picture[5, 5] < 0.01, name


def test_a_folder_is_not_an_image(tmp_path: Path) -> None:
    with pytest.raises(ImageError, match="is a folder, not an image"):
        read_digit_image(tmp_path)
