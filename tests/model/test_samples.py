"""The sample store: ImageFolder layout, atomic writes, damaged files, undo, zip round trip."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from model.errors import DataError, OutputError
from model.paths import samples_dir
from model.pen_digits import load_pen_digits
from model.preprocess import to_mnist
from model.samples import (
    MIN_SIDE,
    SampleStore,
    load_images,
    read_meta,
    scan_folder,
    skipped_note,
)
from model.strokes import strokes_to_mnist

ROOT = Path(__file__).resolve().parents[2]
SEVEN = [[(0.3, 0.2), (0.7, 0.2), (0.44, 0.82)]]
ONE = [[(0.54, 0.18), (0.47, 0.82)]]


@pytest.fixture
def store(tmp_path: Path) -> SampleStore:
    return SampleStore(tmp_path / "samples")


def add(store: SampleStore, strokes, label: int):
    return store.add_drawing(
        strokes, label, pen_width=0.085, canvas_size=360, prediction=1, confidence=0.4, model="cnn"
    )


def test_samples_folder_follows_the_environment(tmp_path: Path, monkeypatch) -> None:
    assert samples_dir().name == "samples"
    monkeypatch.setenv("DIGITPAD_SAMPLES", str(tmp_path / "mine"))
    assert samples_dir() == tmp_path / "mine"


def test_a_drawing_is_stored_as_png_and_json_in_its_digit_folder(store: SampleStore) -> None:
    sample = add(store, SEVEN, 7)
    assert sample.path.parent == store.root / "7" and sample.path.suffix == ".png"
    assert sorted(p.name for p in store.root.iterdir()) == [str(d) for d in range(10)]
    with Image.open(sample.path) as img:
        assert img.mode == "L" and img.width == img.height >= MIN_SIDE
        pixels = np.asarray(img)
    assert pixels[0, 0] == 0 and pixels.max() == 255  # light ink on dark
    meta = read_meta(sample)
    assert meta["strokes"] == [[list(p) for p in SEVEN[0]]]
    assert meta["pen_width"] == 0.085 and meta["canvas_size"] == 360
    assert meta["prediction"] == 1 and meta["confidence"] == 0.4 and meta["model"] == "cnn"
    assert meta["created"].endswith("+00:00")
    assert "label" not in meta  # the folder is the label: moving a file relabels it


def test_stored_png_reads_back_as_the_strokes_network_input(store: SampleStore) -> None:
    """The PNG, read the way ``digitpad predict`` reads any picture, is the drawing."""
    sample = add(store, SEVEN, 7)
    loaded = load_images([sample])
    assert loaded.labels.tolist() == [7]
    assert np.abs(loaded.images[0] - strokes_to_mnist(SEVEN)).max() < 0.02


def test_the_layout_is_torchvisions_image_folder(store: SampleStore) -> None:
    from torchvision.datasets import ImageFolder

    add(store, SEVEN, 7)
    add(store, ONE, 1)
    dataset = ImageFolder(str(store.root), allow_empty=True)  # empty digits stay classes
    assert dataset.class_to_idx == {str(d): d for d in range(10)}
    assert sorted(label for _, label in dataset.samples) == [1, 7]


def test_the_skipped_note_counts_in_english() -> None:
    assert skipped_note([]) == ""
    assert str(skipped_note(["a.png: damaged"])) == "; 1 file skipped: a.png: damaged"
    assert str(skipped_note(["a", "b"])) == "; 2 files skipped, first: a"


def test_a_file_where_a_folder_belongs_is_named_and_kept(tmp_path: Path) -> None:
    store = SampleStore(tmp_path / "samples")
    store.root.mkdir()
    (store.root / "3").write_bytes(b"not a folder")
    with pytest.raises(OutputError, match=r"samples/3: it is a file, not a folder"):
        store.add_image(np.zeros((112, 112), np.uint8), 3)
    assert (store.root / "3").read_bytes() == b"not a folder"
    root_file = SampleStore(tmp_path / "notes.txt")
    root_file.root.write_text("x")
    with pytest.raises(OutputError, match=r"notes.txt: it is a file"):
        root_file.ensure_layout()


def test_damaged_and_foreign_files_are_skipped_with_a_warning(store: SampleStore) -> None:
    good = add(store, SEVEN, 7)
    (store.root / "3" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    (store.root / "3" / "notes.txt").write_text("hello")
    (store.root / "x").mkdir()
    (store.root / "README").write_text("mine")
    (store.root / "7" / f"{good.id}.json").write_text("{ damaged")  # meta is optional
    scan = store.scan()
    assert [s.id for s in scan.samples] == ["broken", good.id]
    assert any("notes.txt" in w for w in scan.warnings)
    assert any("x" in w and "digit" in w for w in scan.warnings)
    assert any("README" in w for w in scan.warnings)
    loaded = load_images(scan.samples)
    assert [s.id for s in loaded.samples] == [good.id]
    assert len(loaded.warnings) == 1 and "broken.png" in loaded.warnings[0]
    assert read_meta(good) is None


def test_strict_scan_refuses_a_folder_not_named_after_a_digit(tmp_path: Path) -> None:
    (tmp_path / "12").mkdir()
    with pytest.raises(DataError, match="not named after a digit"):
        scan_folder(tmp_path, strict=True)
    with pytest.raises(DataError, match="not found"):
        scan_folder(tmp_path / "missing", strict=True)


def test_a_folder_that_cannot_be_read_is_no_samples_and_a_reason(tmp_path: Path) -> None:
    """A file where the folder should be: the GUI carries on and says why; the CLI stops."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    scan = scan_folder(blocker)
    assert scan.samples == () and scan.problem == scan.warnings[0]
    assert scan.problem.startswith(f"cannot read the samples folder {blocker}: ")
    assert scan_folder(tmp_path / "missing").problem is None  # no folder yet: a new user
    with pytest.raises(DataError, match="cannot read the samples folder"):
        scan_folder(blocker, strict=True)


def test_scanned_digit_dropped_in_by_hand_is_read_like_predict_reads_it(
    store: SampleStore,
) -> None:
    """Dark ink on white paper, as a scan would be: same picture as the drawing after to_mnist."""
    sample = add(store, ONE, 1)
    with Image.open(sample.path) as img:
        inverted = 255 - np.asarray(img)
    (store.root / "1" / "scan.png").write_bytes(b"")
    Image.fromarray(inverted).save(store.root / "1" / "scan.png")
    loaded = load_images(store.scan().samples)
    assert len(loaded) == 2
    assert np.abs(loaded.images[0] - loaded.images[1]).max() < 0.02
    assert np.abs(loaded.images[0] - to_mnist(np.asarray(Image.open(sample.path)))).max() < 1e-6


def test_ten_thousand_samples(store: SampleStore) -> None:
    first = add(store, SEVEN, 7)
    data = first.path.read_bytes()
    for i in range(10_000 - 1):
        (store.root / str(i % 10) / f"s{i:05d}.png").write_bytes(data)
    scan = store.scan()
    assert len(scan.samples) == 10_000 and not scan.warnings
    assert scan.counts() == (1000,) * 7 + (1001, 1000, 999)
    assert list(scan.samples) == sorted(scan.samples)
    assert len(load_images(scan.samples[:50])) == 50


def test_delete_moves_to_the_trash_and_restore_undoes_it(store: SampleStore) -> None:
    a, b, c = add(store, SEVEN, 7), add(store, ONE, 1), add(store, ONE, 1)
    batch = store.delete([a, b])
    assert [s.id for s in store.scan().samples] == [c.id]
    assert not store.trash.is_relative_to(store.root)  # ImageFolder must not see it
    assert all(trashed.exists() for _, trashed in batch.moved)
    restored = store.restore(batch)
    assert sorted(restored) == sorted([a, b])
    assert sorted(store.scan().samples) == sorted([a, b, c])
    assert read_meta(a)["model"] == "cnn"  # the JSON came back too
    assert not batch.folder.exists()


def test_purge_trash_only_drops_old_batches(store: SampleStore) -> None:
    store.delete([add(store, ONE, 1)])
    assert store.purge_trash(older_than_days=1) == 0
    assert store.purge_trash(older_than_days=-1) == 1


def test_relabel_moves_image_and_json(store: SampleStore) -> None:
    sample = add(store, SEVEN, 1)
    [(before, after)] = store.relabel([sample], 7)
    assert before == sample and after.label == 7 and after.path.parent.name == "7"
    assert not sample.path.exists() and read_meta(after)["pen_width"] == 0.085
    [(_, back)] = store.relabel([after], 1)
    assert back.path == sample.path


def test_zip_round_trip(store: SampleStore, tmp_path: Path) -> None:
    made = [add(store, SEVEN, 7), add(store, ONE, 1), add(store, ONE, 4)]
    archive = tmp_path / "mine.zip"
    assert store.export_zip(archive) == 3
    other = SampleStore(tmp_path / "other")
    result = other.import_zip(archive)
    assert (result.added, result.duplicates, result.warnings) == (3, 0, ())
    back = other.scan().samples
    assert [(s.label, s.id) for s in back] == sorted((s.label, s.id) for s in made)
    for original in made:
        copy = other.root / str(original.label) / original.path.name
        assert copy.read_bytes() == original.path.read_bytes()
        assert json.loads(copy.with_suffix(".json").read_text()) == read_meta(original)
    again = other.import_zip(archive)  # importing twice adds nothing
    assert (again.added, again.duplicates) == (0, 3)


def test_import_refuses_what_is_not_a_sample_zip(store: SampleStore, tmp_path: Path) -> None:
    text = tmp_path / "notes.zip"
    text.write_text("not a zip")
    with pytest.raises(DataError, match="not a zip"):
        store.import_zip(text)
    png = add(SampleStore(tmp_path / "src"), SEVEN, 7).path.read_bytes()
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as z:
        z.writestr("../../escape.png", png)
        z.writestr("7/../../escape2.png", png)
        z.writestr("samples/7/ok.png", png)
        z.writestr("3/broken.png", b"\x89PNG broken")
    result = store.import_zip(evil)
    assert result.added == 1 and len(result.warnings) == 3
    assert [s.id for s in store.scan().samples] == ["ok"]
    assert not (tmp_path / "escape.png").exists() and not (tmp_path.parent / "escape.png").exists()
    empty = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty, "w") as z:
        z.writestr("readme.txt", "hi")
    with pytest.raises(DataError, match="no samples"):
        store.import_zip(empty)


WRITER = """
import sys
from model.samples import SampleStore
store = SampleStore(sys.argv[1])
strokes = [[(0.3, 0.2), (0.7, 0.2), (0.44, 0.82)]]
print("ready", flush=True)
i = 0
while True:
    store.add_drawing(strokes, i % 10, pen_width=0.085, canvas_size=360)
    i += 1
"""


def test_a_crash_mid_write_leaves_only_whole_samples(tmp_path: Path) -> None:
    """SIGKILL a process that writes samples non-stop: every sample left is complete."""
    root = tmp_path / "samples"
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(root)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout.readline().strip() == "ready"
    deadline = time.monotonic() + 30
    while len(scan_folder(root).samples) < 20 and time.monotonic() < deadline:
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdout.close()
    scan = scan_folder(root)
    assert len(scan.samples) >= 20 and not scan.warnings
    loaded = load_images(scan.samples)
    assert len(loaded) == len(scan.samples) and not loaded.warnings
    assert all(read_meta(s) is not None for s in scan.samples)  # JSON is written first


def test_pen_digits_as_samples(store: SampleStore, test_data: Path) -> None:
    """Real pen strokes in tablet units store and read back like canvas strokes."""
    digits = load_pen_digits(test_data / "unipen")[:5]
    for d in digits:
        store.add_drawing(d.strokes, d.label, pen_width=0.085, canvas_size=280)
    loaded = load_images(store.scan().samples)
    assert sorted(loaded.labels.tolist()) == sorted(d.label for d in digits)
